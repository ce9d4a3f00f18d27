"""Grading a submission: levels, comments, drafts, release, return, resubmit, conflicts."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import OTHER_TRAINER, TRAINEE, TRAINER, sign_in, text
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade

LANGS = ("en", "zh")


@pytest.fixture
def submission_id(app, ids):
    return hand_in(app, ids["trainee"], ids["cohort"])


def _revision(html: str) -> int:
    return int(re.search(r'name="revision" value="(-?\d+)"', html).group(1))


@pytest.mark.parametrize("lang", LANGS)
def test_grading_page_shows_the_work_beside_the_rubric(trainer_client, ids, submission_id, lang):
    page = trainer_client.get(grading_url(lang, ids["cohort"], submission_id))
    assert page.status_code == 200
    body = text(page)
    assert TRAINEE["name"] in body
    assert "Focus on growth." in body  # the justification, as typed
    assert "Revenue growth" in body  # a KPI
    assert "<svg" in page.get_data(as_text=True)  # the workshop area's chart
    expected = "Selection criteria are defined and objective" if lang == "en" else "选择标准明确、客观"
    assert expected in body


@pytest.mark.parametrize("lang", LANGS)
def test_draft_keeps_levels_and_comments_and_says_when_saved(
    trainer_client, ids, submission_id, lang
):
    url = grading_url(lang, ids["cohort"], submission_id)
    comment = "Thresholds are clear.\n阈值清楚，客观。  "
    response = post_grade(trainer_client, url, {
        "level-criteria_defined": "14", "comment-criteria_defined": comment, "action": "save",
    })
    assert response.status_code == 302
    html = trainer_client.get(url).get_data(as_text=True)
    assert 'value="14" data-criterion="criteria_defined" checked' in html
    assert "Thresholds are clear.\n阈值清楚，客观。  </textarea>" in html
    assert ("Last saved at" if lang == "en" else "最后保存于") in html
    assert 'id="live-total" for="grading-form">14<' in html


@pytest.mark.parametrize("lang", LANGS)
def test_points_outside_the_levels_are_refused_and_comments_stay(
    trainer_client, ids, submission_id, lang
):
    url = grading_url(lang, ids["cohort"], submission_id)
    response = post_grade(trainer_client, url, {
        "level-criteria_defined": "13", "comment-criteria_defined": "Keep this long text",
        "comment-overall": "And this", "action": "save",
    })
    assert response.status_code == 422
    body = text(response)
    assert ("0, 8, 14, 20" in body)
    assert "Keep this long text" in body and "And this" in body
    assert ("Choose one of the rubric" in body) if lang == "en" else ("请从评分量表" in body)


@pytest.mark.parametrize("lang", LANGS)
def test_release_needs_every_level_but_keeps_the_draft(trainer_client, ids, submission_id, lang):
    url = grading_url(lang, ids["cohort"], submission_id)
    response = post_grade(trainer_client, url, {
        "level-criteria_defined": "20", "comment-overall": "Nearly there", "action": "release",
    })
    assert response.status_code == 422
    assert ("Choose a level before releasing" in text(response)) if lang == "en" else (
        "发布成绩前" in text(response))
    # The draft was saved on the way: reloading shows it.
    html = trainer_client.get(url).get_data(as_text=True)
    assert "Nearly there</textarea>" in html
    assert _revision(html) == 1


def test_grade_release_return_resubmit_regrade_cycle(app, client, ids, submission_id):
    sign_in(client, TRAINER)
    url = grading_url("en", ids["cohort"], submission_id)
    response = post_grade(client, url, {"comment-kpi_coverage": "Add a cost KPI.",
                                        "action": "return"})
    assert response.status_code == 302

    # The returned version is read-only for the trainer; the trainee sees the comment.
    assert 'id="grading-form"' not in client.get(url).get_data(as_text=True)
    client.post("/en/sign-out")
    sign_in(client, TRAINEE)
    feedback = text(client.get("/en/feedback/"))
    assert "Add a cost KPI." in feedback
    assert "returned this version for revision" in feedback
    second_id = hand_in(app, ids["trainee"], ids["cohort"], justification="Now with cost.")

    client.post("/en/sign-out")
    sign_in(client, TRAINER)
    second_url = grading_url("en", ids["cohort"], second_id)
    page = text(client.get(second_url))
    assert "Now with cost." in page
    assert "Earlier versions" in page and "Add a cost KPI." in page  # history stays visible
    response = post_grade(client, second_url, {**full_levels(app), "comment-overall": "Good.",
                                               "action": "release"})
    assert response.status_code == 302
    assert "Grade released to Tom Trainee." in text(client.get(second_url))

    # The old version can no longer be graded.
    stale = post_grade(client, url, {"comment-overall": "late", "action": "save"}, revision=1)
    assert stale.status_code == 422
    assert "submitted a newer version" in text(stale)


def test_return_needs_a_comment(trainer_client, ids, submission_id):
    url = grading_url("en", ids["cohort"], submission_id)
    response = post_grade(trainer_client, url, {"action": "return"})
    assert response.status_code == 422
    assert "Tell the trainee what to revise" in text(response)


def test_second_trainers_stale_save_is_detected_and_text_kept(app, ids, submission_id):
    # Two trainers of the same cohort open the same page.
    with app.app_context():
        from courseware.db import connect

        db = connect(app.config["DATABASE"])
        db["cohort_trainers"].insert({"cohort_id": ids["cohort"], "user_id": ids["other_trainer"]})
        db.close()
    url = grading_url("en", ids["cohort"], submission_id)
    first, second = app.test_client(), app.test_client()
    sign_in(first, TRAINER)
    sign_in(second, OTHER_TRAINER)
    second_revision = _revision(second.get(url).get_data(as_text=True))

    assert post_grade(first, url, {"comment-overall": "First trainer view"}).status_code == 302
    response = second.post(url, data={
        "revision": second_revision,
        "comment-overall": "Second trainer with long feedback", "action": "save",
    })
    assert response.status_code == 409
    body = text(response)
    assert "Tess Trainer saved this grade" in body
    assert "Second trainer with long feedback" in body  # their own text is kept
    assert "First trainer view" in body  # and the other version is shown
    # Saving again knowingly replaces it.
    html = response.get_data(as_text=True)
    again = second.post(url, data={
        "revision": _revision(html),
        "comment-overall": "Second trainer with long feedback", "action": "save",
    })
    assert again.status_code == 302
    assert "Second trainer with long feedback</textarea>" in first.get(url).get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGS)
def test_autosave_saves_and_reports_stale_revisions(trainer_client, ids, submission_id, lang):
    url = grading_url(lang, ids["cohort"], submission_id)
    headers: dict[str, str] = {}
    payload = {"revision": 0, "levels": {"kpi_coverage": 11, "kpi_measurable": None},
               "comments": {"kpi_coverage": "五个维度"}, "overall_comment": "Draft"}
    saved = trainer_client.post(url + "autosave", json=payload, headers=headers)
    assert saved.status_code == 200
    assert saved.json["ok"] and saved.json["revision"] == 1 and saved.json["total"] == 11
    assert saved.json["saved_label"].startswith("Last saved at" if lang == "en" else "最后保存于")

    stale = trainer_client.post(url + "autosave", json=payload, headers=headers)
    assert stale.status_code == 409
    assert not stale.json["ok"]
    assert "Tess Trainer" in stale.json["message"]

    bad = trainer_client.post(url + "autosave", json={**payload, "revision": 1,
                                                      "levels": {"kpi_coverage": 12}},
                              headers=headers)
    assert bad.status_code == 422
    assert "kpi_coverage" in bad.json["errors"]


def test_autosave_from_another_site_is_refused(trainer_client, ids, submission_id):
    url = grading_url("en", ids["cohort"], submission_id) + "autosave"
    response = trainer_client.post(url, json={"revision": 0},
                                   headers={"Origin": "https://elsewhere.example",
                                            "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert trainer_client.get(url[: -len("autosave")]).status_code == 200


def test_autosave_with_garbage_gets_a_message_not_a_500(trainer_client, ids, submission_id):
    url = grading_url("en", ids["cohort"], submission_id)
    response = trainer_client.post(url + "autosave", data="not json",
                                   headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert response.json["message"]


def test_submission_of_another_cohort_is_not_found(app, trainer_client, ids):
    foreign = hand_in(app, ids["other_trainee"], ids["other_cohort"])
    assert trainer_client.get(grading_url("en", ids["cohort"], foreign)).status_code == 404
    assert trainer_client.get(grading_url("en", ids["other_cohort"], foreign)).status_code == 404


@pytest.mark.parametrize("lang", LANGS)
def test_comment_bank_saves_and_inserts_with_one_click(trainer_client, ids, submission_id, lang):
    url = grading_url(lang, ids["cohort"], submission_id)
    saved = post_grade(trainer_client, url, {"comment-kpi_coverage": "请补充成本类 KPI。",
                                             "bank_add": "kpi_coverage"})
    assert saved.status_code == 302
    html = trainer_client.get(url).get_data(as_text=True)
    entry = re.search(r'name="bank_insert" value="(\d+)"[^>]*data-bank-target="kpi_coverage"', html)
    assert entry, "the saved comment is offered as a button"
    # Without JavaScript the button posts the form; the comment lands in the field.
    inserted = post_grade(trainer_client, url, {"comment-kpi_coverage": "Good start.",
                                                "bank_insert": entry.group(1)})
    assert inserted.status_code == 302
    html = trainer_client.get(url).get_data(as_text=True)
    assert "Good start.\n请补充成本类 KPI。</textarea>" in html


def test_comment_bank_json_endpoint(trainer_client, ids, submission_id):
    headers: dict[str, str] = {}
    added = trainer_client.post("/en/trainer/comment-bank", headers=headers,
                                json={"target": "overall", "text": "  Well argued.  "})
    assert added.status_code == 200 and added.json["created"] and added.json["text"] == "Well argued."
    again = trainer_client.post("/en/trainer/comment-bank", headers=headers,
                                json={"target": "overall", "text": "Well argued."})
    assert again.json["created"] is False and again.json["id"] == added.json["id"]
    empty = trainer_client.post("/en/trainer/comment-bank", headers=headers,
                                json={"target": "overall", "text": "   "})
    assert empty.status_code == 422
    unknown = trainer_client.post("/en/trainer/comment-bank", headers=headers,
                                  json={"target": "nope", "text": "x"})
    assert unknown.status_code == 422


def test_next_and_previous_skip_graded_work(app, trainer_client, ids):
    first = hand_in(app, ids["trainee"], ids["cohort"])
    from courseware.auth.users import create_user
    from courseware.db import connect

    db = connect(app.config["DATABASE"])
    with app.app_context():
        others = [create_user(db, email=f"t{i}@example.com", name=f"T{i}",
                              password="pass-word-123", role="trainee", cohort_id=ids["cohort"])
                  for i in range(2)]
    db.close()
    second = hand_in(app, others[0], ids["cohort"])
    third = hand_in(app, others[1], ids["cohort"])
    post_grade(trainer_client, grading_url("en", ids["cohort"], second),
               {**full_levels(app), "action": "release"})
    html = trainer_client.get(grading_url("en", ids["cohort"], first)).get_data(as_text=True)
    assert f'rel="next" href="/en/trainer/cohorts/{ids["cohort"]}/submissions/{third}/"' in html
    assert 'rel="prev"' not in html


def test_draft_grade_stays_hidden_from_the_trainee(app, client, ids, submission_id):
    sign_in(client, TRAINER)
    post_grade(client, grading_url("en", ids["cohort"], submission_id),
               {**full_levels(app), "comment-overall": "Secret draft"})
    client.post("/en/sign-out")
    sign_in(client, TRAINEE)
    assert "Secret draft" not in text(client.get("/en/feedback/"))


def test_feedback_shows_released_grade_in_chinese(app, client, ids, submission_id):
    sign_in(client, TRAINER)
    post_grade(client, grading_url("en", ids["cohort"], submission_id),
               {**full_levels(app, index=3), "comment-kpi_measurable": "Targets are realistic.",
                "comment-overall": "Excellent work.", "action": "release"})
    client.post("/en/sign-out")
    sign_in(client, TRAINEE)
    page = text(client.get("/zh/feedback/"))
    assert "100" in page
    assert "优秀" in page  # the level label in Chinese
    assert "每个 KPI 都定义完整" in page  # and its descriptor
    assert "Targets are realistic." in page and "Excellent work." in page  # comments as written
    data = json.dumps(page, ensure_ascii=False)
    assert "Excellent" in data


def test_text_posted_after_release_is_shown_not_lost(app, trainer_client, ids, submission_id):
    url = grading_url("en", ids["cohort"], submission_id)
    post_grade(trainer_client, url, {**full_levels(app), "comment-overall": "Released text",
                                     "action": "release"})
    late = trainer_client.post(url, data={"revision": "1",
                                          "comment-overall": "A late thought", "action": "save"})
    assert late.status_code == 422
    body = text(late)
    assert "already been released" in body
    assert "Released text" in body and "Your text, not saved" in body and "A late thought" in body


@pytest.mark.parametrize("lang", LANGS)
def test_the_trainer_grades_the_workshop_exactly_as_the_trainee_sees_it_submitted(app, ids, lang):
    from tests.conftest import browser_client
    from tests.support.workshop import complete_fields, page_position

    trainee = browser_client(app)
    sign_in(trainee, TRAINEE)
    fields = {**page_position(trainee, lang), **complete_fields(), "action": "submit"}
    submitted = trainee.post(f"/{lang}/workshop/", data=fields)
    assert submitted.status_code == 302
    seen_by_trainee = trainee.get(submitted.headers["Location"]).get_data(as_text=True)
    submission = _submission_of(app, ids["trainee"])

    trainer = browser_client(app)
    sign_in(trainer, TRAINER)
    seen_by_trainer = trainer.get(grading_url(lang, ids["cohort"], submission)).get_data(
        as_text=True)
    # Everything the trainee typed, the judgement anchors and KPI sources included, with the
    # ranking, the chart and the sensitivity, in one shared rendering.
    workshop_shown = re.compile(r'<section class="panel" aria-labelledby="ro-criteria-title">'
                                r".*?</section>\s*<section.*?</section>\s*<section.*?</section>",
                                re.S)
    shown = workshop_shown.search(seen_by_trainer).group(0)
    assert shown == workshop_shown.search(seen_by_trainee).group(0)
    for typed in ("Level 3 looks like this", "服务成本越低越好", "ERP", "第二行。"):
        assert typed in shown


def _submission_of(app, user_id: int) -> int:
    from courseware.db import connect

    db = connect(app.config["DATABASE"])
    try:
        return db.execute("SELECT max(id) FROM workshop_submissions WHERE user_id = ?",
                          [user_id]).fetchone()[0]
    finally:
        db.close()
