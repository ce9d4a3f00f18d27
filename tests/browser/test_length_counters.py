"""Character counters as people type: the join form, the workshop, grading comments and the bank."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from courseware.db import connect
from tests.browser.conftest import DESKTOP, assert_accessible
from tests.browser.test_trainer_grading import _sign_in
from tests.browser.test_workshop import sign_in as sign_in_to_workshop
from tests.conftest import JOIN_CODE, TRAINER
from tests.support.trainer import hand_in

PHONE_360 = {"width": 360, "height": 740}
NEAR = {"en": "{count} of {limit} characters: close to the limit.",
        "zh": "已输入 {count} 字，上限 {limit} 字：快到上限了。"}
OVER = {"en": "{count} of {limit} characters: {over} too many. Shorten it; nothing is cut off.",
        "zh": "已输入 {count} 字，上限 {limit} 字：超出 {over} 字。请删减，系统不会自动截断。"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE_360), ("desktop", DESKTOP)])
def test_the_join_name_warns_near_its_limit_and_keeps_every_character(page, screenshot, lang,
                                                                      device, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"/{lang}/join")
    count = page.locator("#name-count")
    page.fill("#name", "王小明")
    expect(count).to_be_hidden()
    page.fill("#name", "名" * 95)
    expect(count).to_be_visible()
    expect(count).to_have_text(NEAR[lang].format(count=95, limit=100))
    page.locator("#name").press_sequentially("一二三四五六七")
    expect(count).to_have_text(OVER[lang].format(count=102, limit=100, over=2))
    expect(page.locator("#name")).to_have_value("名" * 95 + "一二三四五六七")
    assert_accessible(page)
    screenshot(page, f"join-{lang}-{device}")

    # The server says the same and gives the whole name back.
    page.fill("#join_code", JOIN_CODE)
    page.fill("#email", "long.name@example.com")
    page.fill("#password", "a-long-passphrase")
    page.fill("#confirm", "a-long-passphrase")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#name")).to_have_value("名" * 95 + "一二三四五六七")
    expect(page.locator("#name-count")).to_have_text(OVER[lang].format(count=102, limit=100,
                                                                       over=2))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_workshop_kpi_unit_counts_as_typed_and_after_a_reload(page, lang):
    sign_in_to_workshop(page, lang)
    count = page.locator("#kpis-0-unit-count")
    expect(count).to_be_hidden()
    page.fill("#kpis-0-unit", "x" * 28)
    expect(count).to_have_text(NEAR[lang].format(count=28, limit=30))
    page.fill("#kpis-0-unit", "x" * 33)
    expect(count).to_have_text(OVER[lang].format(count=33, limit=30, over=3))
    expect(page.locator("#criteria-0-description-count")).to_be_visible()
    # Kept work put back after a reload is counted too.
    page.reload()
    expect(page.locator("#kpis-0-unit")).to_have_value("x" * 33)
    expect(page.locator("#kpis-0-unit-count")).to_have_text(
        OVER[lang].format(count=33, limit=30, over=3))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_grading_comment_counts_what_the_bank_adds(page, live_server, screenshot, lang):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    db = connect(app.config["DATABASE"])
    db["comment_bank"].insert({"trainer_id": ids["trainer"], "target": "overall",
                               "text": "Clear, well-argued work."})
    db.close()
    _sign_in(page, TRAINER, lang)
    page.goto(f"/{lang}/trainer/cohorts/{ids['cohort']}/submissions/{submission}/")
    count = page.locator("#comment-overall-count")
    expect(count).to_be_hidden()
    page.fill("#comment-overall", "a" * 9_990)
    expect(count).to_have_text(NEAR[lang].format(count=9990, limit=10000))
    page.locator("button.bank-entry[data-bank-target=overall]").first.click()
    expect(count).to_have_text(OVER[lang].format(count=10015, limit=10000, over=15))
    expect(page.locator("#comment-overall")).to_have_value("a" * 9_990 + "\nClear, well-argued work.")
    screenshot(page, f"comment-{lang}")
