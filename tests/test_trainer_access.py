"""Every trainer route refuses anonymous visitors, trainees and trainers of other cohorts."""

from __future__ import annotations

import pytest

from tests.conftest import OTHER_TRAINER, TRAINEE, TRAINER, sign_in
from tests.support.trainer import hand_in

# (method, path template, form or JSON body); {c} is the cohort, {s} a submission in it.
ROUTES = [
    ("GET", "/{lang}/trainer/cohorts/{c}/", None),
    ("GET", "/{lang}/trainer/cohorts/{c}/settings", None),
    ("POST", "/{lang}/trainer/cohorts/{c}/settings",
     {"name": "Hijacked", "org_name": "X", "pass_mark": "1", "max_key_accounts": "9"}),
    ("POST", "/{lang}/trainer/cohorts/{c}/join-code", {}),
    ("GET", "/{lang}/trainer/cohorts/{c}/results.csv", None),
    ("GET", "/{lang}/trainer/cohorts/{c}/results.xlsx", None),
    ("GET", "/{lang}/trainer/cohorts/{c}/submissions/{s}/", None),
    ("POST", "/{lang}/trainer/cohorts/{c}/submissions/{s}/",
     {"revision": "0", "comment-overall": "Hijacked", "action": "save"}),
    ("POST", "/{lang}/trainer/cohorts/{c}/submissions/{s}/autosave",
     {"json": {"revision": 0, "levels": {}, "comments": {}, "overall_comment": "Hijacked"}}),
    ("GET", "/{lang}/trainer/cohorts/{c}/submissions/{s}/export.csv", None),
    ("GET", "/{lang}/trainer/cohorts/{c}/trainees/{t}/", None),
    ("POST", "/{lang}/trainer/cohorts/{c}/trainees/{t}/move", {"cohort": "2"}),
    ("GET", "/{lang}/trainer/cohorts/{c}/trainees/{t}/account/", None),
    ("POST", "/{lang}/trainer/cohorts/{c}/trainees/{t}/account/unlock", {}),
    ("POST", "/{lang}/trainer/cohorts/{c}/trainees/{t}/account/reset-link", {}),
    ("POST", "/{lang}/trainer/cohorts/{c}/submissions/{s}/undo", {}),
    ("POST", "/{lang}/trainer/cohorts/{c}/trainees/{t}/remove", {}),
    ("GET", "/{lang}/trainer/cohorts/{c}/trainees/{t}/submissions.csv", None),
    ("GET", "/{lang}/trainer/cohorts/{c}/trainees/{t}/submissions.xlsx", None),
    ("GET", "/{lang}/trainer/cohorts/{c}/submissions.zip", None),
    ("POST", "/{lang}/trainer/cohorts/{c}/removed/{t}/restore", {}),
    ("GET", "/{lang}/quiz/cohort/{c}/attempts.csv", None),
]
LANGS = ("en", "zh")


def _request(client, method, url, body, token_page):
    if method == "GET":
        return client.get(url)
    if body and "json" in body:
        return client.post(url, json=body["json"])
    return client.post(url, data={**(body or {})})


@pytest.fixture
def target(app, ids):
    return {"c": ids["cohort"], "s": hand_in(app, ids["trainee"], ids["cohort"]),
            "t": ids["trainee"]}


def _unchanged(app, ids, target):
    from courseware.db import connect

    db = connect(app.config["DATABASE"])
    try:
        cohort = db["cohorts"].get(ids["cohort"])
        grades = db.execute("SELECT count(*) FROM grades").fetchone()[0]
    finally:
        db.close()
    assert cohort["name"] == "Spring cohort"
    assert cohort["join_code"] == "KAM-TEST"
    assert grades == 0


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_anonymous_visitor_is_sent_to_sign_in(app, client, ids, target, lang, method, path, body):
    response = _request(client, method, path.format(lang=lang, **target), body,
                        f"/{lang}/sign-in")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    _unchanged(app, ids, target)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_trainee_is_refused(app, client, ids, target, lang, method, path, body):
    sign_in(client, TRAINEE)
    response = _request(client, method, path.format(lang=lang, **target), body,
                        f"/{lang}/feedback/")
    assert response.status_code == 403
    _unchanged(app, ids, target)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_trainer_of_another_cohort_is_refused(app, client, ids, target, lang, method, path, body):
    sign_in(client, OTHER_TRAINER)
    response = _request(client, method, path.format(lang=lang, **target), body,
                        f"/{lang}/trainer/")
    assert response.status_code == 404
    _unchanged(app, ids, target)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_owning_trainer_is_let_in(client, target, lang, method, path, body):
    sign_in(client, TRAINER)
    url = path.format(lang=lang, **target)
    token_page = f"/{lang}/trainer/cohorts/{target['c']}/submissions/{target['s']}/"
    response = _request(client, method, url, body, token_page)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "/sign-in" not in response.headers["Location"]


def test_trainer_of_several_cohorts_sees_each(app, client, ids, target):
    from courseware.db import connect

    db = connect(app.config["DATABASE"])
    db["cohort_trainers"].insert({"cohort_id": ids["cohort"], "user_id": ids["other_trainer"]})
    db.close()
    sign_in(client, OTHER_TRAINER)
    assert client.get(f"/en/trainer/cohorts/{ids['cohort']}/").status_code == 200
    assert client.get(f"/en/trainer/cohorts/{ids['other_cohort']}/").status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_comment_bank_is_for_trainers_only(client, lang):
    body = {"target": "overall", "text": "Nice"}
    anonymous = client.post(f"/{lang}/trainer/comment-bank", json=body)
    assert anonymous.status_code == 302
    sign_in(client, TRAINEE)
    trainee = client.post(f"/{lang}/trainer/comment-bank", json=body)
    assert trainee.status_code == 403


@pytest.mark.parametrize("lang", LANGS)
def test_feedback_is_for_trainees_only(client, lang):
    assert client.get(f"/{lang}/feedback/").status_code == 302
    sign_in(client, TRAINER)
    assert client.get(f"/{lang}/feedback/").status_code == 403


def test_trainee_sees_only_their_own_feedback(app, client, ids):
    from tests.support.trainer import full_levels, grading_url, post_grade

    own = hand_in(app, ids["trainee"], ids["cohort"])
    foreign = hand_in(app, ids["other_trainee"], ids["other_cohort"])
    sign_in(client, TRAINER)
    post_grade(client, grading_url("en", ids["cohort"], own),
               {**full_levels(app), "comment-overall": "For Tom", "action": "release"})
    client.post("/en/sign-out")
    sign_in(client, OTHER_TRAINER)
    post_grade(client, grading_url("en", ids["other_cohort"], foreign),
               {**full_levels(app), "comment-overall": "For Sam", "action": "release"})
    client.post("/en/sign-out")
    sign_in(client, TRAINEE)
    page = client.get("/en/feedback/").get_data(as_text=True)
    assert "For Tom" in page and "For Sam" not in page
