"""A trainer removes a trainee from the cohort: work kept, restorable for 30 days, then deleted."""

from __future__ import annotations

import pytest

from courseware.db import connect
from tests.conftest import (
    OTHER_TRAINEE,
    OTHER_TRAINER,
    TRAINEE,
    TRAINER,
    FakeClock,
    browser_client,
    sign_in,
    text,
)
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade

DAY = 24 * 60 * 60


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def app(app, clock):
    app.config["CLOCK"] = clock
    return app


@pytest.fixture
def work(app, ids):
    """The trainee's record: a page read, a quiz attempt, a graded v1 returned, a v2 handed in."""
    db = connect(app.config["DATABASE"])
    with db.conn:
        db["page_views"].insert({"user_id": ids["trainee"], "page_id": "scope"})
        db["quiz_attempts"].insert({"user_id": ids["trainee"], "token": "tok-1",
                                    "submitted_at": "2026-01-01T10:00:00Z", "lang": "en",
                                    "earned": 80, "possible": 100, "percent": 80.0})
    db.close()
    first = hand_in(app, ids["trainee"], ids["cohort"])
    trainer = browser_client(app)
    sign_in(trainer, TRAINER)
    post_grade(trainer, grading_url("en", ids["cohort"], first),
               {**full_levels(app), "comment-overall": "Revise the KPIs.", "action": "return"})
    second = hand_in(app, ids["trainee"], ids["cohort"])
    return {"first": first, "second": second}


def _counts(app, user_id):
    db = connect(app.config["DATABASE"])
    try:
        return {
            table: db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?",  # noqa: S608
                              [user_id]).fetchone()[0]
            for table, column in (("users", "id"), ("page_views", "user_id"),
                                  ("quiz_attempts", "user_id"),
                                  ("workshop_submissions", "user_id"), ("grades", "trainee_id"))
        }
    finally:
        db.close()


def _remove(client, ids, lang="en"):
    return client.post(f"/{lang}/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/remove")


def _restore(client, ids, lang="en"):
    return client.post(f"/{lang}/trainer/cohorts/{ids['cohort']}/removed/{ids['trainee']}/restore")


@pytest.mark.parametrize(("lang", "button", "question", "yes"), [
    ("en", "Remove from the cohort", "Remove Tom Trainee from “Spring cohort”?", "Yes, remove them"),
    ("zh", "移出学员班", "要把Tom Trainee移出“Spring cohort”吗？", "是，移出"),
])
def test_removal_asks_for_confirmation_on_the_trainee_page(trainer_client, ids, lang, button,
                                                           question, yes):
    url = f"/{lang}/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/"
    page = text(trainer_client.get(url))
    assert button in page and question not in page
    asked = text(trainer_client.get(url + "?confirm=remove"))
    assert question in asked and yes in asked
    # Asking removed nothing.
    assert trainer_client.get(url).status_code == 200


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_removed_trainee_leaves_dashboard_queue_and_exports_but_keeps_their_work(
        app, trainer_client, ids, work, lang):
    before = _counts(app, ids["trainee"])
    dashboard = f"/{lang}/trainer/cohorts/{ids['cohort']}/"
    assert "Grade the next submission" in text(trainer_client.get("/en" + dashboard[3:]))
    removed = _remove(trainer_client, ids, lang)
    assert removed.status_code == 302 and removed.headers["Location"].endswith("#removed")

    page = trainer_client.get(dashboard).get_data(as_text=True)
    roster = page.split('<section class="panel">')[1].split('id="removed"')[0]
    assert "Tom Trainee" not in roster  # not among the cohort's trainees
    assert "Grade the next submission" not in text(trainer_client.get("/en" + dashboard[3:]))
    removed_list = text(trainer_client.get(dashboard)).split("Removed trainees" if lang == "en"
                                                             else "已移出的学员")[1]
    assert "Tom Trainee" in removed_list and "trainee@example.com" in removed_list
    for export in ("results.csv", "results.xlsx"):
        body = trainer_client.get(dashboard + export).get_data()
        assert b"trainee@example.com" not in body
    attempts = trainer_client.get(f"/{lang}/quiz/cohort/{ids['cohort']}/attempts.csv")
    assert "trainee@example.com" not in attempts.get_data(as_text=True)
    # Their pages, old links to their work, and grading all answer "not found".
    assert trainer_client.get(
        f"/{lang}/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/").status_code == 404
    assert trainer_client.get(grading_url(lang, ids["cohort"], work["second"])).status_code == 404
    assert _counts(app, ids["trainee"]) == before  # nothing of their work is deleted


def test_removed_trainee_is_signed_out_and_told_why_in_their_language(app, trainer_client, ids):
    trainee = browser_client(app)
    assert sign_in(trainee, TRAINEE).status_code == 302
    assert trainee.get("/en/workshop/").status_code == 200
    _remove(trainer_client, ids)
    # The session they had is over.
    assert trainee.get("/en/workshop/").status_code == 302
    english = sign_in(browser_client(app), TRAINEE, "en")
    assert english.status_code == 403
    assert ("Your trainer removed you from the cohort “Spring cohort” on 15 Jan 2027, 08:00 UTC, "
            "so you cannot sign in. Your work is kept until 14 Feb 2027, 08:00 UTC"
            in text(english))
    chinese = sign_in(browser_client(app), TRAINEE, "zh")
    assert chinese.status_code == 403
    assert "你的培训师已于2027年1月15日 08:00 UTC将你移出学员班“Spring cohort”" in text(chinese)
    # A wrong password still says only that the password is wrong.
    wrong = sign_in(browser_client(app), {**TRAINEE, "password": "not-the-password"})
    assert "removed" not in text(wrong)


def test_restore_brings_everything_back_as_it_was(app, trainer_client, ids, work, clock):
    before = _counts(app, ids["trainee"])
    trainee_page = f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/"
    record_before = text(trainer_client.get(trainee_page))
    _remove(trainer_client, ids)
    clock.advance(29 * DAY)
    restored = _restore(trainer_client, ids)
    assert restored.headers["Location"].endswith(trainee_page)
    assert "Tom Trainee is back in the cohort, with all their work." in text(
        trainer_client.get(restored.headers["Location"]))
    assert text(trainer_client.get(trainee_page)) == record_before
    assert _counts(app, ids["trainee"]) == before
    dashboard = text(trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/"))
    assert "Grade the next submission (1 waiting)" in dashboard
    assert "Removed trainees" not in dashboard
    assert sign_in(browser_client(app), TRAINEE).status_code == 302


def test_after_30_days_the_trainer_visit_deletes_the_trainee_for_good(app, trainer_client, ids,
                                                                      work, clock):
    _remove(trainer_client, ids)
    clock.advance(30 * DAY - 60)
    assert "Tom Trainee" in text(trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/"))
    assert _counts(app, ids["trainee"])["users"] == 1
    clock.advance(120)
    dashboard = text(trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/"))
    assert "Tom Trainee" not in dashboard and "Removed trainees" not in dashboard
    assert set(_counts(app, ids["trainee"]).values()) == {0}
    late = _restore(trainer_client, ids)
    assert "can no longer be restored" in text(trainer_client.get(late.headers["Location"]))
    # The other cohort's trainee is untouched.
    assert _counts(app, ids["other_trainee"])["users"] == 1


def test_the_cli_deletes_only_removals_past_30_days(app, trainer_client, ids, work, clock):
    _remove(trainer_client, ids)
    runner = app.test_cli_runner()
    clock.advance(29 * DAY)
    kept = runner.invoke(args=["users", "purge-removed"])
    assert kept.exit_code == 0 and "Deleted 0" in kept.output
    assert _counts(app, ids["trainee"])["users"] == 1
    clock.advance(2 * DAY)
    gone = runner.invoke(args=["users", "purge-removed"])
    assert gone.exit_code == 0 and "Deleted 1" in gone.output and "trainee@example.com" in gone.output
    assert set(_counts(app, ids["trainee"]).values()) == {0}


@pytest.mark.parametrize("person", [OTHER_TRAINEE, OTHER_TRAINER])
def test_only_the_cohorts_trainer_can_remove_or_restore(app, client, ids, person):
    sign_in(client, person)
    expected = 403 if person is OTHER_TRAINEE else 404
    assert _remove(client, ids).status_code == expected
    assert _counts(app, ids["trainee"])["users"] == 1
    trainer = browser_client(app)
    sign_in(trainer, TRAINER)
    assert "Tom Trainee" in text(trainer.get(f"/en/trainer/cohorts/{ids['cohort']}/"))
    _remove(trainer, ids)
    assert _restore(client, ids).status_code == expected
    page = trainer.get(f"/en/trainer/cohorts/{ids['cohort']}/").get_data(as_text=True)
    assert "Tom Trainee" not in page.split('<section class="panel">')[1].split('id="removed"')[0]


def test_anonymous_cannot_remove_or_restore(app, client, ids):
    assert "/sign-in" in _remove(client, ids).headers["Location"]
    assert "/sign-in" in _restore(client, ids).headers["Location"]
    assert sign_in(browser_client(app), TRAINEE).status_code == 302


def test_a_cross_site_removal_is_refused(app, trainer_client, ids):
    trainer_client.environ_base["HTTP_SEC_FETCH_SITE"] = "cross-site"
    assert _remove(trainer_client, ids).status_code == 403
    assert sign_in(browser_client(app), TRAINEE).status_code == 302


def test_a_trainer_cannot_restore_into_a_cohort_the_trainee_was_not_removed_from(app, ids):
    db = connect(app.config["DATABASE"])
    db["cohort_trainers"].insert({"cohort_id": ids["other_cohort"], "user_id": ids["trainer"]})
    db.close()
    trainer = browser_client(app)
    sign_in(trainer, TRAINER)
    _remove(trainer, ids)
    wrong = trainer.post(f"/en/trainer/cohorts/{ids['other_cohort']}/removed/{ids['trainee']}/restore")
    assert "can no longer be restored" in text(trainer.get(wrong.headers["Location"]))
    assert sign_in(browser_client(app), TRAINEE).status_code == 403


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_reset_link_sets_the_password_but_does_not_let_a_removed_trainee_in(app, trainer_client,
                                                                             ids, clock, lang):
    from courseware.auth import resets

    _remove(trainer_client, ids)
    db = connect(app.config["DATABASE"])
    with db.conn:
        token, _expires = resets.issue(db, ids["trainee"], clock())
    db.close()
    trainee = browser_client(app)
    new = "a-brand-new-pass-42"
    answer = trainee.post(f"/{lang}/reset-password/{token}",
                          data={"password": new, "confirm": new})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/{lang}/sign-in")
    told = text(trainee.get(answer.headers["Location"]))
    assert ("Your new password is set. Your trainer removed you" if lang == "en"
            else "新密码已设置。你的培训师已于") in told
    assert trainee.get(f"/{lang}/workshop/").status_code == 302  # not signed in
    assert sign_in(browser_client(app), {**TRAINEE, "password": new}).status_code == 403


def test_the_removed_trainees_quiz_review_and_account_page_are_out_of_reach(app, trainer_client,
                                                                             ids, work):
    db = connect(app.config["DATABASE"])
    attempt = db.execute("SELECT id FROM quiz_attempts WHERE user_id = ?",
                         [ids["trainee"]]).fetchone()[0]
    db.close()
    review = f"/en/quiz/cohort/{ids['cohort']}/attempts/{attempt}"
    account = f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/account/"
    assert trainer_client.get(review).status_code == 200
    assert trainer_client.get(account).status_code == 200
    _remove(trainer_client, ids)
    assert trainer_client.get(review).status_code == 404
    assert trainer_client.get(account).status_code == 404
    stats = text(trainer_client.get(f"/en/quiz/cohort/{ids['cohort']}"))
    assert "Tom Trainee" not in stats
