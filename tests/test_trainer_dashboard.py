"""The cohort dashboard, its settings and the CSV exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import g

from courseware.auth.users import create_user
from courseware.db import connect
from tests.conftest import post_form, text
from tests.trainer_support import full_levels, grading_url, hand_in, post_grade

LANGS = ("en", "zh")


def _db(app):
    return connect(app.config["DATABASE"])


def _add_trainee(app, cohort_id, name, email, pages=0, quiz=None):
    db = _db(app)
    try:
        user_id = create_user(db, email=email, name=name, password="pass-word-123",
                              role="trainee", cohort_id=cohort_id)
        for page_id in [f"page-{n}" for n in range(pages)]:
            db["page_views"].insert({"user_id": user_id, "page_id": page_id})
        if quiz is not None:
            db["quiz_attempts"].insert({
                "user_id": user_id, "token": f"tok-{user_id}", "submitted_at": "2026-01-01",
                "lang": "en", "earned": quiz, "possible": 100, "percent": quiz,
            })
    finally:
        db.close()
    return user_id


def _rows(response):
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def cohort_with_progress(app, ids, trainer_client):
    """Tom (graded 100%), Amy (submitted), Bo (quiz only), Cai (nothing)."""
    cohort = ids["cohort"]
    graded = hand_in(app, ids["trainee"], cohort)
    post_grade(trainer_client, grading_url("en", cohort, graded),
               {**full_levels(app, index=3), "action": "release"})
    amy = _add_trainee(app, cohort, "Amy", "amy@example.com", pages=15, quiz=60.0)
    hand_in(app, amy, cohort)
    _add_trainee(app, cohort, "Bo", "bo@example.com", pages=3, quiz=90.0)
    _add_trainee(app, cohort, "Cai", "cai@example.com")
    return cohort


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_lists_progress_with_counts(trainer_client, cohort_with_progress, lang):
    page = trainer_client.get(f"/{lang}/trainer/cohorts/{cohort_with_progress}/")
    assert page.status_code == 200
    body = text(page)
    if lang == "en":
        assert "4 Trainees" in body and "1 Passed the quiz" in body
        assert "2 Not started" in body and "1 Submitted, to grade" in body and "1 Graded" in body
        assert "15 of 15" in body and "100 / 100" in body
    else:
        assert "4 学员" in body and "1 已通过测验" in body
        assert "2 未开始" in body and "1 已提交" in body and "1 已评分" in body


def test_dashboard_sorts_by_quiz_best_score(trainer_client, cohort_with_progress):
    html = trainer_client.get(
        f"/en/trainer/cohorts/{cohort_with_progress}/?sort=quiz&dir=desc").get_data(as_text=True)
    names = re.findall(r"<td><strong>([^<]+)</strong>", html)
    assert names == ["Bo", "Amy", "Cai", "Tom Trainee"]  # blanks last
    assert 'aria-sort="descending"' in html


def test_dashboard_links_into_grading(trainer_client, cohort_with_progress):
    html = trainer_client.get(f"/en/trainer/cohorts/{cohort_with_progress}/").get_data(
        as_text=True)
    assert re.search(r'href="/en/trainer/cohorts/\d+/submissions/\d+/">Grade', html)


def test_dashboard_runs_the_same_number_of_queries_whatever_the_cohort_size(
    app, ids, trainer_client
):
    app.config["COUNT_QUERIES"] = True
    url = f"/en/trainer/cohorts/{ids['cohort']}/"
    with trainer_client:  # keeps the request context, and so `g`, after the request
        trainer_client.get(url)
        small = g.query_count
    assert small > 0
    for n in range(8):
        user = _add_trainee(app, ids["cohort"], f"T{n}", f"t{n}@example.com", pages=2, quiz=80.0)
        hand_in(app, user, ids["cohort"])
    with trainer_client:
        assert trainer_client.get(url).status_code == 200
        assert g.query_count == small


@pytest.mark.parametrize("lang", LANGS)
def test_settings_are_saved(app, trainer_client, ids, lang):
    url = f"/{lang}/trainer/cohorts/{ids['cohort']}/settings"
    response = post_form(trainer_client, url, {"name": "Autumn", "org_name": "华润",
                                               "pass_mark": "80", "max_key_accounts": "6"})
    assert response.status_code == 302
    cohort = _db(app)["cohorts"].get(ids["cohort"])
    assert (cohort["name"], cohort["org_name"], cohort["pass_mark"],
            cohort["max_key_accounts"]) == ("Autumn", "华润", 80, 6)


@pytest.mark.parametrize("lang", LANGS)
def test_bad_settings_get_messages_and_keep_what_was_typed(app, trainer_client, ids, lang):
    url = f"/{lang}/trainer/cohorts/{ids['cohort']}/settings"
    response = post_form(trainer_client, url, {"name": "Kept name", "org_name": "Kept org",
                                               "pass_mark": "150", "max_key_accounts": "0"})
    assert response.status_code == 422
    body = text(response)
    if lang == "en":
        assert "Enter a whole number from 0 to 100." in body
        assert "Enter a whole number from 1 to 16." in body
    else:
        assert "请填写 0 到 100 之间的整数。" in body
    html = response.get_data(as_text=True)
    assert 'value="Kept name"' in html and 'value="150"' in html
    assert _db(app)["cohorts"].get(ids["cohort"])["pass_mark"] == 75


def test_join_code_can_be_regenerated(app, trainer_client, ids):
    url = f"/en/trainer/cohorts/{ids['cohort']}/join-code"
    response = post_form(trainer_client, url, {},
                         form_url=f"/en/trainer/cohorts/{ids['cohort']}/settings")
    assert response.status_code == 302
    code = _db(app)["cohorts"].get(ids["cohort"])["join_code"]
    assert code != "KAM-TEST" and code.startswith("KAM-")
    assert code in text(trainer_client.get(response.headers["Location"]))


@pytest.mark.parametrize("lang", LANGS)
def test_results_export_has_every_number(trainer_client, cohort_with_progress, lang):
    response = trainer_client.get(f"/{lang}/trainer/cohorts/{cohort_with_progress}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _rows(response)
    header = rows[0]
    assert len(header) == 7 + 6 + 1  # fixed columns, one per rubric criterion, the total
    if lang == "zh":
        assert header[0] == "学员" and "选择标准明确、客观 (20)" in header
    tom = next(row for row in rows if row[0] == "Tom Trainee")
    assert tom[7:] == ["20", "15", "15", "15", "15", "20", "100"]
    amy = next(row for row in rows if row[0] == "Amy")
    assert amy[2:5] == ["15", "60.0", "No" if lang == "en" else "否"]
    assert amy[7:] == [""] * 7


def test_results_export_neutralises_formulas_and_keeps_chinese(app, trainer_client, ids):
    _add_trainee(app, ids["cohort"], "=HYPERLINK(\"http://evil\")", "evil@example.com")
    _add_trainee(app, ids["cohort"], "王芳", "wang@example.com")
    rows = _rows(trainer_client.get(f"/zh/trainer/cohorts/{ids['cohort']}/results.csv"))
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil\")" in names
    assert "王芳" in names


def test_empty_cohort_exports_the_headings(app, trainer_client, ids):
    from courseware.trainer.cohorts import create_cohort

    db = _db(app)
    empty = create_cohort(db, name="Empty", trainer_id=ids["trainer"])
    db.close()
    response = trainer_client.get(f"/en/trainer/cohorts/{empty}/results.csv")
    assert response.status_code == 200
    assert len(_rows(response)) == 1
    assert "No trainee has joined this cohort yet" in text(
        trainer_client.get(f"/en/trainer/cohorts/{empty}/"))


@pytest.mark.parametrize("lang", LANGS)
def test_submission_export_has_criteria_weights_scores_and_kpis(
    app, trainer_client, ids, lang
):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    response = trainer_client.get(
        f"/{lang}/trainer/cohorts/{ids['cohort']}/submissions/{submission}/export.csv")
    assert response.status_code == 200
    rows = _rows(response)
    flat = [cell for row in rows for cell in row]
    assert "Revenue" in flat and "60" in flat and "Relationship" in flat
    assert "On time in full" in flat and "'+10%" in flat  # a KPI target, neutralised
    assert ("Key account" if lang == "en" else "大客户") in flat
