"""axe-core on every page type of the module, signed out, as trainee and as trainer, in both
languages. Each area's own browser tests check its pages (quiz, workshop, grading) the same way."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import TRAINEE, TRAINER

SIGNED_OUT = ["/{lang}/", "/{lang}/sign-in", "/{lang}/join", "/{lang}/no-such-page"]
TRAINEE_PAGES = ["/{lang}/", "/{lang}/module/", "/{lang}/module/customer-categories",
                 "/{lang}/module/account-manager-role", "/{lang}/module/scope/side-by-side",
                 "/{lang}/module/handout", "/{lang}/account/password"]
TRAINER_PAGES = ["/{lang}/trainer/", "/{lang}/module/discussion"]


def sign_in(page, person: dict[str, str], lang: str) -> None:
    page.goto(f"/{lang}/sign-in")
    page.fill("#email", person["email"])
    page.fill("#password", person["password"])
    page.click("button[type=submit]")
    page.wait_for_url(f"**/{lang}/")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_signed_out_pages_have_no_accessibility_violations(page, lang):
    for url in SIGNED_OUT:
        page.goto(url.format(lang=lang))
        assert_accessible(page)
    page.goto(f"/{lang}/join")
    page.click("button[type=submit]")  # the form in its error state
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trainee_pages_have_no_accessibility_violations(page, lang):
    sign_in(page, TRAINEE, lang)
    for url in TRAINEE_PAGES:
        page.goto(url.format(lang=lang))
        assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trainer_pages_have_no_accessibility_violations(page, lang):
    sign_in(page, TRAINER, lang)
    for url in TRAINER_PAGES:
        page.goto(url.format(lang=lang))
        assert_accessible(page)
    page.goto(f"/{lang}/trainer/")
    page.click("form:not(.inline) button[type=submit]")  # the new-cohort form in its error state
    assert_accessible(page)
