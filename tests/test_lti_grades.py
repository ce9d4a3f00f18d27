"""Grades to the platform's gradebook (AGS) through the outbox, and the roster (NRPS)."""

from __future__ import annotations

import pytest

from courseware.db import connect
from tests.conftest import browser_client, text
from tests.support.lti import launch, lti_app, register, tool_jwks
from tests.support.lti_platform import SCORE_TYPE, Platform
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade
from tests.test_quiz_views import bank, right_answers, start, submit

INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


@pytest.fixture
def app(tmp_path):
    return lti_app(tmp_path)


@pytest.fixture
def platform(app):
    platform = Platform(tool_jwks(app))
    register(app, platform)
    yield platform
    platform.close()


def launched(app, platform, **token):
    client = browser_client(app)
    assert launch(client, platform, **token).status_code == 302
    return client


def one(app, sql, params=()):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute(sql, params).fetchone()
    finally:
        db.close()


def instructor(app, platform):
    return launched(app, platform, sub="teacher-1", roles=INSTRUCTOR, name="Wang Fang",
                    email="wang@platform.example")


def test_the_best_quiz_score_reaches_the_platforms_gradebook(app, platform):
    teacher = instructor(app, platform)
    learner = launched(app, platform)
    url = start(learner)
    assert submit(learner, url, right_answers(bank(app))).status_code == 302
    page = teacher.get("/en/trainer/lti/courses")  # the trainer's visit sends what is due
    assert page.status_code == 200 and "Every grade has reached its platform" in text(page)
    assert [item["tag"] for item in platform.line_items] == ["kam-quiz"]
    [score] = platform.scores
    assert score["userId"] == "learner-1"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (100, 100)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    assert platform.refused == []


def test_a_failed_send_stays_visible_and_is_sent_on_the_next_visit(app, platform):
    teacher = instructor(app, platform)
    learner = launched(app, platform)
    submit(learner, start(learner), right_answers(bank(app)))
    platform.failures = 1
    page = text(teacher.get("/en/trainer/lti/courses"))
    assert "Grades not yet in the platform" in page and "Li Lei" in page and "refused" in page
    assert platform.scores == []
    retried = teacher.post("/en/trainer/lti/outbox/send")
    assert retried.status_code == 302
    assert len(platform.scores) == 1
    assert one(app, "SELECT tries, sent_at IS NOT NULL FROM lti_outbox") == (2, 1)


def test_the_command_sends_the_outbox_and_fails_while_the_platform_refuses(app, platform):
    learner = launched(app, platform)
    submit(learner, start(learner), right_answers(bank(app)))
    platform.failures = 1
    runner = app.test_cli_runner()
    failed = runner.invoke(args=["lti", "send-grades"])
    assert failed.exit_code == 1 and "not sent: Li Lei quiz" in failed.output
    sent = runner.invoke(args=["lti", "send-grades"])
    assert sent.exit_code == 0 and "Sent 1, failed 0" in sent.output
    assert platform.scores[0]["userId"] == "learner-1"


def test_a_released_workshop_grade_is_sent_once_it_can_no_longer_be_undone(app, platform):
    teacher = instructor(app, platform)
    launched(app, platform)
    user_id, cohort_id = one(app, "SELECT users.id, users.cohort_id FROM users "
                                  "JOIN lti_accounts ON user_id = users.id WHERE sub = 'learner-1'")
    submission = hand_in(app, user_id, cohort_id)
    response = post_grade(teacher, grading_url("en", cohort_id, submission),
                          {**full_levels(app), "action": "release"})
    assert response.status_code == 302
    teacher.get("/en/trainer/lti/courses")
    [score] = platform.scores
    total, = one(app, "SELECT total FROM grades WHERE submission_id = ?", [submission])
    from courseware.loaded_course import get_course

    with app.app_context():
        maximum = get_course().areas["rubric"].get("en").max_points
    assert (score["scoreGiven"], score["scoreMaximum"]) == (total, maximum)
    assert score["gradingProgress"] == "FullyGraded"
    assert [item["tag"] for item in platform.line_items] == ["kam-workshop"]


def test_a_release_undone_in_its_window_sends_nothing(tmp_path):
    app = lti_app(tmp_path, UNDO_WINDOW_SECONDS=600)
    platform = Platform(tool_jwks(app))
    try:
        register(app, platform)
        teacher = instructor(app, platform)
        launched(app, platform)
        user_id, cohort_id = one(app, "SELECT users.id, users.cohort_id FROM users "
                                      "JOIN lti_accounts ON user_id = users.id WHERE sub = 'learner-1'")
        submission = hand_in(app, user_id, cohort_id)
        url = grading_url("en", cohort_id, submission)
        post_grade(teacher, url, {**full_levels(app), "action": "release"})
        page = text(teacher.get("/en/trainer/lti/courses"))
        assert "Waiting to be sent" in page and platform.scores == []
        teacher.post(url + "undo")
        teacher.get("/en/trainer/lti/courses")
        assert platform.scores == []
        assert one(app, "SELECT count(*) FROM lti_outbox")[0] == 0
    finally:
        platform.close()


def test_scores_use_the_score_media_type_and_a_bearer_token(app, platform):
    # The platform answers 415/401 otherwise and records why; nothing refused means both held.
    learner = launched(app, platform)
    submit(learner, start(learner), right_answers(bank(app)))
    app.test_cli_runner().invoke(args=["lti", "send-grades"])
    assert platform.scores and platform.refused == []
    assert SCORE_TYPE.endswith("score+json")


def test_the_trainer_imports_the_platform_roster_into_the_cohort(app, platform):
    teacher = instructor(app, platform)
    platform.members = [
        {"user_id": "learner-7", "name": "Zhang Wei", "email": "zhang@platform.example",
         "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"], "status": "Active"},
        {"user_id": "learner-8", "name": "Gone Away", "roles": ["Learner"], "status": "Inactive"},
    ]
    context_row, cohort_id = one(app, "SELECT id, cohort_id FROM lti_contexts")
    response = teacher.post(f"/en/trainer/lti/courses/{context_row}/roster")
    assert response.status_code == 302
    assert "Roster imported: 1 new accounts." in text(teacher.get("/en/trainer/lti/courses"))
    assert one(app, "SELECT name, cohort_id, role FROM users WHERE email = 'zhang@platform.example'") \
        == ("Zhang Wei", cohort_id, "trainee")
    assert "Zhang Wei" in text(teacher.get(f"/en/trainer/cohorts/{cohort_id}/"))
    assert platform.refused == []


def test_the_trainer_links_the_platform_course_to_an_existing_cohort(app, platform, ids):
    from tests.conftest import TRAINER, sign_in

    launched(app, platform)
    db = connect(app.config["DATABASE"])
    with db.conn:  # the seeded trainer runs the platform course's cohort too
        cohort = db.execute("SELECT cohort_id FROM lti_contexts").fetchone()[0]
        db.execute("INSERT INTO cohort_trainers VALUES (?, ?)", [cohort, ids["trainer"]])
    db.close()
    trainer = browser_client(app)
    sign_in(trainer, TRAINER)
    context_row = one(app, "SELECT id FROM lti_contexts")[0]
    response = trainer.post(f"/en/trainer/lti/courses/{context_row}/cohort",
                            data={"cohort_id": ids["cohort"]})
    assert response.status_code == 302
    assert one(app, "SELECT cohort_id FROM lti_contexts")[0] == ids["cohort"]
    assert one(app, "SELECT cohort_id FROM users WHERE email = 'li.lei@platform.example'")[0] == ids["cohort"]
    # A cohort of another trainer cannot be chosen.
    refused = trainer.post(f"/en/trainer/lti/courses/{context_row}/cohort",
                           data={"cohort_id": ids["other_cohort"]})
    assert refused.status_code == 404


def test_a_trainer_of_another_cohort_neither_sees_nor_sends_the_cohorts_grades(app, platform):
    from tests.conftest import OTHER_TRAINER, sign_in

    instructor(app, platform)
    learner = launched(app, platform)
    submit(learner, start(learner), right_answers(bank(app)))
    other = browser_client(app)
    sign_in(other, OTHER_TRAINER)
    page = text(other.get("/en/trainer/lti/courses"))
    assert "Li Lei" not in page
    assert other.post("/en/trainer/lti/outbox/send").status_code == 302
    assert platform.scores == []
    assert one(app, "SELECT count(*) FROM lti_outbox WHERE sent_at IS NULL")[0] == 1
