"""The workshop in sections: steps on a phone, one page of jumps on a desktop, nothing lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    SCREENSHOTS,
    assert_accessible,
    assert_no_horizontal_overflow,
)
from tests.browser.test_workshop import sign_in

PHONE_360 = {"width": 360, "height": 740}
SAVE_WAIT_MS = 15_000
LABELS = {
    "en": {"case": "Case", "criteria": "Criteria", "selection": "Key accounts",
           "justification-part": "Justification", "kpis": "KPIs"},
    "zh": {"case": "案例", "criteria": "标准", "selection": "大客户",
           "justification-part": "理由", "kpis": "KPI"},
}
WEIGHTS = {"en": "Weights: {sum} of 100", "zh": "权重合计：{sum} / 100"}
KEY_COUNT = {"en": "Key accounts chosen: {count}", "zh": "已选大客户：{count} 家"}
SECTIONS = ["case", "criteria", "selection", "justification-part", "kpis"]


def _screen(page, name: str) -> None:
    """What the trainee sees: the window, not the whole page."""
    page.screenshot(path=str(SCREENSHOTS / f"workshop-sections-{name}.png"))


def _nav_link(page, lang, section):
    return page.locator(".step-nav").get_by_role("link", name=LABELS[lang][section], exact=True)


def _shown(page) -> list[str]:
    """The sections on screen, once the steps script has run on a phone."""
    if page.viewport_size["width"] < 768:
        expect(page.locator("#workshop-form.is-stepped")).to_be_attached()
    return [s for s in SECTIONS if page.locator(f"#{s}").is_visible()]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_phone_the_workshop_is_steps_that_keep_what_is_typed(page, screenshot, lang):
    page.set_viewport_size(PHONE_360)
    sign_in(page, lang)
    expect(page.locator("#case")).to_be_visible()
    assert _shown(page) == ["case"]
    expect(_nav_link(page, lang, "case")).to_have_attribute("aria-current", "step")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    screenshot(page, f"case-{lang}-phone")
    _screen(page, f"case-{lang}-phone")

    _nav_link(page, lang, "criteria").click()
    expect(page.locator("#criteria")).to_be_visible()
    assert _shown(page) == ["criteria"]
    expect(_nav_link(page, lang, "criteria")).to_have_attribute("aria-current", "step")
    expect(_nav_link(page, lang, "case")).not_to_have_attribute("aria-current", "step")
    expect(page.locator("#criteria-title")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#criteria$"))
    # The sticky summary follows a weight as it is typed.
    page.fill("#criteria-0-name", "Revenue")
    page.fill("#criteria-0-weight", "60")
    expect(page.locator("#weight-sum")).to_have_text(WEIGHTS[lang].format(sum=60))
    page.fill("#criteria-1-name", "Cost to serve")
    page.fill("#criteria-1-weight", "40")
    expect(page.locator("#weight-sum")).to_have_text(WEIGHTS[lang].format(sum=100))
    expect(page.locator(".save-bar")).to_be_in_viewport()
    assert_accessible(page)
    screenshot(page, f"criteria-{lang}-phone")
    _screen(page, f"criteria-{lang}-phone")

    # Next, then the justification from the list; what was typed stays in the form.
    page.locator("#criteria [data-step-pager] a.next").click()
    assert _shown(page) == ["selection"]
    _nav_link(page, lang, "justification-part").click()
    assert _shown(page) == ["justification-part"]
    page.fill("#justification", "Growth first.")
    _nav_link(page, lang, "kpis").click()
    assert _shown(page) == ["kpis"]
    page.fill("#kpis-0-name", "Forecast accuracy")
    assert_accessible(page)
    screenshot(page, f"kpis-{lang}-phone")
    _screen(page, f"kpis-{lang}-phone")
    _nav_link(page, lang, "criteria").click()
    expect(page.locator("#criteria-0-name")).to_have_value("Revenue")
    expect(page.locator("#criteria-1-weight")).to_have_value("40")
    _nav_link(page, lang, "kpis").click()
    expect(page.locator("#kpis-0-name")).to_have_value("Forecast accuracy")
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"Saved at|已于"),
                                                         timeout=SAVE_WAIT_MS)

    # A reload opens the same section, with everything typed.
    page.reload()
    expect(page.locator("#kpis")).to_be_visible()
    assert _shown(page) == ["kpis"]
    expect(page.locator("#kpis-0-name")).to_have_value("Forecast accuracy")
    expect(page.locator("#weight-sum")).to_have_text(WEIGHTS[lang].format(sum=100))

    # The language switch keeps the section too.
    page.locator("a.lang-switch").click()
    other = "zh" if lang == "en" else "en"
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if other == "zh" else "en")
    expect(page.locator("#kpis")).to_be_visible()
    assert _shown(page) == ["kpis"]
    expect(_nav_link(page, other, "kpis")).to_have_attribute("aria-current", "step")
    expect(page.locator("#justification")).to_have_value("Growth first.")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_counts_the_key_accounts_once_the_results_are_saved(page, lang):
    page.set_viewport_size(PHONE_360)
    sign_in(page, lang)
    _nav_link(page, lang, "selection").click()
    expect(page.locator("#key-count")).to_have_text(KEY_COUNT[lang].format(count=0))
    _nav_link(page, lang, "criteria").click()
    page.fill("#criteria-0-name", "Revenue")
    page.fill("#criteria-0-weight", "100")
    page.select_option("#criteria-0-figure", "revenue")
    for position, value in enumerate(["10", "30", "60", "100"]):
        page.fill(f"#criteria-0-threshold-{position}", value)
    _nav_link(page, lang, "selection").click()
    page.select_option("#cutoff-kind", "top_n")
    page.fill("#cutoff-value", "3")
    expect(page.locator("#key-count")).to_have_text(KEY_COUNT[lang].format(count=3),
                                                    timeout=SAVE_WAIT_MS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_desktop_the_workshop_stays_one_page_with_jumps(page, screenshot, lang):
    page.set_viewport_size(DESKTOP)
    sign_in(page, lang)
    assert _shown(page) == SECTIONS
    expect(page.locator("[data-step-pager]:visible")).to_have_count(0)
    _nav_link(page, lang, "kpis").click()
    expect(page).to_have_url(re.compile(r"#kpis$"))
    expect(page.locator("#kpis-title")).to_be_in_viewport()
    page.fill("#criteria-0-weight", "70")
    expect(page.locator("#weight-sum")).to_have_text(WEIGHTS[lang].format(sum=70))
    page.fill("#kpis-0-name", "On time in full")
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"Saved at|已于"),
                                                         timeout=SAVE_WAIT_MS)
    page.reload()
    expect(page.locator("#kpis-title")).to_be_in_viewport()
    expect(page.locator("#kpis-0-name")).to_have_value("On time in full")
    assert_accessible(page)
    screenshot(page, f"{lang}-desktop")
    _screen(page, f"{lang}-desktop")

    # Narrowing the window turns the page into steps at the section last jumped to.
    page.set_viewport_size(PHONE_360)
    expect(page.locator("#case")).to_be_hidden()
    assert _shown(page) == ["kpis"]
    page.set_viewport_size(DESKTOP)
    expect(page.locator("#case")).to_be_visible()
    assert _shown(page) == SECTIONS


def test_a_refused_submission_opens_the_first_section_with_a_problem(page):
    page.set_viewport_size(PHONE_360)
    sign_in(page, "en")
    _nav_link(page, "en", "kpis").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[value=submit]")
    expect(page.locator(".flash-warning")).to_be_visible()
    expect(page.locator("#case")).to_be_hidden()
    assert _shown(page) == ["criteria"]
    link = page.locator(".step-nav [data-step-link=criteria]")
    expect(link).to_have_class(re.compile("has-problem"))
    expect(link).to_have_accessible_name("Criteria (needs attention)")
    expect(page.locator(".step-nav")).to_contain_text("(needs attention)")


def test_without_javascript_the_workshop_is_one_page_with_a_list_of_jumps(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url,
                                  viewport=PHONE_360)
    page = context.new_page()
    try:
        sign_in(page, "zh")
        for section in SECTIONS:
            expect(page.locator(f"#{section}")).to_be_visible()
        expect(page.locator(".step-nav a")).to_have_count(5)
        expect(page.locator("[data-step-pager]:visible")).to_have_count(0)
        page.locator(".step-nav").get_by_role("link", name="KPI", exact=True).click()
        expect(page).to_have_url(re.compile(r"#kpis$"))
    finally:
        context.close()
