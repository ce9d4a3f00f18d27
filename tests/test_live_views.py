"""The live session: who may run and join it, answers stored once, results, exports, records."""

from __future__ import annotations

import pytest

from tests.conftest import OTHER_TRAINEE, OTHER_TRAINER, TRAINEE, TRAINER, browser_client, sign_in
from tests.support.live import add_second_trainee, count, running_session

LANGS = ("en", "zh")
# Every trainer route of the session; {c} the cohort, {s} the session, {q} its first question.
TRAINER_ROUTES = [
    ("GET", "/{lang}/live/cohorts/{c}/", None),
    ("POST", "/{lang}/live/cohorts/{c}/", {}),
    ("GET", "/{lang}/live/sessions/{s}/", None),
    ("POST", "/{lang}/live/sessions/{s}/questions", {"source": "discussion:1"}),
    ("POST", "/{lang}/live/sessions/{s}/questions/{q}/open", {}),
    ("POST", "/{lang}/live/sessions/{s}/questions/{q}/close", {}),
    ("POST", "/{lang}/live/sessions/{s}/questions/{q}/reveal", {}),
    ("POST", "/{lang}/live/sessions/{s}/settings", {"projector_lang": "zh", "allow_guests": "1"}),
    ("POST", "/{lang}/live/sessions/{s}/end", {}),
    ("POST", "/{lang}/live/sessions/{s}/hide", {"json": {"answer_ids": [1]}}),
    ("GET", "/{lang}/live/sessions/{s}/projector", None),
    ("GET", "/{lang}/live/sessions/{s}/state", None),
    ("GET", "/{lang}/live/sessions/{s}/answers.csv", None),
]
# The phone's routes; {code} is the session's join code.
PHONE_ROUTES = [
    ("GET", "/{lang}/live/s/{code}/", None),
    ("GET", "/{lang}/live/s/{code}/state", None),
    ("POST", "/{lang}/live/s/{code}/answer",
     {"json": {"question_id": 0, "client_id": "abcdefgh-0001", "answer": ["a"]}}),
]


@pytest.fixture
def live(app, ids):
    return running_session(app, ids["cohort"], ids["trainer"])


def _url(path, lang, live, ids):
    return path.format(lang=lang, c=ids["cohort"], s=live.session_id, q=live.choice_id,
                       code=live.code)


def _send(client, method, url, body):
    if method == "GET":
        return client.get(url)
    if body and "json" in body:
        return client.post(url, json=body["json"])
    return client.post(url, data=body or {})


def _untouched(app, live):
    assert count(app, "SELECT count(*) FROM live_sessions") == 1
    assert count(app, "SELECT count(*) FROM live_sessions WHERE ended_at IS NULL") == 1
    assert count(app, "SELECT count(*) FROM live_questions") == 2
    assert count(app, "SELECT count(*) FROM live_answers") == 0
    assert count(app, "SELECT state FROM live_questions WHERE id = ?", (live.choice_id,)) == "open"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), TRAINER_ROUTES)
def test_anonymous_visitor_cannot_run_a_session(app, client, ids, live, lang, method, path, body):
    response = _send(client, method, _url(path, lang, live, ids), body)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    _untouched(app, live)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), TRAINER_ROUTES)
def test_trainee_cannot_run_a_session(app, client, ids, live, lang, method, path, body):
    sign_in(client, TRAINEE)
    assert _send(client, method, _url(path, lang, live, ids), body).status_code == 403
    _untouched(app, live)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), TRAINER_ROUTES)
def test_trainer_of_another_cohort_cannot_run_a_session(app, client, ids, live, lang, method,
                                                        path, body):
    sign_in(client, OTHER_TRAINER)
    assert _send(client, method, _url(path, lang, live, ids), body).status_code == 404
    _untouched(app, live)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), TRAINER_ROUTES)
def test_the_cohorts_trainer_runs_the_session(client, ids, live, lang, method, path, body):
    sign_in(client, TRAINER)
    assert _send(client, method, _url(path, lang, live, ids), body).status_code in (200, 302, 404)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), PHONE_ROUTES)
def test_anonymous_visitor_without_guests_sees_no_session(app, client, ids, live, lang, method,
                                                          path, body):
    assert _send(client, method, _url(path, lang, live, ids), body).status_code == 404
    _untouched(app, live)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), PHONE_ROUTES)
def test_trainee_of_another_cohort_sees_no_session(app, client, ids, live, lang, method, path,
                                                   body):
    sign_in(client, OTHER_TRAINEE)
    assert _send(client, method, _url(path, lang, live, ids), body).status_code == 404
    assert client.get(f"/{lang}/live/join?code={live.code}").status_code == 200
    _untouched(app, live)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "path", "body"), PHONE_ROUTES)
def test_trainer_of_another_cohort_sees_no_session(app, client, ids, live, lang, method, path,
                                                   body):
    sign_in(client, OTHER_TRAINER)
    assert _send(client, method, _url(path, lang, live, ids), body).status_code == 404
    _untouched(app, live)


def test_a_cross_site_answer_is_refused(app, ids, live):
    phone = app.test_client()
    phone.environ_base["HTTP_SEC_FETCH_SITE"] = "cross-site"
    sign_in(browser_client(app), TRAINEE)
    response = phone.post(f"/en/live/s/{live.code}/answer",
                          json={"question_id": live.choice_id, "client_id": "abcdefgh-1",
                                "answer": ["a"]})
    assert response.status_code == 403
    assert count(app, "SELECT count(*) FROM live_answers") == 0


def _joined(app, person=TRAINEE, lang="en", code=None):
    phone = browser_client(app)
    sign_in(phone, person, lang)
    if code:
        phone.get(f"/{lang}/live/join?code={code}")
    return phone


def _answer(phone, live, answer, client_id, question=None, lang="en"):
    return phone.post(f"/{lang}/live/s/{live.code}/answer",
                      json={"question_id": question or live.choice_id, "client_id": client_id,
                            "answer": answer})


def test_a_trainee_joins_by_code_typed_loosely(app, live):
    phone = _joined(app)
    typed = f" {live.code[:3].lower()}-{live.code[3:]} "
    response = phone.post("/en/live/join", data={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/en/live/s/{live.code}/")
    assert phone.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_code_says_so_in_the_page_language(app, live, lang):
    page = browser_client(app).post(f"/{lang}/live/join", data={"code": "ZZZZZZ"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert ("No running session has this code" in text) == (lang == "en")
    assert count(app, "SELECT count(*) FROM live_participants") == 0


def test_wrong_codes_are_throttled_per_address(app, live):
    app.config["ADDRESS_JOIN_CODE_LIMIT"] = 3
    visitor = browser_client(app)
    for _ in range(3):
        visitor.post("/en/live/join", data={"code": "ZZZZZZ"})
    refused = visitor.post("/en/live/join", data={"code": live.code})
    assert refused.status_code == 429


def test_a_resent_answer_lands_once_and_a_newer_one_replaces_it(app, live):
    phone = _joined(app, code=live.code)
    assert _answer(phone, live, ["b"], "first-send-1").get_json()["outcome"] == "stored"
    assert _answer(phone, live, ["b"], "first-send-1").get_json()["outcome"] == "repeat"
    assert _answer(phone, live, ["a"], "second-send").get_json()["outcome"] == "stored"
    # A late copy of the first send does not undo the change.
    assert _answer(phone, live, ["b"], "first-send-1").get_json()["outcome"] == "repeat"
    assert count(app, "SELECT count(*) FROM live_answers") == 1
    mine = phone.get(f"/en/live/s/{live.code}/state").get_json()["mine"]
    assert mine == {"client_id": "second-send", "answer": ["a"]}


@pytest.mark.parametrize(("lang", "words"), [("en", "closed before"), ("zh", "停止作答")])
def test_no_answer_after_the_question_closes(app, client, ids, live, lang, words):
    phone = _joined(app, code=live.code)
    sign_in(client, TRAINER)
    client.post(f"/en/live/sessions/{live.session_id}/questions/{live.choice_id}/close")
    response = _answer(phone, live, ["a"], "too-late-01", lang=lang)
    assert response.status_code == 409
    assert words in response.get_json()["message"]
    assert count(app, "SELECT count(*) FROM live_answers") == 0


@pytest.mark.parametrize(("answer", "problem"), [
    (["z"], "unknown"), (["a", "b"], "several"), ([], "empty"), ("a", "shape"), (None, "shape"),
])
def test_a_bad_answer_is_refused_with_a_reason(app, live, answer, problem):
    phone = _joined(app, code=live.code)
    response = _answer(phone, live, answer, "bad-answer-1")
    assert response.status_code == 422 if problem != "shape" else 400 <= response.status_code < 500
    assert response.get_json()["problem"] == problem
    assert response.get_json()["message"]


@pytest.mark.parametrize("payload", [[], "x", {"question_id": True, "client_id": "abcdefgh"},
                                     {"question_id": 1, "client_id": "short"},
                                     {"question_id": 2**70, "client_id": "abcdefgh-1"}])
def test_a_malformed_send_is_a_clear_4xx(app, live, payload):
    phone = _joined(app, code=live.code)
    response = phone.post(f"/zh/live/s/{live.code}/answer", json=payload)
    assert 400 <= response.status_code < 500
    assert response.get_json()["message"]


def test_the_state_answers_304_until_something_changes(app, client, ids, live):
    phone = _joined(app, code=live.code)
    first = phone.get(f"/en/live/s/{live.code}/state")
    tag = first.headers["ETag"]
    assert "private" in first.headers["Cache-Control"]
    assert phone.get(f"/en/live/s/{live.code}/state",
                     headers={"If-None-Match": tag}).status_code == 304
    # Another phone's answer changes nothing this phone shows before the reveal.
    other = browser_client(app)
    sign_in(other, TRAINER)
    second = add_second_trainee(app, ids["cohort"])
    assert _answer(_joined(app, second, code=live.code), live, ["a"], "someone-else").status_code == 200
    assert phone.get(f"/en/live/s/{live.code}/state",
                     headers={"If-None-Match": tag}).status_code == 304
    other.post(f"/en/live/sessions/{live.session_id}/questions/{live.choice_id}/reveal")
    revealed = phone.get(f"/en/live/s/{live.code}/state", headers={"If-None-Match": tag})
    assert revealed.status_code == 200
    question = revealed.get_json()["question"]
    assert question["revealed"] and question["results"]["respondents"] == 1
    assert [option["correct"] for option in question["options"]] == [True, False]


def test_the_phone_sees_neither_answer_nor_results_before_the_reveal(app, live):
    phone = _joined(app, code=live.code)
    question = phone.get(f"/en/live/s/{live.code}/state").get_json()["question"]
    assert "results" not in question and "explanation" not in question
    assert all("correct" not in option for option in question["options"])


def test_the_projector_counts_answers_as_they_come(app, client, live):
    sign_in(client, TRAINER)
    url = f"/en/live/sessions/{live.session_id}/state"
    before = client.get(url)
    _answer(_joined(app, code=live.code), live, ["a"], "counted-01")
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json()["question"]["results"]["respondents"] == 1


def test_guests_join_with_a_nickname_and_stay_off_the_records(app, client, ids):
    live = running_session(app, ids["cohort"], ids["trainer"], guests=True)
    guest = browser_client(app)
    asked = guest.get(f"/zh/live/join?code={live.code}")
    assert "昵称" in asked.get_data(as_text=True)
    joined = guest.post("/zh/live/join", data={"code": live.code, "nickname": "Lee"})
    assert joined.status_code == 302
    assert _answer(guest, live, ["b"], "guest-send-1").status_code == 200
    trainee = _joined(app, code=live.code)
    assert _answer(trainee, live, ["a"], "trainee-send").status_code == 200
    sign_in(client, TRAINER)
    state = client.get(f"/en/live/sessions/{live.session_id}/state").get_json()
    assert state["question"]["results"]["respondents"] == 2  # the room counts the guest
    export = client.get(f"/en/live/sessions/{live.session_id}/answers.csv").get_data(as_text=True)
    assert "Tom Trainee" in export and "Lee" not in export and "Beta" not in export
    record = client.get(f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/")
    assert "Alpha" in record.get_data(as_text=True)


def test_a_guest_needs_a_nickname(app, ids):
    live = running_session(app, ids["cohort"], ids["trainer"], guests=True)
    page = browser_client(app).post("/en/live/join", data={"code": live.code, "nickname": "  "})
    assert "Give a nickname" in page.get_data(as_text=True)
    assert count(app, "SELECT count(*) FROM live_participants") == 0


def test_an_ended_session_code_opens_nothing(app, client, live):
    phone = _joined(app, code=live.code)
    sign_in(client, TRAINER)
    client.post(f"/en/live/sessions/{live.session_id}/end")
    assert phone.get(f"/en/live/s/{live.code}/").status_code == 404
    assert phone.get(f"/en/live/s/{live.code}/state").get_json()["ended"] is True
    page = phone.post("/en/live/join", data={"code": live.code})
    assert "No running session" in page.get_data(as_text=True)


def test_the_trainer_hides_an_open_answer_from_the_board(app, client, live):
    sign_in(client, TRAINER)
    client.post(f"/en/live/sessions/{live.session_id}/questions/{live.text_id}/open")
    _answer(_joined(app, code=live.code), live, "Something rude", "rude-answer", live.text_id)
    url = f"/en/live/sessions/{live.session_id}/state"
    groups = client.get(url).get_json()["question"]["results"]["groups"]
    assert [group["text"] for group in groups] == ["Something rude"]
    assert client.post(f"/en/live/sessions/{live.session_id}/hide",
                       json={"answer_ids": groups[0]["answer_ids"]}).status_code == 200
    assert client.get(url).get_json()["question"]["results"]["groups"] == []


def test_the_trainer_adds_the_discussion_and_quiz_questions_and_writes_one(app, client, live):
    sign_in(client, TRAINER)
    url = f"/zh/live/sessions/{live.session_id}/questions"
    for source in ("discussion:1", "discussion:4", "bank:what-is-kam"):
        client.post(url, data={"source": source})
    client.post(url, data={"source": "written", "kind": "ranking", "prompt_zh": "排序",
                           "options_zh": "甲\n乙\n丙"})
    panel = client.get(f"/zh/live/sessions/{live.session_id}/").get_data(as_text=True)
    assert "什么是大客户管理？" in panel and "排序" in panel
    assert "要成功开展大客户管理，最重要的要素是什么？" in panel
    assert count(app, "SELECT count(*) FROM live_questions") == 6


@pytest.mark.parametrize(("form", "message"), [
    ({"kind": "single", "prompt_en": ""}, "Write the question"),
    ({"kind": "single", "prompt_en": "Q", "options_en": "only one"}, "between 2 and 14"),
    ({"kind": "single", "prompt_en": "Q", "options_en": "a\nb", "correct": ["1", "2"]},
     "one right answer"),
    ({"kind": "bogus", "prompt_en": "Q"}, "kind of question"),
])
def test_a_written_question_with_a_problem_is_not_added(app, client, live, form, message):
    sign_in(client, TRAINER)
    page = client.post(f"/en/live/sessions/{live.session_id}/questions",
                       data={"source": "written", **form}, follow_redirects=True)
    assert message in page.get_data(as_text=True)
    assert count(app, "SELECT count(*) FROM live_questions") == 2


def test_points_must_add_up_to_100(app, client, ids):
    sign_in(client, TRAINER)
    live = running_session(app, ids["cohort"], ids["trainer"], open_first=False)
    client.post(f"/en/live/sessions/{live.session_id}/questions",
                data={"source": "written", "kind": "points", "prompt_en": "Weigh",
                      "options_en": "Revenue\nGrowth"})
    question = count(app, "SELECT max(id) FROM live_questions")
    client.post(f"/en/live/sessions/{live.session_id}/questions/{question}/open")
    phone = _joined(app, lang="zh", code=live.code)
    refused = _answer(phone, live, {"o1": 60, "o2": 30}, "points-send-1", question, lang="zh")
    assert refused.status_code == 422 and "100" in refused.get_json()["message"]
    assert _answer(phone, live, {"o1": 60, "o2": 40}, "points-send-2", question).status_code == 200


def test_the_dashboard_links_to_the_live_sessions(client, ids):
    sign_in(client, TRAINER)
    page = client.get(f"/en/trainer/cohorts/{ids['cohort']}/").get_data(as_text=True)
    assert f"/en/live/cohorts/{ids['cohort']}/" in page


@pytest.mark.parametrize("lang", LANGS)
def test_the_projector_shows_the_code_and_a_qr_code(client, live, lang):
    sign_in(client, TRAINER)
    page = client.get(f"/{lang}/live/sessions/{live.session_id}/projector").get_data(as_text=True)
    assert f"{live.code[:3]} {live.code[3:]}" in page
    assert "<svg" in page and "<script>" not in page


def test_a_trainee_not_signed_in_signs_in_and_lands_in_the_session(app, live):
    phone = browser_client(app)
    page = phone.get(f"/zh/live/join?code={live.code}")
    assert "请登录后加入" in page.get_data(as_text=True)
    back = sign_in(phone, TRAINEE, "zh")
    assert back.headers["Location"] == f"/zh/live/join?code={live.code}"
    joined = phone.get(back.headers["Location"])
    assert joined.headers["Location"].endswith(f"/zh/live/s/{live.code}/")


@pytest.mark.parametrize(("lang", "prompt", "figure"), [
    ("en", "How much should each criterion weigh?", "Gross margin"),
    ("zh", "每项标准应占多少权重？", "毛利率")])
def test_the_criteria_question_is_ready_over_the_case_figures(app, client, live, lang, prompt,
                                                              figure):
    sign_in(client, TRAINER)
    panel = client.get(f"/{lang}/live/sessions/{live.session_id}/").get_data(as_text=True)
    assert 'value="case:criteria"' in panel and prompt in panel
    client.post(f"/{lang}/live/sessions/{live.session_id}/questions",
                data={"source": "case:criteria"})
    question = count(app, "SELECT max(id) FROM live_questions WHERE kind = 'points'")
    client.post(f"/{lang}/live/sessions/{live.session_id}/questions/{question}/open")
    phone = _joined(app, lang=lang, code=live.code)
    state = phone.get(f"/{lang}/live/s/{live.code}/state").get_json()
    assert figure in str(state)
    assert _answer(phone, live, {"revenue": 50, "gross_margin": 50}, "criteria-1", question,
                   lang=lang).status_code == 200
