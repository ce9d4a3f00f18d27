"""The workshop pages: editing, bad input in both languages, drafts, submission, versions."""

from __future__ import annotations

import html
import re

import pytest

from courseware.db import connect
from courseware.workshop.store import load_submission, statuses
from tests.conftest import OTHER_TRAINEE, TRAINEE, sign_in, text
from tests.support.workshop import CANDIDATE_IDS, autosave, complete_fields, page_position

LANGS = ("en", "zh")


def stored_drafts(app) -> int:
    db = connect(app.config["DATABASE"])
    return db.execute("SELECT count(*) FROM workshop_drafts").fetchone()[0]


def post(client, lang: str, fields: dict[str, str], action: str = "save", **kwargs):
    data = {**page_position(client, lang), **fields, "action": action}
    return client.post(f"/{lang}/workshop/", data=data, **kwargs)


def editor(client, lang: str) -> tuple[str, str]:
    """The editor's raw HTML (unescaped) and visible text."""
    response = client.get(f"/{lang}/workshop/")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True)), text(response)


def field_value(page: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
    if match:
        return match.group(1)
    match = re.search(rf'name="{re.escape(name)}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert match, name
    return match.group(1)


def error_next_to(page: str, name: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(name)}-error"[^>]*>(.*?)</p>', page,
                      re.S)
    assert match, name
    return match.group(1).strip()


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_anonymous_visitors_are_sent_to_sign_in(client, lang):
    response = client.get(f"/{lang}/workshop/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("lang", LANGS)
def test_trainers_do_not_get_the_trainee_workshop(trainer_client, lang):
    assert trainer_client.get(f"/{lang}/workshop/").status_code == 403
    response = trainer_client.post(f"/{lang}/workshop/", data={})
    assert response.status_code == 403


def test_a_trainee_cannot_open_another_trainees_version(client, app):
    sign_in(client, TRAINEE)
    assert post(client, "en", complete_fields(), "submit").status_code == 302
    client.post("/en/sign-out")
    sign_in(client, OTHER_TRAINEE)
    assert client.get("/en/workshop/versions/1").status_code == 404


# --- the page ---------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "candidate", "heading"), [
    ("en", "Huadong Fresh Mart", "Part 1: selection criteria"),
    ("zh", "华东鲜品超市", "第一部分：选择标准"),
])
def test_the_editor_shows_the_case_in_the_pages_language(trainee_client, lang, candidate,
                                                         heading):
    _page, visible = editor(trainee_client, lang)
    assert candidate in visible
    assert heading in visible
    assert "{org}" not in visible


@pytest.mark.parametrize("lang", LANGS)
def test_kpi_examples_are_offered_in_both_languages_without_filling_the_form(trainee_client,
                                                                            lang):
    page, visible = editor(trainee_client, lang)
    assert "Forecast accuracy" in visible and "预测准确率" in visible
    assert field_value(page, "kpis-0-name") == ""


@pytest.mark.parametrize("lang", LANGS)
def test_a_complete_workshop_shows_ranking_key_accounts_chart_and_coverage(trainee_client, lang):
    assert post(trainee_client, lang, complete_fields()).status_code == 302
    page, visible = editor(trainee_client, lang)
    assert ("Weights: 100 of 100" if lang == "en" else "权重合计：100 / 100") in visible
    # Top 4, but QuickStop and Lingnan tie for fourth place (60.0): both are in.
    assert page.count('class="score-chart__row score-chart__row--key"') == 5
    assert 'class="score-chart__cutoff"' in page
    assert ("Key account" if lang == "en" else "大客户") in visible
    # Three KPIs cover forecasting, on-time delivery and profit growth; five are open.
    assert page.count('<li class="missing">') == 5


@pytest.mark.parametrize(("lang", "warning", "quote"), [
    ("en", "more than the 5 the organisation can manage well",
     "to adjust the number of key accounts to a manageable level"),
    ("zh", "超过了本组织能够妥善管理的 5 家", "以免因数量过多而失控"),
])
def test_a_list_over_the_manageable_maximum_quotes_page_5(trainee_client, lang, warning, quote):
    fields = {**complete_fields(), "cutoff-value": "7"}
    post(trainee_client, lang, fields)
    _page, visible = editor(trainee_client, lang)
    assert warning in visible
    assert quote in visible
    # The interface counts pages ("Page 5 of 15"), so the workshop never sends anyone to a slide.
    assert "slide" not in visible.lower()
    assert ("Page 5, Selection criteria" if lang == "en" else "第 5 页") in visible


def test_the_manageable_maximum_comes_from_the_cohort(trainee_client, app, ids):
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET max_key_accounts = 8 WHERE id = ?", [ids["cohort"]])
    db.conn.commit()
    post(trainee_client, "en", {**complete_fields(), "cutoff-value": "7"})
    _page, visible = editor(trainee_client, "en")
    assert "can manage well" not in visible


@pytest.mark.parametrize("lang", LANGS)
def test_sensitivity_names_the_candidates_that_move(trainee_client, lang):
    post(trainee_client, lang, complete_fields())
    page, _visible = editor(trainee_client, lang)
    assert 'class="is-changed"' in page
    assert ("In:" if lang == "en" else "新入选：") in page


# --- bad input: a message next to the field, in the page's language, nothing lost -------

BAD_INPUT = [
    ("weights_sum", {"criteria-0-weight": "50"}, "weights", "50",
     "Weights must add up to 100 (now 110).", "权重合计须为 100（目前为 110）。"),
    ("not_a_number", {"criteria-0-threshold-1": "thirty"}, "criteria-0-threshold-1", "thirty",
     "Enter a number, such as 12 or 7.5.", "请填写数字，例如 12 或 7.5。"),
    ("not_a_whole_number", {"criteria-0-weight": "40.5"}, "criteria-0-weight", "40.5",
     "Enter a whole number, such as 20.", "请填写整数，例如 20。"),
    ("thresholds_ascending", {"criteria-0-threshold-2": "20"}, "criteria-0-thresholds", "20",
     "When higher is better, each threshold must be higher than the one before.",
     "越高越好时，每个阈值都须高于前一个。"),
    ("thresholds_descending", {"criteria-1-threshold-3": "12"}, "criteria-1-thresholds", "12",
     "When lower is better, each threshold must be lower than the one before.",
     "越低越好时，每个阈值都须低于前一个。"),
    ("score_range", {f"criteria-2-score-{CANDIDATE_IDS[3]}": "7"},
     f"criteria-2-score-{CANDIDATE_IDS[3]}", "7", "Score from 1 to 5.", "请打 1 到 5 分。"),
    ("score_zero", {f"criteria-2-score-{CANDIDATE_IDS[0]}": "0"},
     f"criteria-2-score-{CANDIDATE_IDS[0]}", "0", "Score from 1 to 5.", "请打 1 到 5 分。"),
    ("empty_name", {"criteria-1-name": ""}, "criteria-1-name", "",
     "Fill this in.", "此项必填。"),
    ("duplicate_name", {"criteria-2-name": "revenue"}, "criteria-2-name", "revenue",
     "Another row already has this name. Give each a name of its own.",
     "已有同名的一项。每一项的名称不能重复，请修改。"),
    ("too_long", {"criteria-0-name": "长" * 81}, "criteria-0-name", "长" * 81,
     "Shorten this to 80 characters (now 81).", "请缩短到 80 个字符以内（现为 81 个）。"),
    ("weight_range", {"criteria-0-weight": "140", "criteria-1-weight": "-40"},
     "criteria-0-weight", "140", "A weight is a whole percent from 0 to 100.",
     "权重须为 0 到 100 之间的整数百分比。"),
    ("cutoff", {"cutoff-value": "99"}, "cutoff-value", "99",
     "Choose a whole number from 1 to 14.", "请填写 1 到 14 之间的整数。"),
    ("justification_too_long", {"justification": "x" * 4001}, "justification", "x" * 4001,
     "Shorten this to 4000 characters (now 4001).", "请缩短到 4000 个字符以内（现为 4001 个）。"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("case", "change", "field", "typed", "english", "chinese"), BAD_INPUT,
                         ids=[case[0] for case in BAD_INPUT])
def test_bad_input_gets_a_message_next_to_the_field_and_is_kept(
        trainee_client, app, ids, lang, case, change, field, typed, english, chinese):
    response = post(trainee_client, lang, {**complete_fields(), **change})
    assert response.status_code == 302  # saved as a draft, whatever it holds
    page, _visible = editor(trainee_client, lang)
    assert error_next_to(page, field) == (english if lang == "en" else chinese)
    typed_field = next(iter(change))
    assert field_value(page, typed_field) == typed
    # The draft itself holds what was typed, so a reload or another device shows it too.
    db = connect(app.config["DATABASE"])
    row = db.execute("SELECT workshop, unparsed FROM workshop_drafts WHERE user_id = ?",
                     [ids["trainee"]]).fetchone()
    assert typed in row[0] + row[1]


@pytest.mark.parametrize("lang", LANGS)
def test_more_than_eight_criteria_are_refused_but_kept(trainee_client, lang):
    fields = complete_fields()
    for index in range(3, 9):
        fields[f"criteria-{index}-name"] = f"Extra {index}"
        fields[f"criteria-{index}-weight"] = "0"
    post(trainee_client, lang, fields)
    page, _visible = editor(trainee_client, lang)
    assert error_next_to(page, "criteria") == (
        "Use at most 8 criteria. Remove one before adding another." if lang == "en"
        else "标准最多 8 项。请先删除一项再添加。")
    assert field_value(page, "criteria-8-name") == "Extra 8"


@pytest.mark.parametrize("lang", LANGS)
def test_adding_a_ninth_criterion_is_refused_with_a_message(trainee_client, lang):
    fields = complete_fields()
    for index in range(3, 8):
        fields[f"criteria-{index}-name"] = f"Extra {index}"
    response = post(trainee_client, lang, fields, "add_criterion", follow_redirects=True)
    visible = text(response)
    assert ("Use at most 8 criteria" if lang == "en" else "标准最多 8 项") in visible
    assert "criteria-8-name" not in response.get_data(as_text=True)


def test_rows_are_added_and_removed_without_javascript(trainee_client):
    post(trainee_client, "en", complete_fields(), "add_criterion")
    page, _ = editor(trainee_client, "en")
    assert field_value(page, "criteria-3-name") == ""
    post(trainee_client, "en", {**complete_fields(), "criteria-3-name": "Potential"},
         "remove_criterion:0")
    page, _ = editor(trainee_client, "en")
    assert field_value(page, "criteria-0-name") == "成本"
    assert field_value(page, "criteria-2-name") == "Potential"
    assert "criteria-3-name" not in page
    post(trainee_client, "en", complete_fields(), "remove_kpi:1")
    page, _ = editor(trainee_client, "en")
    assert field_value(page, "kpis-1-name") == "KPI 2"


def test_trainee_text_is_stored_and_shown_as_typed(trainee_client):
    typed = "  <b>Bold?</b> & “quotes” — 中文，保留原样  "
    post(trainee_client, "en", {**complete_fields(), "criteria-0-description": typed})
    page = trainee_client.get("/en/workshop/").get_data(as_text=True)
    assert "<b>Bold?</b>" not in page  # escaped, never markup
    assert field_value(html.unescape(page), "criteria-0-description") == typed


# --- drafts, submission, return, resubmission -------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_submitting_an_incomplete_workshop_lists_what_is_missing_and_keeps_the_draft(
        trainee_client, app, ids, lang):
    fields = complete_fields()
    del fields["justification"]
    fields["kpis-2-target"] = ""
    response = post(trainee_client, lang, fields, "submit")
    assert "check=1" in response.headers["Location"]
    page = html.unescape(trainee_client.get(response.headers["Location"]).get_data(as_text=True))
    required = "Fill this in." if lang == "en" else "此项必填。"
    assert error_next_to(page, "justification") == required
    assert error_next_to(page, "kpis-2-target") == required
    assert statuses(connect(app.config["DATABASE"]), ids["cohort"])[ids["trainee"]].status == \
        "draft"


@pytest.mark.parametrize("lang", LANGS)
def test_submit_freezes_a_version_and_shows_it_read_only(trainee_client, app, ids, lang):
    response = post(trainee_client, lang, complete_fields(), "submit")
    assert response.headers["Location"].endswith(f"/{lang}/workshop/versions/1")
    page = trainee_client.get(f"/{lang}/workshop/").get_data(as_text=True)
    assert 'id="workshop-form"' not in page
    assert "Growth and profit first." in page
    db = connect(app.config["DATABASE"])
    status = statuses(db, ids["cohort"])[ids["trainee"]]
    assert (status.status, status.version) == ("submitted", 1)
    submission = load_submission(db, status.latest_submission_id)
    assert submission.lang == lang
    assert submission.workshop.criteria[1].name == "成本"
    assert submission.workshop.justification == "Growth and profit first.\n第二行。"


@pytest.mark.parametrize("lang", LANGS)
def test_a_frozen_version_cannot_be_changed_by_replaying_an_old_form(trainee_client, app, ids,
                                                                    lang):
    old_page = page_position(trainee_client, lang)
    post(trainee_client, lang, complete_fields(), "submit")
    for action in ("save", "submit"):
        replay = {**old_page, **complete_fields(), "justification": "Changed!", "action": action}
        response = trainee_client.post(f"/{lang}/workshop/", data=replay)
        assert response.status_code == 409
        assert ("can no longer be changed" if lang == "en" else "不能再修改") in text(response)
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM workshop_submissions").fetchone()[0] == 1
    assert load_submission(db, 1).workshop.justification == "Growth and profit first.\n第二行。"
    assert db.execute("SELECT count(*) FROM workshop_drafts").fetchone()[0] == 0


def return_for_revision(app, submission_id: int) -> None:
    """What the trainer's area does when it hands a submission back."""
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE workshop_submissions SET status = 'returned' WHERE id = ?",
               [submission_id])
    db.conn.commit()


@pytest.mark.parametrize("lang", LANGS)
def test_draft_submit_return_resubmit_keeps_every_version(trainee_client, app, ids, lang):
    post(trainee_client, lang, complete_fields(), "submit")
    form_of_version_1 = {**complete_fields(), "base_version": "0", "revision": "0"}
    return_for_revision(app, 1)
    db = connect(app.config["DATABASE"])
    assert statuses(db, ids["cohort"])[ids["trainee"]].status == "returned"

    page, visible = editor(trainee_client, lang)
    assert ("returned version 1" if lang == "en" else "退回了第 1 版") in visible
    assert field_value(page, "justification") == "Growth and profit first.\n第二行。"

    # The form of version 1, replayed after the return, must not seed version 2.
    stale = trainee_client.post(f"/{lang}/workshop/", data={**form_of_version_1,
                                                            "action": "save"})
    assert stale.status_code == 409

    post(trainee_client, lang, {**complete_fields(), "justification": "Revised."})
    assert statuses(db, ids["cohort"])[ids["trainee"]].status == "returned"
    response = post(trainee_client, lang, {**complete_fields(), "justification": "Revised."},
                    "submit")
    assert response.headers["Location"].endswith(f"/{lang}/workshop/versions/2")
    status = statuses(db, ids["cohort"])[ids["trainee"]]
    assert (status.status, status.version) == ("submitted", 2)
    assert load_submission(db, 1).workshop.justification.startswith("Growth")
    assert load_submission(db, 2).workshop.justification == "Revised."
    versions_page = text(trainee_client.get(f"/{lang}/workshop/versions/1"))
    assert ("Version 2" if lang == "en" else "第 2 版") in versions_page


def test_a_save_from_a_second_window_is_not_overwritten_silently(trainee_client):
    first_window = page_position(trainee_client, "en")
    trainee_client.post("/en/workshop/", data={**first_window, **complete_fields(),
                                               "justification": "From window two"})
    response = trainee_client.post("/en/workshop/", data={
        **first_window, **complete_fields(), "justification": "From window one"})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert field_value(page, "justification") == "From window one"
    assert 'name="revision" value="1"' in page  # saving again now replaces, deliberately
    _page, visible = editor(trainee_client, "en")


# --- autosave --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_autosave_stores_the_draft_and_returns_the_new_results(trainee_client, lang):
    position = page_position(trainee_client, lang)
    fields = {**complete_fields(), "criteria-0-weight": "30"}
    response = autosave(trainee_client, lang, position, fields)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "saved"
    assert body["revision"] == 1
    assert body["errors"]["weights"] == [
        "Weights must add up to 100 (now 90)." if lang == "en" else "权重合计须为 100（目前为 90）。"]
    assert 'id="results"' in body["results_html"] and "score-chart" in body["results_html"]
    assert 'id="coverage"' in body["coverage_html"]
    page, _ = editor(trainee_client, lang)
    assert field_value(page, "criteria-0-weight") == "30"


@pytest.mark.parametrize("lang", LANGS)
def test_autosaved_results_are_always_those_the_page_shows_after_a_reload(trainee_client, lang):
    # Saves that change numbers and saves that change only text, back and forth: whether the
    # results were scored afresh or not, the script gets what a reload of the page shows.
    position = page_position(trainee_client, lang)
    first = CANDIDATE_IDS[0]
    edits = [
        {},
        {"justification": "Only the text changed"},
        {"criteria-0-weight": "60", "criteria-1-weight": "10"},
        {"criteria-0-description": "Only a description", "criteria-2-anchor-1": "Only an anchor"},
        {"criteria-0-weight": "40", "criteria-1-weight": "30"},
        {"criteria-2-name": "Trust"},
        {"criteria-0-threshold-0": "50"},
        {f"criteria-2-score-{first}": "5"},
        {"cutoff-kind": "score", "cutoff-value": "60"},
        {"cutoff-value": "60.0"},
        {"cutoff-value": "6O"},
        {"kpis-0-responsibility": "quality"},
        {"kpis-0-name": "Only a KPI's name"},
    ]
    fields = complete_fields()
    shown = []
    for edit in edits:
        fields = {**fields, **edit}
        reply = autosave(trainee_client, lang, position, fields).get_json()
        assert reply["status"] == "saved"
        position["revision"] = str(reply["revision"])
        page = trainee_client.get(f"/{lang}/workshop/").get_data(as_text=True)
        assert reply["results_html"] in page
        assert reply["coverage_html"] in page
        shown.append((reply["results_html"], reply["coverage_html"]))
    # Text alone changes no result, nor does the same number typed another way; every other
    # change of a number or a name does. KPIs change only the coverage.
    results = [html for html, _coverage in shown]
    assert results[1] == results[0] and results[3] == results[2] and results[4] == results[0]
    assert results[9] == results[8]
    assert len({results[0], results[2], results[5], results[6], results[7], results[8],
                results[10]}) == 7
    assert results[12] == results[11] == results[10]
    assert shown[11][1] != shown[10][1] and shown[12][1] == shown[11][1]


def test_autosaved_results_follow_the_cohorts_manageable_maximum_at_once(trainee_client, app,
                                                                         ids):
    position = page_position(trainee_client, "en")
    fields = {**complete_fields(), "cutoff-value": "7"}
    reply = autosave(trainee_client, "en", position, fields).get_json()
    assert "can manage well" in reply["results_html"]
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET max_key_accounts = 8 WHERE id = ?", [ids["cohort"]])
    db.conn.commit()
    position["revision"] = str(reply["revision"])
    reply = autosave(trainee_client, "en", position, fields,
                     results_key=reply["results_key"]).get_json()
    assert "can manage well" not in reply["results_html"]


def test_autosave_with_an_old_revision_reports_a_conflict(trainee_client):
    position = page_position(trainee_client, "en")
    autosave(trainee_client, "en", position, complete_fields())
    response = autosave(trainee_client, "en", position, complete_fields())
    assert response.status_code == 409
    assert response.get_json()["status"] == "conflict"


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://elsewhere.example"},
    {"Origin": "null"},
], ids=["cross-site", "same-site", "foreign-origin", "opaque-origin"])
def test_autosave_from_another_site_is_refused(trainee_client, app, headers):
    draft = {**page_position(trainee_client, "en"), **complete_fields()}
    if "Sec-Fetch-Site" not in headers:  # a browser that sends only Origin
        del trainee_client.environ_base["HTTP_SEC_FETCH_SITE"]
    response = trainee_client.post("/en/workshop/autosave", json=draft, headers=headers)
    assert response.status_code == 403
    assert stored_drafts(app) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_a_draft_sent_as_json_is_stored_as_typed_and_comes_back_on_reload(trainee_client, lang):
    typed = {**complete_fields(), "criteria-0-weight": "4O", "criteria-1-name": "服务成本",
             "justification": "第一行\r\nSecond line, “quoted” & <b>kept</b>"}
    response = autosave(trainee_client, lang, page_position(trainee_client, lang), typed)
    assert response.status_code == 200
    assert response.get_json()["errors"]["criteria-0-weight"] == [
        "Enter a number, such as 12 or 7.5." if lang == "en" else "请填写数字，例如 12 或 7.5。"]
    page, _visible = editor(trainee_client, lang)
    assert field_value(page, "criteria-0-weight") == "4O"  # the mistyped number, as typed
    assert field_value(page, "criteria-1-name") == "服务成本"
    assert field_value(page, "justification") == "第一行\nSecond line, “quoted” & <b>kept</b>"
    assert field_value(page, f"criteria-2-score-{CANDIDATE_IDS[0]}") == "1"


def test_a_draft_sent_from_the_form_when_the_page_is_left_is_stored(trainee_client):
    # Leaving the page with changes not saved yet sends the form itself (navigator.sendBeacon).
    fields = {**page_position(trainee_client, "en"), **complete_fields(),
              "justification": "Typed just before closing the tab"}
    response = trainee_client.post("/en/workshop/autosave", data=fields,
                                   content_type="multipart/form-data")
    assert response.get_json()["status"] == "saved"
    page, _visible = editor(trainee_client, "en")
    assert field_value(page, "justification") == "Typed just before closing the tab"


UNREADABLE = {
    "not JSON": "{\"criteria-0-name\": \"Revenue\"",
    "not an object": "[\"Revenue\"]",
    "a number where text goes": "{\"criteria-0-weight\": 40}",
    "a missing value": "{\"criteria-0-name\": null}",
    "a lone surrogate": "{\"criteria-0-name\": \"Rev\\udc80nue\"}",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("body", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_draft_that_cannot_be_read_gets_a_message_in_the_pages_language(trainee_client, app,
                                                                          lang, body):
    trainee_client.get(f"/{lang}/workshop/")
    response = trainee_client.post(f"/{lang}/workshop/autosave", data=body,
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {
        "status": "unreadable",
        "message": ("Not saved automatically: the draft could not be read. Press “Save draft”."
                    if lang == "en" else "未能自动保存：无法读取草稿内容。请点击“保存草稿”。")}
    assert stored_drafts(app) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_a_draft_too_large_to_save_gets_a_message_in_the_pages_language(trainee_client, app,
                                                                        lang):
    position = page_position(trainee_client, lang)
    pasted = {**complete_fields(), "justification": "长" * app.config["MAX_CONTENT_LENGTH"]}
    response = autosave(trainee_client, lang, position, pasted)
    assert response.status_code == 413
    body = response.get_json()
    assert body["status"] == "too_large"
    assert body["message"] == (
        "Not saved: the draft is too large. Shorten the longest texts and it will be saved "
        "again." if lang == "en" else "未保存：草稿内容过多。请删减最长的几段文字，之后会自动重新保存。")
    assert stored_drafts(app) == 0
    # Shortened, it saves at once.
    assert autosave(trainee_client, lang, position, complete_fields()).status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_the_reply_leaves_out_the_results_the_page_already_shows(trainee_client, lang):
    position = page_position(trainee_client, lang)
    first = autosave(trainee_client, lang, position, complete_fields()).get_json()
    shown = {"results_key": first["results_key"], "coverage_key": first["coverage_key"]}
    position["revision"] = str(first["revision"])

    # Writing the justification changes no result: the reply says so, without the HTML.
    fields = {**complete_fields(), "justification": "Only the text changed"}
    reply = autosave(trainee_client, lang, position, fields, **shown).get_json()
    assert reply["status"] == "saved" and reply["revision"] == 2 and reply["saved_at"]
    assert "results_html" not in reply and "coverage_html" not in reply
    assert {name: reply[name] for name in shown} == shown
    assert reply["errors"] == {}
    position["revision"] = str(reply["revision"])

    # A weight changes the ranking: the new results come, and a reload shows the same.
    fields = {**fields, "criteria-0-weight": "60", "criteria-1-weight": "10"}
    reply = autosave(trainee_client, lang, position, fields, **shown).get_json()
    assert reply["results_key"] != shown["results_key"]
    assert reply["results_html"] != first["results_html"]
    assert reply["results_html"] in trainee_client.get(f"/{lang}/workshop/").get_data(
        as_text=True)
    assert "coverage_html" not in reply and reply["coverage_key"] == shown["coverage_key"]

    # A page that names results it does not show (another language, say) gets them.
    position["revision"] = str(reply["revision"])
    other = autosave(trainee_client, lang, position, fields, results_key="0" * 16).get_json()
    assert other["results_html"] == reply["results_html"]


@pytest.mark.parametrize("revision", ["²", "9" * 5000, "-1", "1.0"])
def test_a_page_position_that_is_not_a_count_is_refused_not_an_error(trainee_client, revision):
    fields = {**page_position(trainee_client, "en"), **complete_fields(), "revision": revision}
    saved = trainee_client.post("/en/workshop/", data={**fields, "action": "save"})
    assert saved.status_code == 409
    assert field_value(html.unescape(saved.get_data(as_text=True)),
                       "criteria-0-name") == "Revenue"
    autosaved = trainee_client.post("/en/workshop/autosave", data=fields)
    assert autosaved.status_code == 409 and autosaved.get_json()["status"] == "conflict"


# --- the session ends while the trainee works -------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_work_posted_after_the_session_ended_comes_back_after_signing_in(client, app, lang):
    sign_in(client, TRAINEE, lang)
    position = page_position(client, lang)
    client.delete_cookie("session")  # the session expired while the trainee was typing
    typed = {**complete_fields(), "justification": "Typed during a long discussion"}
    response = client.post(f"/{lang}/workshop/", data={**position, **typed, "action": "save"})
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    after_sign_in = sign_in(client, TRAINEE, lang)
    assert after_sign_in.headers["Location"].endswith(f"/{lang}/workshop/")
    restored = client.get(after_sign_in.headers["Location"])
    page = html.unescape(restored.get_data(as_text=True))
    assert field_value(page, "justification") == "Typed during a long discussion"
    assert field_value(page, "criteria-1-name") == "成本"
    assert ("Your session had ended" if lang == "en" else "登录已过期") in text(restored)
    # Saving from the restored page works at once.
    assert post(client, lang, typed).status_code == 302


def test_autosave_after_the_session_ended_keeps_the_work_for_after_sign_in(client):
    sign_in(client, TRAINEE)
    position = page_position(client, "en")
    client.delete_cookie("session")
    response = autosave(client, "en", position, complete_fields())
    assert response.status_code == 401
    assert response.get_json()["status"] == "signed_out"
    location = sign_in(client, TRAINEE).headers["Location"]
    page = html.unescape(client.get(location).get_data(as_text=True))
    assert field_value(page, "criteria-0-name") == "Revenue"


def test_a_cross_site_post_without_a_session_is_not_kept(client, app):
    response = client.post("/en/workshop/", data=complete_fields(),
                           headers={"Sec-Fetch-Site": "cross-site",
                                    "Origin": "https://evil.example"})
    assert response.status_code == 403
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM workshop_kept").fetchone()[0] == 0


# --- the contract with the trainer's area ------------------------------------------------


def test_statuses_answers_for_the_whole_cohort_in_one_query(app, ids, client):
    sign_in(client, TRAINEE)
    post(client, "en", complete_fields())
    queries = []
    db = connect(app.config["DATABASE"])
    db.conn.set_trace_callback(queries.append)  # every statement from here on
    result = statuses(db, ids["cohort"])
    assert len(queries) == 1
    assert result[ids["trainee"]].status == "draft"
    assert result[ids["trainee"]].latest_submission_id is None
    assert ids["other_trainee"] not in result
    assert statuses(db, ids["other_cohort"]) == {}


@pytest.mark.parametrize(("lang", "graded"), [("en", "has graded this version"),
                                              ("zh", "培训师已为此版本评分")])
def test_a_released_version_stays_read_only_and_says_it_is_graded(trainee_client, app, lang,
                                                                 graded):
    post(trainee_client, lang, complete_fields(), "submit")
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE workshop_submissions SET status = 'released' WHERE id = 1")
    db.conn.commit()
    response = trainee_client.get(f"/{lang}/workshop/")
    assert graded in text(response)
    assert 'id="workshop-form"' not in response.get_data(as_text=True)


def test_autosave_goes_on_after_the_trainee_signed_in_again_in_another_tab(client, app):
    sign_in(client, TRAINEE)
    position = page_position(client, "en")
    sign_in(client, TRAINEE)  # another tab: a fresh session
    saved = autosave(client, "en", position, complete_fields())
    assert saved.get_json()["status"] == "saved"
