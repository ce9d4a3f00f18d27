"""A trainer removes a trainee after confirming, sees them under "Removed trainees", restores them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, assert_accessible, assert_no_horizontal_overflow
from tests.conftest import TRAINEE, TRAINER
from tests.support.trainer import hand_in

PHONE_360 = {"width": 360, "height": 740}
WORDS = {
    "en": {"remove": "Remove from the cohort", "yes": "Yes, remove them",
           "removed": "Removed trainees", "restore": "Restore Tom Trainee",
           "told": "Your trainer removed you from the cohort “Spring cohort”",
           "back": "Tom Trainee is back in the cohort, with all their work.",
           "sign_in": "Sign in", "download": "Download all versions (CSV)"},
    "zh": {"remove": "移出学员班", "yes": "是，移出", "removed": "已移出的学员",
           "restore": "恢复 Tom Trainee", "told": "将你移出学员班“Spring cohort”",
           "back": "Tom Trainee已回到学员班，所有练习和记录都在。", "sign_in": "登录",
           "download": "下载所有版本（CSV）"},
}


def _sign_in(page, person, lang):
    page.goto(f"/{lang}/sign-in")
    page.fill("#email", person["email"])
    page.fill("#password", person["password"])
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def _both_widths(page, screenshot, name):
    assert_accessible(page)
    page.set_viewport_size(PHONE_360)
    assert_no_horizontal_overflow(page)
    screenshot(page, f"{name}-360")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-1280")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trainer_removes_and_restores_a_trainee(page, live_server, screenshot, lang):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    hand_in(app, ids["trainee"], ids["cohort"])
    words = WORDS[lang]

    _sign_in(page, TRAINER, lang)  # one cohort: straight to its dashboard
    page.get_by_role("link", name="Tom Trainee", exact=True).click()
    expect(page.get_by_role("link", name=words["download"])).to_be_visible()
    page.get_by_role("link", name=words["remove"]).click()
    expect(page.get_by_role("button", name=words["yes"])).to_be_visible()
    _both_widths(page, screenshot, f"confirm-{lang}")
    page.get_by_role("button", name=words["yes"]).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=words["removed"])).to_be_visible()
    expect(page.get_by_role("link", name="Tom Trainee", exact=True)).to_have_count(0)
    _both_widths(page, screenshot, f"removed-list-{lang}")

    trainee = page.context.browser.new_context(viewport=PHONE_360, base_url=live_server.url)
    trainee_page = trainee.new_page()
    _sign_in(trainee_page, TRAINEE, lang)
    expect(trainee_page.get_by_text(words["told"])).to_be_visible()
    assert_accessible(trainee_page)
    assert_no_horizontal_overflow(trainee_page)
    screenshot(trainee_page, f"trainee-told-{lang}-360")

    page.get_by_role("button", name=words["restore"]).click()
    page.wait_for_load_state()
    expect(page.get_by_text(words["back"])).to_be_visible()
    expect(page.get_by_role("heading", name="Tom Trainee")).to_be_visible()
    _both_widths(page, screenshot, f"restored-{lang}")
    _sign_in(trainee_page, TRAINEE, lang)
    expect(trainee_page.get_by_text(words["told"])).to_have_count(0)
    trainee.close()
