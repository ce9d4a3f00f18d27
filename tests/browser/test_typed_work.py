"""Nothing typed is lost in a real browser: reloads and language switches right after typing,
two windows on one draft, invalid numbers, the cut-off type, and quiz answers."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from courseware.workshop.numbers import read_number, rules
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.browser.test_workshop import AUTOSAVE_WAIT_MS, fill_figure_criterion, sign_in

SAVED = {"en": re.compile(r"^Saved at \d{2}:\d{2} UTC$"),
         "zh": re.compile(r"^已于 \d{2}:\d{2} UTC 保存$")}
WORDS = {"en": "Growth first, then profit: typed a moment ago.",
         "zh": "先看增长，再看利润：刚刚输入的文字。"}


def hold_saves(page) -> list[str]:
    """Let no autosave reach the server, as when the page closes before its timer fires."""
    held: list[str] = []
    page.route("**/workshop/autosave", lambda route: (held.append(route.request.url),
                                                      route.abort()))
    return held


def saved(page, lang: str) -> None:
    expect(page.locator("#save-status")).to_have_text(SAVED[lang], timeout=AUTOSAVE_WAIT_MS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reloading_right_after_typing_keeps_the_words(page, lang):
    sign_in(page, lang)
    hold_saves(page)
    page.fill("#justification", WORDS[lang])
    page.unroute("**/workshop/autosave")
    page.reload()
    expect(page.locator("#justification")).to_have_value(WORDS[lang])
    saved(page, lang)  # and the page saves them at once
    page.locator("#justification").screenshot(
        path=str(SCREENSHOTS / f"workshop-kept-after-reload-{lang}.png"))
    page.reload()
    expect(page.locator("#justification")).to_have_value(WORDS[lang])


def test_switching_language_right_after_typing_keeps_the_words(page):
    sign_in(page, "en")
    hold_saves(page)
    page.fill("#justification", WORDS["en"])
    page.unroute("**/workshop/autosave")
    page.click("a.lang-switch")
    expect(page).to_have_url(re.compile(r"/zh/workshop/"))
    expect(page.locator("#justification")).to_have_value(WORDS["en"])
    saved(page, "zh")


def test_another_window_s_save_shows_both_versions_and_keeps_the_chosen_one(page):
    sign_in(page, "en")
    other = page.context.new_page()  # same browser, its own tab
    other.goto("/en/workshop/")
    page.fill("#justification", "Typed in the first window.")
    saved(page, "en")
    other.fill("#justification", "Typed in the second window.")
    conflict = other.locator("#draft-conflict")
    expect(conflict).to_be_visible(timeout=AUTOSAVE_WAIT_MS)
    expect(conflict).to_contain_text("Typed in the first window.")
    expect(conflict).to_contain_text("Typed in the second window.")
    for width, size in (("phone", PHONE), ("desktop", DESKTOP)):
        other.set_viewport_size(size)
        conflict.screenshot(path=str(SCREENSHOTS / f"workshop-conflict-en-{width}.png"))
    other.get_by_role("button", name="Keep this page’s version").click()
    saved(other, "en")
    page.reload()
    expect(page.locator("#justification")).to_have_value("Typed in the second window.")
    other.close()


def test_changing_only_the_cut_off_type_saves_and_updates_the_list(page):
    sign_in(page, "en")
    fill_figure_criterion(page, 0, "Revenue", "100", "revenue", "higher",
                          ("10", "30", "60", "100"))
    page.fill("#cutoff-value", "60")
    key_rows = page.locator("#results .score-chart__row--key")
    expect(page.locator("#cutoff-value-error")).to_be_visible()  # 60 is no top-N count
    saved(page, "en")
    expect(key_rows).to_have_count(0)
    with page.expect_response(lambda response: response.url.endswith("/workshop/autosave"),
                              timeout=AUTOSAVE_WAIT_MS) as reply:
        page.select_option("#cutoff-kind", "score")
    assert reply.value.ok
    expect(page.locator("#cutoff-value-error")).to_be_hidden()
    saved(page, "en")
    listed = key_rows.count()
    assert 0 < listed < 14
    page.reload()
    expect(page.locator("#cutoff-kind")).to_have_value("score")
    expect(key_rows).to_have_count(listed)


@pytest.mark.parametrize(("lang", "says"), [
    ("en", "Write decimals with a point"), ("zh", "小数请用小数点")])
def test_an_invalid_weight_is_flagged_and_never_counted(page, lang, says):
    sign_in(page, lang)
    fill_figure_criterion(page, 0, "Revenue", "50", "revenue", "higher",
                          ("10", "30", "60", "100"))
    fill_figure_criterion(page, 1, "Growth", "1e9", "growth_3y", "higher",
                          ("0", "5", "15", "30"))
    sums = {"en": "Weights: 50 of 100", "zh": "权重合计：50 / 100"}
    expect(page.locator("#weight-sum")).to_have_text(sums[lang])
    expect(page.locator("[data-error-for='criteria-1-weight']")).to_be_visible()
    page.fill("#criteria-1-weight", "５０")  # full-width digits are a number like any other
    expect(page.locator("#weight-sum")).to_have_text(sums[lang].replace("50", "100", 1))
    expect(page.locator("[data-error-for='criteria-1-weight']")).to_be_hidden()
    page.fill("#criteria-1-weight", "12,5")
    expect(page.locator("[data-error-for='criteria-1-weight']")).to_contain_text(says)


numbers_typed = st.text(alphabet="0123456789０１２３４５６７８９.,，．-－+＋%％e \u3000", max_size=10)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(numbers_typed, st.text(max_size=6)))
def test_the_page_reads_every_number_as_the_server_does(page, raw):
    if page.url == "about:blank":
        sign_in(page, "en")
    for rule in rules(14):
        value, code = read_number(raw, rule)
        read = page.evaluate("([raw, rule]) => window.kamReadNumber(raw, rule)",
                             [raw, rule.to_dict()])
        assert (read["value"], read["code"]) == (value, code), (raw, rule.name)


def test_a_quiz_answer_chosen_just_before_a_reload_is_kept(page):
    sign_in(page, "en")
    page.goto("/en/quiz/")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/quiz/attempt/\d+$"))
    page.route("**/answers", lambda route: route.abort())
    first = page.locator("main input[type=radio], main input[type=checkbox]").first
    first.check()
    page.unroute("**/answers")
    page.reload()
    expect(page.locator("main input[type=radio], main input[type=checkbox]").first).to_be_checked()
    page.reload()  # saved by then: the server has it too
    expect(page.locator("main input[type=radio], main input[type=checkbox]").first).to_be_checked()
