"""The cohort dashboard, its settings and the CSV exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import g

from courseware.auth.users import create_user
from courseware.db import connect
from courseware.trainer.roster import cohort_progress
from tests.conftest import OTHER_TRAINEE, OTHER_TRAINER, TRAINEE, TRAINER, post_form, sign_in, text
from tests.support.trainer import (
    add_numbered_trainees,
    full_levels,
    grading_url,
    hand_in,
    post_grade,
)

LANGS = ("en", "zh")


def _db(app):
    return connect(app.config["DATABASE"])


def _add_trainee(app, cohort_id, name, email, pages=0, quiz=None):
    db = _db(app)
    try:
        with app.app_context():  # the app's test hash method, not production's slow one
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
    names = re.findall(r"<td><a [^>]*><strong>([^<]+)</strong>", html)
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


def _names(html):
    return re.findall(r"<td><a [^>]*><strong>([^<]+)</strong>", html)


@pytest.fixture
def cohort_of_251(app, ids):
    """Tom Trainee (no quiz yet) and T001 to T250, whose quiz scores rise with their number."""
    add_numbered_trainees(app, ids["cohort"], 250)
    return ids["cohort"]


def test_page_two_shows_trainees_101_to_200_of_the_sorted_order(trainer_client, cohort_of_251):
    url = f"/en/trainer/cohorts/{cohort_of_251}/?sort=quiz&dir=desc&page=2"
    html = trainer_client.get(url).get_data(as_text=True)
    assert _names(html) == [f"T{n:03d}" for n in range(150, 50, -1)]
    assert "Trainees 101–200 of 251" in text(trainer_client.get(url))
    last = trainer_client.get(f"/en/trainer/cohorts/{cohort_of_251}/?sort=quiz&dir=desc&page=3")
    assert _names(last.get_data(as_text=True)) == [
        *[f"T{n:03d}" for n in range(50, 0, -1)], "Tom Trainee"]  # no score yet: last


@pytest.mark.parametrize("lang", LANGS)
def test_the_counts_cover_the_whole_cohort_on_every_page(app, trainer_client, cohort_of_251,
                                                         ids, lang):
    hand_in(app, ids["trainee"], cohort_of_251)  # Tom, who is on the last page
    for number in (1, 2, 3):
        body = text(trainer_client.get(f"/{lang}/trainer/cohorts/{cohort_of_251}/?page={number}"))
        if lang == "en":  # 0.4 % a number: T188 to T250 reach the pass mark of 75 %
            assert "251 Trainees" in body and "63 Passed the quiz" in body
            assert "250 Not started" in body and "1 Submitted, to grade" in body
        else:
            assert "251 学员" in body and "63 已通过测验" in body
            assert "250 未开始" in body and "1 已提交" in body


def test_page_links_keep_the_order_and_the_headings_go_back_to_page_one(trainer_client,
                                                                       cohort_of_251):
    base = f"/en/trainer/cohorts/{cohort_of_251}/"
    html = trainer_client.get(f"{base}?sort=quiz&dir=desc&page=2").get_data(as_text=True)
    pager = html[html.index('<nav class="pager"'):]
    hrefs = [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', pager)]
    assert hrefs == [f"{base}?sort=quiz&dir=desc",  # Previous: page 1 has no number
                     f"{base}?sort=quiz&dir=desc", f"{base}?sort=quiz&dir=desc&page=2",
                     f"{base}?sort=quiz&dir=desc&page=3",
                     f"{base}?sort=quiz&dir=desc&page=3"]  # Next
    assert 'aria-current="page"' in pager and pager.count("aria-current") == 1
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page 2</span>', pager)
    headings = re.findall(r'<th scope="col"[^>]*>\s*<a href="([^"]+)"', html)
    assert len(headings) == 5 and not [href for href in headings if "page=" in href]


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("0", "1–100"), ("-1", "1–100"), ("two", "1–100"), ("1.5", "1–100"), ("", "1–100"),
     ("3", "201–251"), ("4", "201–251"), ("9" * 5000, "201–251")],
)
def test_a_bad_page_number_shows_the_nearest_page(trainer_client, cohort_of_251, asked, shown):
    response = trainer_client.get(f"/en/trainer/cohorts/{cohort_of_251}/?page={asked}")
    assert response.status_code == 200
    assert f"Trainees {shown} of 251" in text(response)


@pytest.mark.parametrize("lang", LANGS)
def test_an_empty_cohort_keeps_its_message_whatever_the_page(app, trainer_client, ids, lang):
    from courseware.trainer.cohorts import create_cohort

    db = _db(app)
    empty = create_cohort(db, name="Empty", trainer_id=ids["trainer"])
    db.close()
    response = trainer_client.get(f"/{lang}/trainer/cohorts/{empty}/?page=3")
    assert response.status_code == 200
    assert ("No trainee has joined this cohort yet" if lang == "en" else "还没有学员加入") in text(
        response)
    assert 'class="pager"' not in response.get_data(as_text=True)


@pytest.mark.parametrize(("trainees", "paged"), [(100, False), (101, True)])
def test_only_a_cohort_of_more_than_100_gets_page_links(app, trainer_client, ids, trainees, paged):
    add_numbered_trainees(app, ids["cohort"], trainees - 1)  # and Tom Trainee
    html = trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/").get_data(as_text=True)
    assert len(_names(html)) == 100
    assert ('<nav class="pager"' in html) is paged and ("<caption>" in html) is paged
    assert ("Trainees 1–100 of 101" in html) is paged


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ["Trainees 101–200 of 251", "Previous", "Page 1", "Page 3", "Next",
             'aria-label="Pages of the trainee list"']),
     ("zh", ["第 101–200 位学员，共 251 位", "上一页", "第 1 页", "第 3 页", "下一页",
             'aria-label="学员名单翻页"'])],
)
def test_the_page_links_read_in_both_languages(trainer_client, cohort_of_251, lang, words):
    html = trainer_client.get(
        f"/{lang}/trainer/cohorts/{cohort_of_251}/?page=2").get_data(as_text=True)
    pager = html[html.index('<nav class="pager"'):html.index("</nav>", html.index('class="pager"'))]
    for word in words:
        assert word in pager
    assert f"<caption>{words[0]}</caption>" in html


def _row_text(html, name):
    """The visible text of the named trainee's dashboard row."""
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
            if f"<strong>{name}</strong>" in row]
    assert len(rows) == 1, f"{len(rows)} rows for {name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rows[0])).strip()


ROW_WORDS = {
    "en": {"pages": "{n} of 15", "passed": "passed", "submitted": "Submitted, to grade",
           "graded": "Graded", "v1": "v1", "grade": "Grade", "view": "View"},
    "zh": {"pages": "{n} / 15", "passed": "已通过", "submitted": "已提交，待评分",
           "graded": "已评分", "v1": "第 1 版", "grade": "评分", "view": "查看"},
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_trainees_new_progress_shows_on_the_next_load(app, trainer_client,
                                                       cohort_with_progress, lang):
    words = ROW_WORDS[lang]
    url = f"/{lang}/trainer/cohorts/{cohort_with_progress}/"

    def rows():
        html = trainer_client.get(url).get_data(as_text=True)
        return _row_text(html, "Cai"), _row_text(html, "Bo")

    cai, bo = rows()
    assert words["pages"].format(n=0) in cai and words["submitted"] not in cai

    db = _db(app)
    cai_id = db.execute("SELECT id FROM users WHERE email = 'cai@example.com'").fetchone()[0]
    db["page_views"].insert_all([{"user_id": cai_id, "page_id": page} for page in ("a", "b")])
    db.close()
    assert rows() == (cai.replace(words["pages"].format(n=0), words["pages"].format(n=2)), bo)

    db = _db(app)
    db["quiz_attempts"].insert({"user_id": cai_id, "token": "cai", "submitted_at": "2026-01-02",
                                "lang": lang, "earned": 80, "possible": 100, "percent": 80.0})
    db.close()
    cai, _bo = rows()
    assert f"80% {words['passed']}" in cai

    submission = hand_in(app, cai_id, cohort_with_progress)
    cai, _bo = rows()
    assert f"{words['submitted']} {words['v1']}" in cai and cai.endswith(f"{words['grade']} Cai")

    post_grade(trainer_client, grading_url(lang, cohort_with_progress, submission),
               {**full_levels(app, lang, index=3), "action": "release"})
    cai, still_bo = rows()
    assert f"{words['graded']} {words['v1']}" in cai and "100 / 100" in cai
    assert cai.endswith(f"{words['view']} Cai") and still_bo == bo

    db = _db(app)
    db.execute("UPDATE users SET name = 'Cai Li' WHERE id = ?", [cai_id])
    db.conn.commit()
    db.close()
    html = trainer_client.get(url).get_data(as_text=True)
    assert "<strong>Cai</strong>" not in html
    renamed = _row_text(html, "Cai Li")
    assert renamed.startswith("Cai Li cai@example.com")
    assert renamed.endswith(f"{words['view']} Cai Li")


@pytest.mark.parametrize("lang", LANGS)
def test_new_cohort_settings_show_on_the_dashboard_at_once(app, trainer_client, ids, lang):
    url = f"/{lang}/trainer/cohorts/{ids['cohort']}/"
    before = text(trainer_client.get(url))
    assert "Spring cohort" in before and "KAM-TEST" in before
    saved = post_form(trainer_client, f"{url}settings", {
        "name": "Autumn <cohort>", "org_name": "Acme & Sons", "org_name_zh": "艾克美父子",
        "pass_mark": "75", "max_key_accounts": "5"})
    assert saved.status_code == 302
    assert _db(app)["cohorts"].get(ids["cohort"])["org_name_zh"] == "艾克美父子"
    html = trainer_client.get(url).get_data(as_text=True)
    assert "<h1>Autumn &lt;cohort&gt;</h1>" in html
    assert ("艾克美父子" if lang == "zh" else "Acme &amp; Sons") in html
    assert "Spring cohort" not in html
    regenerated = post_form(trainer_client, f"{url}join-code", {})
    assert regenerated.status_code == 302
    code = _db(app)["cohorts"].get(ids["cohort"])["join_code"]
    after = text(trainer_client.get(url))
    assert code in after and "KAM-TEST" not in after


def test_a_trainer_never_sees_the_rows_of_another_cohort(app, ids):
    # A trainee of the same name and progress in each cohort, each with a submission.
    amy = _add_trainee(app, ids["cohort"], "Amy", "amy@example.com", pages=3, quiz=80.0)
    mine = hand_in(app, amy, ids["cohort"])
    other_amy = _add_trainee(app, ids["other_cohort"], "Amy", "amy.other@example.com",
                             pages=3, quiz=80.0)
    theirs = hand_in(app, other_amy, ids["other_cohort"])
    trainer, other_trainer = app.test_client(), app.test_client()
    assert sign_in(trainer, TRAINER).status_code == 302
    assert sign_in(other_trainer, OTHER_TRAINER).status_code == 302

    for _ in range(2):  # the second time round, each page's rows come from the cache
        my_page = trainer.get(f"/en/trainer/cohorts/{ids['cohort']}/").get_data(as_text=True)
        their_page = other_trainer.get(
            f"/en/trainer/cohorts/{ids['other_cohort']}/").get_data(as_text=True)
        assert "amy@example.com" in my_page and TRAINEE["name"] in my_page
        assert grading_url("en", ids["cohort"], mine) in my_page
        assert "amy.other@example.com" not in my_page and OTHER_TRAINEE["name"] not in my_page
        assert f"/cohorts/{ids['other_cohort']}/" not in my_page
        assert "amy.other@example.com" in their_page and OTHER_TRAINEE["name"] in their_page
        assert grading_url("en", ids["other_cohort"], theirs) in their_page
        assert "amy@example.com" not in their_page and TRAINEE["name"] not in their_page
        assert f"/cohorts/{ids['cohort']}/" not in their_page
    assert trainer.get(f"/en/trainer/cohorts/{ids['other_cohort']}/").status_code == 404


def test_names_with_markup_show_as_typed(app, trainer_client, ids):
    odd = "Eve <!--item--> <b>bold</b> \ue000item\ue000"
    _add_trainee(app, ids["cohort"], odd, "eve@example.com")
    response = trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(re.findall(r"<td><a [^>]*><strong>", html)) == 2
    assert "<strong>Eve &lt;!--item--&gt; &lt;b&gt;bold&lt;/b&gt; \ue000item\ue000</strong>" in html


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
    response = post_form(trainer_client, url, {})
    assert response.status_code == 302
    code = _db(app)["cohorts"].get(ids["cohort"])["join_code"]
    assert code != "KAM-TEST" and code.startswith("KAM-")
    assert code in text(trainer_client.get(response.headers["Location"]))


@pytest.mark.parametrize("lang", LANGS)
def test_results_export_has_every_number(trainer_client, cohort_with_progress, lang):
    response = trainer_client.get(f"/{lang}/trainer/cohorts/{cohort_with_progress}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    # The cohort's name and the day, in the page's language: "Spring cohort results 2026-12-07".
    word = "results" if lang == "en" else "%E6%88%90%E7%BB%A9"  # 成绩
    assert re.search(rf"filename\*=UTF-8''Spring%20cohort%20{word}%20\d{{4}}-\d\d-\d\d\.csv",
                     disposition)
    rows = _rows(response)
    header = rows[0]
    assert len(header) == 9 + 6 + 1 + 2  # fixed, per criterion, total, comment, released
    if lang == "zh":
        assert header[0] == "学员" and "选择标准明确、客观（20）" in header and "总分（100）" in header
        assert header[4:6] == ["测验最高分取得时间（UTC）", "测验记录"]
        assert header[16:] == ["总体评语", "成绩发布时间（UTC）"]
    tom = next(row for row in rows if row[0] == "Tom Trainee")
    assert tom[9:16] == ["20", "15", "15", "15", "15", "20", "100"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", tom[17])  # released on
    amy = next(row for row in rows if row[0] == "Amy")
    assert amy[2:7] == ["15", "60.0", "2026-01-01", "1", "No" if lang == "en" else "否"]
    assert amy[9:] == [""] * 9


def test_results_export_has_the_comment_of_returned_work_but_no_points(
    app, trainer_client, ids
):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    post_grade(trainer_client, grading_url("en", ids["cohort"], submission),
               {**full_levels(app), "comment-overall": "=Add a cost KPI.", "action": "return"})
    rows = _rows(trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/results.csv"))
    tom = next(row for row in rows if row[0] == "Tom Trainee")
    assert tom[9:16] == [""] * 7  # not released: no points
    assert tom[16:] == ["'=Add a cost KPI.", ""]  # told to the trainee, formula-safe


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
    version = "v1" if lang == "en" else "%E7%AC%AC%201%20%E7%89%88"  # 第 1 版
    assert f"Spring%20cohort%20Tom%20Trainee%20{version}%20" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("lang", LANGS)
def test_submission_export_names_the_trainee_and_carries_the_grade(app, trainer_client, ids, lang):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    post_grade(trainer_client, grading_url("en", ids["cohort"], submission),
               {**full_levels(app, index=3), "comment-kpi_coverage": "-Add a cost KPI.",
                "comment-overall": "Good work.", "action": "save"})
    rows = _rows(trainer_client.get(
        f"/{lang}/trainer/cohorts/{ids['cohort']}/submissions/{submission}/export.csv"))
    if lang == "en":
        assert rows[:5] == [["Trainee", "Tom Trainee"], ["Email", "trainee@example.com"],
                            ["Version", "1"], rows[3], ["Status", "Submitted, to grade"]]
        assert rows[3][0] == "Submitted (UTC)" and re.fullmatch(r"\d{4}-.* \d\d:\d\d", rows[3][1])
    else:
        assert rows[0] == ["学员", "Tom Trainee"] and rows[1] == ["邮箱", "trainee@example.com"]
    grade = rows.index(["Grade" if lang == "en" else "评分"])
    criteria = rows[grade + 2:grade + 8]
    assert [row[1] for row in criteria] == ["20", "15", "15", "15", "15", "20"]
    assert [row[2] for row in criteria if row[2]] == ["'-Add a cost KPI."]
    assert rows[grade + 8][1] == "100"
    assert rows[-1][1] == "Good work."


# Each changes something a dashboard row shows; `people` maps the names to their ids.
CHANGES_SHOWN = (
    "INSERT INTO page_views (user_id, page_id) VALUES (:cai, 'scope')",
    "DELETE FROM page_views WHERE user_id = :amy",
    """INSERT INTO quiz_attempts (user_id, token, submitted_at, lang, earned, possible, percent)
       VALUES (:cai, 'cai-1', '2026-01-03', 'en', 50, 100, 50)""",
    "UPDATE quiz_attempts SET percent = 10, earned = 10 WHERE user_id = :bo",
    "DELETE FROM quiz_attempts WHERE user_id = :bo",
    """INSERT INTO workshop_drafts (user_id, cohort_id, revision, workshop, updated_at)
       VALUES (:cai, :cohort, 1, '{}', '2026-01-03')""",
    "UPDATE workshop_submissions SET status = 'returned' WHERE user_id = :amy",
    "DELETE FROM workshop_submissions WHERE user_id = :amy",
    "UPDATE grades SET total = 1",
    "UPDATE grades SET outcome = 'draft'",
    "DELETE FROM grades",
    "UPDATE users SET name = 'Cai Li' WHERE id = :cai",
    "UPDATE users SET email = 'cai.li@example.com' WHERE id = :cai",
    "UPDATE users SET cohort_id = NULL WHERE id = :cai",
    """INSERT INTO users (email, name, password_hash, role, cohort_id)
       VALUES ('dan@example.com', 'Dan', 'x', 'trainee', :cohort)""",
    "DELETE FROM users WHERE id = :cai",
    "UPDATE cohorts SET pass_mark = 95 WHERE id = :cohort",
)
def _people(app, cohort):
    db = _db(app)
    try:
        people = {name.lower(): user_id for user_id, name in db.execute(
            "SELECT id, name FROM users WHERE cohort_id = ?", [cohort])}
    finally:
        db.close()
    return {**people, "cohort": cohort}


def _change_and_view(app, trainer_client, cohort, sql):
    """View the dashboard, make the change from another connection, view it again."""
    url = f"/en/trainer/cohorts/{cohort}/"
    before = trainer_client.get(url).get_data(as_text=True)
    db = _db(app)
    try:
        db.execute(sql, _people(app, cohort))
        db.conn.commit()
        expected = sorted(cohort_progress(db, cohort, 15))
    finally:
        db.close()
    after = trainer_client.get(url).get_data(as_text=True)
    return before, after, expected


@pytest.mark.parametrize("sql", CHANGES_SHOWN)
def test_every_change_a_row_shows_is_on_the_next_view(app, trainer_client, cohort_with_progress,
                                                      sql):
    before, after, expected = _change_and_view(app, trainer_client, cohort_with_progress, sql)
    assert after != before
    # Every trainee the database holds now is on the page, with their pages read as they stand.
    assert len(re.findall(r"<td><a [^>]*><strong>", after)) == len(expected)
    for row in expected:
        assert f"{row.pages_read} of 15" in _row_text(after, row.name)


def test_a_score_just_below_the_pass_mark_never_reads_as_the_pass_mark(app, ids, trainer_client):
    # 25 of 34 is 73.53 %: shown as "74%" it sat beside "Not passed" against a mark of 74.
    db = _db(app)
    db.execute("UPDATE cohorts SET pass_mark = 74 WHERE id = ?", [ids["cohort"]])
    db.conn.commit()
    db.close()
    _add_trainee(app, ids["cohort"], "Dee", "dee@example.com", quiz=25 * 100 / 34)
    body = text(trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/"))
    assert "Dee dee@example.com 0 of 15 73.53% not passed" in body


@pytest.mark.parametrize("lang", LANGS)
def test_the_workbook_has_a_sheet_of_results_and_one_of_quiz_attempts(
    trainer_client, cohort_with_progress, lang
):
    from openpyxl import load_workbook

    response = trainer_client.get(f"/{lang}/trainer/cohorts/{cohort_with_progress}/results.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()))
    results, attempts = book.worksheets
    assert results.title == ("Results" if lang == "en" else "成绩")
    assert attempts.title == ("Quiz attempts" if lang == "en" else "测验记录")
    rows = {row[0]: row for row in results.iter_rows(min_row=2, values_only=True)}
    assert rows["Tom Trainee"][15] == 100  # the total, a number
    assert rows["Amy"][3] == 60.0 and rows["Amy"][2] == 15
    quiz = list(attempts.iter_rows(min_row=2, values_only=True))
    assert sorted(row[0] for row in quiz) == ["Amy", "Bo"]
