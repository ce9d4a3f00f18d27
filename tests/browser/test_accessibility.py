"""axe-core on every page type, signed out, as trainees in each workshop state and as trainer,
in both languages; each page also fits a 360 px phone and is photographed for a human to look at.

PAGE_TYPES below is the one list of what a person can see. Data is built the way the app
builds it: submissions through the workshop store, grades through the trainer's grading form,
quiz attempts through the quiz store, and error states by sending the real forms.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from courseware.auth import attempts
from courseware.auth.guard import RULES
from courseware.auth.users import create_user
from courseware.db import connect
from courseware.loaded_course import get_course
from courseware.quiz import store as quiz_store
from courseware.quiz.bank import QuestionType
from courseware.quiz.scoring import Answer, grade_attempt
from courseware.trainer.cohorts import create_cohort
from courseware.workshop.store import save_draft
from tests.browser.conftest import (
    DESKTOP,
    SCREENSHOTS,
    assert_accessible,
    assert_no_horizontal_overflow,
)
from tests.conftest import TRAINEE, TRAINER, sign_in
from tests.support.trainer import (
    add_numbered_trainees,
    full_levels,
    grading_url,
    hand_in,
    post_grade,
    sample_workshop,
)

SMALL_PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1920, "height": 1080}
LOCKED_EMAIL = "locked-out@example.com"

# Trainees in each state of the workshop, besides TRAINEE who has not started anything.
STATE_TRAINEES = {
    "drafting": {"email": "dana@example.com", "password": "dana-pass-1234", "name": "Dana Draft"},
    "submitted": {"email": "sue@example.com", "password": "sue-pass-12345", "name": "Sue Submitted"},
    "returned": {"email": "rita@example.com", "password": "rita-pass-1234", "name": "Rita Returned"},
    "released": {"email": "rex@example.com", "password": "rex-pass-12345", "name": "Rex Released"},
}
ACCOUNTS = {"signed out": None, "trainee": TRAINEE, **STATE_TRAINEES, "trainer": TRAINER}


@dataclass(frozen=True)
class World:
    """The ids the page visits need."""

    cohort: int
    submitted: int
    released: int
    returned: int
    review_attempt: int
    large_cohort: int
    trainee: int  # graded twice: returned, then released


@dataclass(frozen=True)
class PageType:
    """A page a person can see, who sees it, and how to get it on screen."""

    name: str
    account: str
    show: Callable[[Any, World, str], None]


def goto(path: str) -> Callable[[Any, World, str], None]:
    """Open a path; `{lang}` and the World's ids fill its placeholders."""
    def show(page, world: World, lang: str) -> None:
        page.goto(path.format(lang=lang, **vars(world)))
    return show


def send_form(path: str, fill: dict[str, str] | None = None,
              button: str = "main button[type=submit]") -> Callable[[Any, World, str], None]:
    """Open a page, type into its fields and press its button: the form's answer is shown."""
    def show(page, world: World, lang: str) -> None:
        goto(path)(page, world, lang)
        for selector, value in (fill or {}).items():
            page.fill(selector, value)
        page.locator(button).first.click()
        page.wait_for_load_state()
    return show


def start_quiz(page, world: World, lang: str) -> None:
    page.goto(f"/{lang}/quiz/")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+$"))


def quiz_with_missing_answers(page, world: World, lang: str) -> None:
    start_quiz(page, world, lang)
    page.locator("#quiz-form button.primary").click()
    page.wait_for_load_state()
    assert page.locator(".question.has-error").count() > 0


def workshop_after_bad_save(page, world: World, lang: str) -> None:
    page.goto(f"/{lang}/workshop/")
    page.fill("#criteria-0-name", "Revenue")
    page.fill("#criteria-0-weight", "sixty")
    page.fill("#criteria-0-threshold-0", "ten")
    page.click(".save-bar button[value=save]")
    page.wait_for_load_state()
    assert page.locator("#criteria-0-weight").get_attribute("aria-invalid") == "true"
    assert page.input_value("#criteria-0-weight") == "sixty"


def workshop_refused_submission(page, world: World, lang: str) -> None:
    page.goto(f"/{lang}/workshop/")
    page.once("dialog", lambda dialog: dialog.accept())  # "Submit this version?" Yes.
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r"check=1"))
    assert page.locator(".error-summary").count() == 1


def sign_in_throttled(page, world: World, lang: str) -> None:
    send_form("/{lang}/sign-in", {"#email": LOCKED_EMAIL, "#password": "whatever-it-is"})(
        page, world, lang)
    assert page.locator(".error-summary").count() == 1


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("home", "signed out", goto("/{lang}/")),
    PageType("sign-in", "signed out", goto("/{lang}/sign-in")),
    PageType("sign-in-error", "signed out",
             send_form("/{lang}/sign-in", {"#email": "nobody@example.com", "#password": "nope-nope"})),
    PageType("sign-in-throttled-429", "signed out", sign_in_throttled),
    PageType("join", "signed out", goto("/{lang}/join")),
    PageType("reset-password-ask", "signed out", goto("/{lang}/reset-password")),
    PageType("join-error", "signed out", send_form("/{lang}/join")),
    PageType("not-found-404", "signed out", goto("/{lang}/no-such-page")),

    PageType("home", "trainee", goto("/{lang}/")),
    PageType("contents", "trainee", goto("/{lang}/module/")),
    PageType("module-page", "trainee", goto("/{lang}/module/customer-categories")),
    PageType("module-page-figure", "trainee", goto("/{lang}/module/account-manager-role")),
    PageType("side-by-side", "trainee", goto("/{lang}/module/scope/side-by-side")),
    PageType("handout", "trainee", goto("/{lang}/module/handout")),
    PageType("handout-side-by-side", "trainee", goto("/{lang}/module/handout/side-by-side")),
    PageType("password", "trainee", goto("/{lang}/account/password")),
    PageType("password-error", "trainee",
             send_form("/{lang}/account/password", {"#current": "wrong-password", "#password": "short"})),
    PageType("quiz-none-yet", "trainee", goto("/{lang}/quiz/")),
    PageType("quiz-take", "trainee", start_quiz),
    PageType("quiz-take-missing-answers", "trainee", quiz_with_missing_answers),
    PageType("workshop-empty", "trainee", goto("/{lang}/workshop/")),
    PageType("workshop-bad-save", "trainee", workshop_after_bad_save),
    PageType("workshop-refused-submission", "trainee", workshop_refused_submission),
    PageType("feedback-none-yet", "trainee", goto("/{lang}/feedback/")),
    PageType("forbidden-403", "trainee", goto("/{lang}/trainer/")),
    PageType("not-found-404", "trainee", goto("/{lang}/quiz/attempt/999999/review")),

    PageType("workshop-filled", "drafting", goto("/{lang}/workshop/")),
    PageType("quiz-attempts", "drafting", goto("/{lang}/quiz/")),
    PageType("quiz-review", "drafting", goto("/{lang}/quiz/attempt/{review_attempt}/review")),

    PageType("workshop-submitted", "submitted", goto("/{lang}/workshop/")),
    PageType("workshop-version-submitted", "submitted", goto("/{lang}/workshop/versions/1")),

    PageType("workshop-returned", "returned", goto("/{lang}/workshop/")),
    PageType("workshop-version-returned", "returned", goto("/{lang}/workshop/versions/1")),
    PageType("feedback-returned", "returned", goto("/{lang}/feedback/")),

    PageType("workshop-version-released", "released", goto("/{lang}/workshop/versions/2")),
    PageType("feedback-released", "released", goto("/{lang}/feedback/")),

    PageType("home", "trainer", goto("/{lang}/")),
    PageType("cohorts", "trainer", goto("/{lang}/trainer/")),
    PageType("cohorts-error", "trainer", send_form("/{lang}/trainer/", button="main form:not(.inline) "
                                                   "button[type=submit]")),
    PageType("dashboard", "trainer", goto("/{lang}/trainer/cohorts/{cohort}/")),
    PageType("dashboard-paged", "trainer",
             goto("/{lang}/trainer/cohorts/{large_cohort}/?sort=quiz&dir=desc&page=2")),
    PageType("settings", "trainer", goto("/{lang}/trainer/cohorts/{cohort}/settings")),
    PageType("settings-error", "trainer",
             send_form("/{lang}/trainer/cohorts/{cohort}/settings", {"#pass_mark": "150"},
                       button="main form button.primary")),
    PageType("grading", "trainer", goto("/{lang}/trainer/cohorts/{cohort}/submissions/{submitted}/")),
    PageType("grading-error", "trainer",
             send_form("/{lang}/trainer/cohorts/{cohort}/submissions/{submitted}/",
                       button="button[value=release]")),
    PageType("grading-released", "trainer",
             goto("/{lang}/trainer/cohorts/{cohort}/submissions/{released}/")),
    PageType("grading-returned", "trainer",
             goto("/{lang}/trainer/cohorts/{cohort}/submissions/{returned}/")),
    PageType("trainee-page", "trainer", goto("/{lang}/trainer/cohorts/{cohort}/trainees/{trainee}/")),
    PageType("trainee-account", "trainer",
             goto("/{lang}/trainer/cohorts/{cohort}/trainees/{trainee}/account/")),
    PageType("comment-bank", "trainer", goto("/{lang}/trainer/comment-bank/")),
    PageType("quiz-cohorts", "trainer", goto("/{lang}/quiz/")),
    PageType("quiz-statistics", "trainer", goto("/{lang}/quiz/cohort/{cohort}")),
    PageType("module-page", "trainer", goto("/{lang}/module/discussion")),
    PageType("forbidden-403", "trainer", goto("/{lang}/workshop/")),
    PageType("not-found-404", "trainer", goto("/{lang}/trainer/cohorts/999999/")),
)


def build_world(app: Flask) -> World:
    """Put each state trainee where their name says, through the app's own stores and forms."""
    ids = app.config["SEEDED_IDS"]
    cohort = ids["cohort"]
    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():  # the app's hash method, fast under test
            users = {key: create_user(db, role="trainee", cohort_id=cohort, **person)
                     for key, person in STATE_TRAINEES.items()}
        for _attempt in range(RULES.account.free):  # from the browser's address, just now
            with db.conn:
                attempts.record_failure(db, LOCKED_EMAIL, "127.0.0.1", time.time(), RULES.window)
        workshop = sample_workshop(app, justification="Growth first.\nThree accounts we can serve.")
        with db.conn:
            save_draft(db, user_id=users["drafting"], cohort_id=cohort, workshop=workshop,
                       unparsed={}, base_version=0, revision=0)
        review_attempt = _submitted_quiz(app, db, users["drafting"])
        large_cohort = create_cohort(db, name="Large cohort", trainer_id=ids["trainer"])
    finally:
        db.close()
    add_numbered_trainees(app, large_cohort, 230)

    submitted = hand_in(app, users["submitted"], cohort)
    returned = hand_in(app, users["returned"], cohort)
    first_of_rex = hand_in(app, users["released"], cohort)
    client = app.test_client()
    sign_in(client, TRAINER)
    for submission, data in ((returned, {"comment-overall": "Add a cost KPI, then resubmit."}),
                             (first_of_rex, {"comment-overall": "Weights need a reason."})):
        post_grade(client, grading_url("en", cohort, submission), {**data, "action": "return"})
    released = hand_in(app, users["released"], cohort)
    post_grade(client, grading_url("en", cohort, released),
               {**full_levels(app), "comment-overall": "Clear and well argued.\nWell done.",
                "action": "release"})
    return World(cohort=cohort, submitted=submitted, released=released, returned=returned,
                 review_attempt=review_attempt, large_cohort=large_cohort,
                 trainee=users["released"])


def _submitted_quiz(app: Flask, db: Any, user_id: int) -> int:
    """Submit an attempt with every other question answered wrongly; return its id."""
    with app.app_context():
        bank = get_course().areas["quiz"].bank("en")
    answers = {}
    for number, question in enumerate(bank.questions):
        right = number % 2 == 0
        if question.type is QuestionType.MATCHING:
            pairs = {item.id: item.answer if right else question.options[0].id
                     for item in question.items}
            answers[question.id] = Answer.matching(pairs)
        elif right:
            answers[question.id] = Answer.choice(*sorted(question.correct_option_ids))
        else:
            wrong = [option.id for option in question.options if not option.correct]
            answers[question.id] = Answer.choice(wrong[0])
    with db.conn:
        attempt = quiz_store.start_attempt(db, user_id)
        quiz_store.record_submission(db, attempt.id, attempt.token, answers,
                                     grade_attempt(bank, answers), "en")
    return attempt.id


def browser_sign_in(page, person: dict[str, str], lang: str) -> None:
    page.goto(f"/{lang}/sign-in")
    page.fill("#email", person["email"])
    page.fill("#password", person["password"])
    page.click("main button[type=submit]")
    # A trainee lands on the home page, a trainer on their cohorts (or the one dashboard).
    page.wait_for_url(re.compile(rf"/{lang}/(trainer/(cohorts/\d+/)?)?$"))


@pytest.mark.parametrize("account", list(ACCOUNTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_type_is_accessible_and_fits_a_phone(page, live_server, screenshot, request,
                                                        lang, account):
    world = build_world(live_server.app)
    person = ACCOUNTS[account]
    if person is not None:
        browser_sign_in(page, person, lang)
    pages = [item for item in PAGE_TYPES if item.account == account]
    assert pages
    for item in pages:
        page.set_viewport_size(DESKTOP)
        item.show(page, world, lang)
        assert page.locator("html").get_attribute("lang") == ("en" if lang == "en" else "zh-Hans")
        assert_accessible(page)
        name = f"{lang}-{account.replace(' ', '-')}-{item.name}"
        screenshot(page, f"{name}-1280")
        page.set_viewport_size(SMALL_PHONE)
        assert_no_horizontal_overflow(page)
        screenshot(page, f"{name}-360")
        page.set_viewport_size(PROJECTOR)
        # What the room sees at once: the first screen, not the whole scroll.
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.originalname}-{name}-1920.png"))


def test_every_account_has_page_types_in_the_list():
    assert {item.account for item in PAGE_TYPES} == set(ACCOUNTS)
