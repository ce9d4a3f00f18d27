"""The certificate in a browser: the trainee gets it, HR opens its verification page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, SCREENSHOTS, assert_accessible, assert_no_horizontal_overflow
from tests.conftest import TRAINEE, TRAINER
from tests.test_certificates import make_eligible, set_cohort

PHONE_360 = {"width": 360, "height": 740}


def sign_in(page, person, lang="en"):
    page.goto(f"/{lang}/sign-in")
    page.fill("#email", person["email"])
    page.fill("#password", person["password"])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "sign-in" not in url)


@pytest.fixture
def certificate_url(page, live_server):
    """A certificate the trainee got from their home page, with the organisation shown."""
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], org_name="Acme Trading Ltd", org_name_zh="艾克米贸易有限公司",
               certificate_months=24)
    sign_in(page, TRAINEE)
    page.goto("/en/")
    page.get_by_role("link", name="Get your certificate").click()
    page.get_by_role("button", name="Get my certificate").click()
    page.get_by_text("Your certificate is ready.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "certificates-trainee-page.png"), full_page=True)
    url = page.locator(".verify-link a").get_attribute("href")
    page.context.clear_cookies()
    return url


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_verify_page_in_both_languages_on_phone_and_desktop(page, certificate_url, screenshot, lang):
    page.context.add_cookies([{"name": "lang", "value": lang, "url": certificate_url}])
    for name, size in (("360", PHONE_360), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        page.goto(certificate_url)
        status = page.get_by_role("status")
        assert "Valid" in status.inner_text() and "有效" in status.inner_text()
        assert "Acme Trading Ltd" in page.inner_text("main")
        assert TRAINEE["name"] in page.inner_text("main")
        assert_no_horizontal_overflow(page)
        screenshot(page, f"{lang}-{name}")
    assert_accessible(page)


def test_trainer_revokes_and_the_verify_page_says_so(page, certificate_url, live_server, screenshot):
    ids = live_server.app.config["SEEDED_IDS"]
    sign_in(page, TRAINER)
    page.goto(f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/")
    screenshot(page, "trainer-record-valid")
    page.fill("input[name=reason]", "Handed in someone else's workshop")
    page.get_by_role("button", name="Revoke the certificate").click()
    page.get_by_text("is revoked").first.wait_for()
    screenshot(page, "trainer-record")
    page.context.clear_cookies()
    page.set_viewport_size(PHONE_360)
    page.goto(certificate_url)
    status = page.get_by_role("status").inner_text()
    assert "Revoked" in status and "已撤销" in status
    assert "someone else" not in page.inner_text("main")
    screenshot(page, "revoked-360")


def test_trainee_page_and_cohort_settings_in_chinese_on_a_phone(page, live_server, screenshot):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], certificate_grade=1)
    page.set_viewport_size(PHONE_360)
    sign_in(page, TRAINEE, "zh")
    page.goto("/zh/certificate/")
    page.get_by_role("button", name="领取我的证书").click()
    page.get_by_text("你的证书已准备好。").wait_for()
    assert_no_horizontal_overflow(page)
    screenshot(page, "trainee-zh-360")
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, TRAINER, "zh")
    page.goto(f"/zh/trainer/cohorts/{ids['cohort']}/settings")
    assert_no_horizontal_overflow(page)
    screenshot(page, "settings-zh-360")
