"""Release and return ask for confirmation and can be undone before the trainee sees them."""

from __future__ import annotations

import pytest

from courseware.db import connect
from tests.conftest import TRAINEE, TRAINER, browser_client, sign_in, text
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade


@pytest.fixture
def app(app):
    app.config["UNDO_WINDOW_SECONDS"] = 600
    return app


@pytest.fixture
def submission(app, ids):
    return hand_in(app, ids["trainee"], ids["cohort"])


def _status(app, submission_id):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute("SELECT status FROM workshop_submissions WHERE id = ?",
                          [submission_id]).fetchone()[0]
    finally:
        db.close()


def _trainee_view(app):
    """The trainee's feedback, home and workshop pages (home first: feedback marks it read)."""
    trainee = browser_client(app)
    sign_in(trainee, TRAINEE)
    home = text(trainee.get("/en/"))
    return text(trainee.get("/en/feedback/")), home, text(trainee.get("/en/workshop/"))


@pytest.mark.parametrize(("lang", "question", "yes"), [
    ("en", "Release this grade (40 / 100) to Tom Trainee?", "Yes, release it"),
    ("zh", "要把这份成绩（40 / 100）发布给Tom Trainee吗？", "是，发布"),
])
def test_release_asks_for_confirmation_first(app, client, ids, submission, lang, question, yes):
    sign_in(client, TRAINER)
    url = grading_url(lang, ids["cohort"], submission)
    asked = post_grade(client, url, {**full_levels(app, index=1), "action": "release"},
                       confirm=False)
    assert asked.status_code == 302 and "confirm=release" in asked.headers["Location"]
    page = text(client.get(asked.headers["Location"]))
    assert question in page and yes in page
    assert _status(app, submission) == "submitted"  # nothing released yet, the draft is saved
    assert 'value="8" data-criterion' in client.get(url).get_data(as_text=True)


def test_cancelling_the_confirmation_releases_nothing(app, client, ids, submission):
    sign_in(client, TRAINER)
    url = grading_url("en", ids["cohort"], submission)
    asked = post_grade(client, url, {**full_levels(app), "action": "return",
                                     "comment-overall": "Add costs."}, confirm=False)
    assert "Return this version to Tom Trainee for revision?" in text(
        client.get(asked.headers["Location"]))
    assert "Return this version" not in text(client.get(url))  # "Cancel" leads here
    assert _status(app, submission) == "submitted"


def test_a_release_is_hidden_from_the_trainee_until_it_can_no_longer_be_undone(
    app, client, ids, submission
):
    sign_in(client, TRAINER)
    url = grading_url("en", ids["cohort"], submission)
    post_grade(client, url, {**full_levels(app), "comment-overall": "Well done.",
                             "action": "release"})
    assert _status(app, submission) == "released"
    page = text(client.get(url))
    assert "The trainee sees it from" in page and "Undo the release" in page
    feedback, home, _workshop = _trainee_view(app)
    assert "Well done." not in feedback and "is graded" not in home

    # Ten minutes later the release is final: the trainee sees it and undo is gone.
    db = connect(app.config["DATABASE"])
    with db.conn:
        db.execute("UPDATE grades SET decided_at = '2026-01-01T00:00:00Z'")
    db.close()
    feedback, home, _workshop = _trainee_view(app)
    assert "Well done." in feedback and "Version 1 of your workshop is graded." in home
    assert "Undo the release" not in text(client.get(url))
    late = client.post(f"{url}undo")
    assert "can no longer be undone" in text(client.get(late.headers["Location"]))
    assert _status(app, submission) == "released"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_undoing_a_return_puts_the_work_back_to_grade_with_the_draft(
    app, client, ids, submission, lang
):
    sign_in(client, TRAINER)
    url = grading_url(lang, ids["cohort"], submission)
    post_grade(client, url, {"comment-overall": "Add a cost KPI.", "action": "return"})
    assert _status(app, submission) == "returned"
    feedback, home, workshop = _trainee_view(app)
    assert "Add a cost KPI." not in feedback and "returned" not in home
    assert "Submitted, waiting for grading" in workshop  # still locked, not open to revise

    undone = client.post(f"{url}undo")
    assert undone.status_code == 302
    page = text(client.get(undone.headers["Location"]))
    assert ("Undone. The trainee saw nothing" in page) if lang == "en" else ("已撤销" in page)
    assert _status(app, submission) == "submitted"
    assert "Add a cost KPI.</textarea>" in client.get(url).get_data(as_text=True)
