"""The trainer's page for one trainee: reading, quiz attempts with reviews, workshop, grades."""

from __future__ import annotations

import pytest

from courseware.db import connect
from tests.conftest import OTHER_TRAINER, TRAINEE, TRAINER, sign_in, text
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade


def _trainee_url(lang, ids, trainee="trainee"):
    return f"/{lang}/trainer/cohorts/{ids['cohort']}/trainees/{ids[trainee]}/"


def _take_quiz(client) -> int:
    """Start the quiz as the signed-in trainee; return the attempt id (answers come later)."""
    attempt_url = client.post("/en/quiz/start").headers["Location"]
    return int(attempt_url.rstrip("/").rsplit("/", 1)[1])


def _submit_attempt(app, attempt_id: int, percent: float) -> None:
    db = connect(app.config["DATABASE"])
    with db.conn:
        db.execute("UPDATE quiz_attempts SET submitted_at = '2026-12-01T09:30:00Z', lang = 'en',"
                   " earned = ?, possible = 17, percent = ? WHERE id = ?",
                   [percent * 17 / 100, percent, attempt_id])
    db.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_trainee_page_shows_reading_quiz_workshop_and_grades(app, client, ids, lang):
    sign_in(client, TRAINEE)
    client.get("/en/module/scope")
    attempt = _take_quiz(client)
    client.post("/en/sign-out")
    _submit_attempt(app, attempt, 73.53)
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    sign_in(client, TRAINER)
    post_grade(client, grading_url("en", ids["cohort"], submission),
               {**full_levels(app), "comment-overall": "Add a cost KPI.", "action": "return"})

    dashboard = client.get(f"/{lang}/trainer/cohorts/{ids['cohort']}/").get_data(as_text=True)
    assert f'href="{_trainee_url(lang, ids)}"' in dashboard
    page = client.get(_trainee_url(lang, ids))
    assert page.status_code == 200
    body, html = text(page), page.get_data(as_text=True)
    assert TRAINEE["name"] in body and TRAINEE["email"] in body
    assert "73.53%" in body
    assert f'href="/{lang}/quiz/cohort/{ids["cohort"]}/attempts/{attempt}"' in html
    assert "Add a cost KPI." in body
    assert f'href="{grading_url(lang, ids["cohort"], submission)}"' in html
    if lang == "en":
        assert "Pages read: 1 of 15" in body
        assert "first read" in body and "not read" in body
        assert "Returned for revision" in body
    else:
        assert "已读页面：1 / 15" in body
        assert "首次阅读" in body and "未读" in body


def test_the_trainer_reads_the_review_of_a_trainees_attempt(app, client, ids):
    sign_in(client, TRAINEE)
    attempt = _take_quiz(client)
    client.post("/en/sign-out")
    _submit_attempt(app, attempt, 0)
    sign_in(client, TRAINER)
    review = client.get(f"/zh/quiz/cohort/{ids['cohort']}/attempts/{attempt}")
    assert review.status_code == 200
    assert f"{TRAINEE['name']}于 2026年12月1日 09:30 UTC 的测验得分" in text(review)
    assert "学员的答案" in text(review)
    assert "再测一次" not in text(review)


def test_another_trainer_cannot_see_the_trainee_or_their_attempts(app, client, ids):
    sign_in(client, TRAINEE)
    attempt = _take_quiz(client)
    client.post("/en/sign-out")
    _submit_attempt(app, attempt, 50)
    sign_in(client, OTHER_TRAINER)
    assert client.get(_trainee_url("en", ids)).status_code == 404
    assert client.get(f"/en/quiz/cohort/{ids['cohort']}/attempts/{attempt}").status_code == 404
    other = f"/en/quiz/cohort/{ids['other_cohort']}/attempts/{attempt}"
    assert client.get(other).status_code == 404  # their own cohort, not their trainee


def test_a_trainee_of_another_cohort_is_not_found_and_trainees_are_refused(client, ids):
    sign_in(client, TRAINER)
    assert client.get(_trainee_url("en", ids, "other_trainee")).status_code == 404
    client.post("/en/sign-out")
    sign_in(client, TRAINEE)
    assert client.get(_trainee_url("en", ids)).status_code == 403


@pytest.fixture
def autumn(app, ids):
    from courseware.trainer.cohorts import create_cohort

    db = connect(app.config["DATABASE"])
    cohort = create_cohort(db, name="Autumn cohort", trainer_id=ids["trainer"],
                           join_code="KAM-AUT")
    db.close()
    return cohort


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_trainee_moves_to_another_cohort_with_their_work(app, client, ids, autumn, lang):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    sign_in(client, TRAINER)
    post_grade(client, grading_url("en", ids["cohort"], submission),
               {**full_levels(app), "comment-overall": "Add a cost KPI.", "action": "return"})
    moved = client.post(f"{_trainee_url(lang, ids)}move", data={"cohort": str(autumn)})
    new_page = f"/{lang}/trainer/cohorts/{autumn}/trainees/{ids['trainee']}/"
    assert moved.headers["Location"] == new_page
    page = text(client.get(new_page))
    assert ("now in “Autumn cohort”" if lang == "en" else "现已在“Autumn cohort”学员班") in page
    assert "Add a cost KPI." in page  # the grade came along
    assert client.get(grading_url(lang, autumn, submission)).status_code == 200
    assert client.get(_trainee_url(lang, ids)).status_code == 404  # no longer in Spring
    assert TRAINEE["name"] not in text(client.get(f"/{lang}/trainer/cohorts/{ids['cohort']}/"))


def test_a_trainee_cannot_be_moved_to_a_cohort_the_trainer_does_not_run(app, client, ids, autumn):
    sign_in(client, TRAINER)
    for target in (str(ids["other_cohort"]), str(ids["cohort"]), "nonsense", ""):
        refused = client.post(f"{_trainee_url('en', ids)}move", data={"cohort": target})
        assert refused.headers["Location"] == _trainee_url("en", ids)
        assert "Choose one of your other cohorts" in text(client.get(refused.headers["Location"]))
    db = connect(app.config["DATABASE"])
    assert db["users"].get(ids["trainee"])["cohort_id"] == ids["cohort"]
    db.close()
