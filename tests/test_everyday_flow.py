"""The everyday flow: where a trainer lands, what the dashboard leads to, what a trainee is told."""

from __future__ import annotations

import pytest

from courseware.db import connect
from courseware.trainer.cohorts import create_cohort
from tests.conftest import TRAINEE, TRAINER, sign_in, text
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade


def test_a_trainer_with_one_cohort_lands_on_its_dashboard(client, ids):
    response = sign_in(client, TRAINER)
    assert response.status_code == 302
    landing = client.get(response.headers["Location"])
    assert landing.headers["Location"] == f"/en/trainer/cohorts/{ids['cohort']}/"


def test_a_trainer_with_several_cohorts_lands_on_the_list(app, client, ids):
    db = connect(app.config["DATABASE"])
    create_cohort(db, name="Autumn cohort", trainer_id=ids["trainer"], join_code="KAM-AUT")
    db.close()
    landing = client.get(sign_in(client, TRAINER, "zh").headers["Location"])
    assert landing.headers["Location"] == "/zh/trainer/"


def test_a_trainee_still_lands_on_the_module_home(client):
    assert sign_in(client, TRAINEE).headers["Location"] == "/en/"


def test_the_dashboard_links_to_quiz_statistics_and_the_next_submission(app, trainer_client, ids):
    dashboard = f"/en/trainer/cohorts/{ids['cohort']}/"
    html = trainer_client.get(dashboard).get_data(as_text=True)
    assert f'href="/en/quiz/cohort/{ids["cohort"]}"' in html
    assert "Grade the next submission" not in html  # nothing to grade yet
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    zh = trainer_client.get(f"/zh/trainer/cohorts/{ids['cohort']}/")
    assert f'href="{grading_url("zh", ids["cohort"], submission)}"' in zh.get_data(as_text=True)
    assert "为下一份提交评分（1 份待评）" in text(zh)


@pytest.mark.parametrize(("action", "en", "zh"), [
    ("return", "returned version 1 of your workshop for revision", "退回修改"),
    ("release", "Version 1 of your workshop is graded.", "已评分"),
])
def test_the_trainee_is_told_of_graded_or_returned_work_until_they_read_it(
    app, client, ids, action, en, zh
):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    sign_in(client, TRAINER)
    post_grade(client, grading_url("en", ids["cohort"], submission),
               {**full_levels(app), "comment-overall": "Add a cost KPI.", "action": action})
    client.post("/en/sign-out")
    sign_in(client, TRAINEE)
    assert en in text(client.get("/en/"))
    home = client.get("/zh/")
    assert zh in text(home)
    assert 'badge-new' in home.get_data(as_text=True)  # beside "Feedback" in the navigation

    feedback = client.get("/en/feedback/").get_data(as_text=True)
    if action == "return":
        assert 'href="/en/workshop/"' in feedback  # straight back to revise it
    assert en not in text(client.get("/en/"))  # read now: no longer news
    assert 'badge-new' not in client.get("/en/").get_data(as_text=True)
