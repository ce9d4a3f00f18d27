"""Taking, retaking and reviewing the quiz through the web pages, in both languages."""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from courseware.db import connect
from courseware.loaded_course import get_course
from courseware.quiz.bank import QuestionBank, QuestionType
from courseware.quiz.forms import choice_field, match_field
from tests.conftest import OTHER_TRAINEE, TRAINER, post_form, sign_in, text

LANGS = ("en", "zh")


def bank(app, lang: str = "en") -> QuestionBank:
    with app.app_context():
        return get_course().areas["quiz"].bank(lang)


def right_answers(quiz: QuestionBank) -> dict[str, object]:
    """Form data answering every question correctly."""
    data: dict[str, object] = {}
    for question in quiz.questions:
        if question.type is QuestionType.MATCHING:
            for item in question.items:
                data[match_field(question.id, item.id)] = item.answer
        else:
            data[choice_field(question.id)] = sorted(question.correct_option_ids)
    return data


def start(client, lang: str = "en") -> str:
    """Start an attempt and return the URL of its page."""
    response = post_form(client, f"/{lang}/quiz/start", {})
    assert response.status_code == 302
    return response.headers["Location"]


def attempt_token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def submit(client, url: str, data: dict[str, object], token: str | None = None):
    form = {"token": token or attempt_token(client, url), **data}
    return post_form(client, url, form)


def submitted_attempts(app) -> list[tuple]:
    db = connect(app.config["DATABASE"])
    rows = db.execute(
        "SELECT id, percent FROM quiz_attempts WHERE submitted_at IS NOT NULL"
    ).fetchall()
    db.close()
    return rows


@pytest.mark.parametrize("lang", LANGS)
def test_trainee_takes_the_quiz_and_reads_a_review_that_teaches(app, trainee_client, lang):
    quiz = bank(app, lang)
    url = start(trainee_client, lang)
    page = text(trainee_client.get(url))
    assert quiz.get("what-is-kam").prompt in page
    assert quiz.get("selection-criteria").options[0].text in page

    answers = right_answers(quiz)
    answers[choice_field("what-is-kam")] = ["campaign"]
    response = submit(trainee_client, url, answers)
    assert response.status_code == 302
    review_html = trainee_client.get(response.headers["Location"]).get_data(as_text=True)
    review = text(trainee_client.get(response.headers["Location"]))

    expected = {
        "en": ["You scored 16 of 17 points (94.12%).", "Passed: the pass mark is 75%.",
               "Not correct: 0 of 1 point.", "Read the page again: Description"],
        "zh": ["你的得分：16 分（满分 17 分），得分率 94.12%。", "已通过：及格线为 75%。",
               "回答错误：得 0 分（满分 1 分）。", "回顾相关页面：概述"],
    }[lang]  # fmt: skip
    for phrase in expected:
        assert phrase in review
    assert quiz.get("what-is-kam").explanation in review
    assert f'href="/{lang}/module/description"' in review_html


@pytest.mark.parametrize("lang", LANGS)
def test_missing_answer_is_named_next_to_the_question_and_nothing_typed_is_lost(
    app, trainee_client, lang
):
    url = start(trainee_client, lang)
    answers = right_answers(bank(app, lang))
    del answers[choice_field("how-selected")]
    del answers[match_field("customer-category-goals", "key")]
    response = submit(trainee_client, url, answers)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    message = {"en": "Answer this question.", "zh": "请回答这道题。"}[lang]
    incomplete = {"en": "Choose a match for every item.", "zh": "请为每一项都选出对应的答案。"}[lang]
    assert re.search(r'id="error-how-selected">' + re.escape(message), html)
    assert re.search(r'id="error-customer-category-goals">' + re.escape(incomplete), html)
    assert 'id="q-what-is-kam--process" name="answer:what-is-kam" value="process" checked' in html
    assert '<option value="capture" selected>' in html
    assert submitted_attempts(app) == []


@pytest.mark.parametrize(
    "tamper",
    [
        {choice_field("what-is-kam"): ["no-such-option"]},
        {choice_field("what-is-kam"): ["process", "campaign"]},
        {choice_field("no-such-question"): ["a"]},
        {match_field("customer-category-goals", "no-such-item"): "capture"},
        {"answer:what:is:this": "x"},
    ],
)
def test_tampered_answers_get_a_clear_400_and_record_nothing(app, trainee_client, tamper):
    url = start(trainee_client)
    response = submit(trainee_client, url, {**right_answers(bank(app)), **tamper})
    assert response.status_code == 400
    assert "not in the quiz" in text(response)
    assert submitted_attempts(app) == []


def test_wrong_attempt_token_is_refused(app, trainee_client):
    url = start(trainee_client)
    response = submit(trainee_client, url, right_answers(bank(app)), token="forged")
    assert response.status_code == 400
    assert submitted_attempts(app) == []


def test_replayed_submission_records_one_attempt_and_shows_its_review(app, trainee_client):
    url = start(trainee_client)
    token = attempt_token(trainee_client, url)
    first = submit(trainee_client, url, right_answers(bank(app)), token=token)
    replay = submit(trainee_client, url, right_answers(bank(app)), token=token)
    assert first.headers["Location"] == replay.headers["Location"]
    assert "already submitted" in text(trainee_client.get(replay.headers["Location"]))
    assert len(submitted_attempts(app)) == 1


def test_two_identical_submissions_sent_at_once_record_one_attempt(app, trainee_client):
    url = start(trainee_client)
    token = attempt_token(trainee_client, url)
    form = {"token": token, **right_answers(bank(app))}
    cookie = trainee_client.get_cookie("session").value
    both_ready = threading.Barrier(2)
    reviews: list[str] = []

    def send() -> None:
        with app.test_client() as client:
            client.set_cookie("session", cookie)
            both_ready.wait()
            response = client.post(url, data=form)
            assert response.status_code == 302
            reviews.append(text(client.get(response.headers["Location"])))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(reviews) == 2
    assert sum("already submitted" in review for review in reviews) == 1
    assert len(submitted_attempts(app)) == 1
    db = connect(app.config["DATABASE"])
    answer_rows = db.execute("SELECT count(*) FROM quiz_answers").fetchone()[0]
    db.close()
    assert answer_rows == sum(
        len(q.items) or len(q.correct_option_ids) for q in bank(app).questions
    )


def test_switching_language_keeps_the_answers_given_so_far(app, trainee_client):
    url = start(trainee_client, "zh")
    partial = {
        choice_field("what-is-kam"): ["process"],
        choice_field("kam-objectives"): ["profit", "forecast"],
        match_field("customer-category-goals", "lost"): "recapture",
    }
    response = submit(trainee_client, url, {**partial, "switch_to": "en"})
    assert response.status_code == 302
    english_url = response.headers["Location"]
    assert english_url == url.replace("/zh/", "/en/")

    html = trainee_client.get(english_url).get_data(as_text=True)
    assert "What is key account management?" in html
    assert 'value="process" checked' in html
    assert 'value="profit" checked' in html and 'value="forecast" checked' in html
    assert '<option value="recapture" selected>' in html
    assert submitted_attempts(app) == []


def test_answered_in_chinese_reviewed_in_english(app, trainee_client):
    url = start(trainee_client, "zh")
    response = submit(trainee_client, url, right_answers(bank(app, "zh")))
    review_url = response.headers["Location"].replace("/zh/", "/en/")
    review = text(trainee_client.get(review_url))
    assert "You scored 17 of 17 points (100%)." in review
    assert "A management process" in review
    assert "一个管理流程" not in review


def test_option_order_is_shuffled_per_attempt_and_stable_on_reload(app, trainee_client):
    def order(url: str) -> list[str]:
        html = trainee_client.get(url).get_data(as_text=True)
        return re.findall(r'name="answer:selection-criteria" value="([^"]+)"', html)

    first_url = start(trainee_client)
    first = order(first_url)
    assert first == order(first_url)
    orders = {tuple(first)}
    for _ in range(6):
        submit(trainee_client, first_url, right_answers(bank(app)))
        first_url = start(trainee_client)
        orders.add(tuple(order(first_url)))
    assert len(orders) > 1


def test_attempts_list_shows_every_attempt_and_the_best(app, trainee_client):
    url = start(trainee_client)
    weak = right_answers(bank(app))
    for question_id in ("what-is-kam", "how-selected", "main-objective", "success-element",
                        "focal-point"):  # fmt: skip
        weak[choice_field(question_id)] = [
            next(o.id for o in bank(app).get(question_id).options if not o.correct)
        ]
    submit(trainee_client, url, weak)
    url = start(trainee_client)
    submit(trainee_client, url, right_answers(bank(app)))

    page = text(trainee_client.get("/en/quiz/"))
    assert "Your best score is 100%: passed." in page
    assert "70.59%" in page and "Not passed" in page
    assert "Take the quiz again" in page


def test_pass_mark_comes_from_the_cohort(app, trainee_client, ids):
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET pass_mark = 95 WHERE id = ?", [ids["cohort"]])
    db.conn.commit()
    db.close()
    url = start(trainee_client)
    answers = right_answers(bank(app))
    answers[choice_field("what-is-kam")] = ["campaign"]
    review = text(trainee_client.get(submit(trainee_client, url, answers).headers["Location"]))
    assert "Not passed yet: the pass mark is 95%." in review


def test_trainee_cannot_open_another_trainees_attempt(app, client):
    sign_in(client, OTHER_TRAINEE)
    url = start(client)
    client.post("/en/sign-out")
    client.delete_cookie("session")
    from tests.conftest import TRAINEE

    sign_in(client, TRAINEE)
    assert client.get(url).status_code == 404
    assert client.get(url + "/review").status_code == 404


def test_visitors_must_sign_in_and_trainers_cannot_take_the_quiz(app, client):
    assert client.get("/en/quiz/").status_code == 302
    sign_in(client, TRAINER)
    assert client.get("/en/quiz/").status_code == 200
    assert post_form(client, "/en/quiz/start", {}).status_code == 403


def test_start_from_another_site_is_refused(trainee_client):
    response = trainee_client.post("/en/quiz/start", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert "Continue" not in text(trainee_client.get("/en/quiz/"))


@pytest.mark.parametrize("lang", LANGS)
def test_quiz_page_states_the_partial_credit_rule(trainee_client, lang):
    page = text(trainee_client.get(start(trainee_client, lang)))
    rule = {
        "en": "each wrong option you tick takes a share away",
        "zh": "每多选一个错误选项，按同样比例扣分",
    }[lang]
    assert rule in page


field_names = st.sampled_from(
    [
        choice_field("what-is-kam"),
        choice_field("kam-objectives"),
        match_field("customer-category-goals", "key"),
        match_field("customer-category-goals", "nope"),
        "answer:",
        "answer",
        "answer:what-is-kam:key:extra",
        "switch_to",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(posted=st.lists(st.tuples(field_names, st.text(max_size=40)), max_size=8))
def test_any_posted_answers_get_a_page_or_a_400_never_a_500(app, trainee_client, posted):
    url = start(trainee_client)
    token = attempt_token(trainee_client, url)
    form = MultiDict([("token", token), *posted])
    response = trainee_client.post(url, data=form)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 400:
        assert submitted_attempts(app) == []


# Answers saved as they are chosen: the page's script posts one question's answer as JSON.

ANSWER_ROWS = "SELECT question_id, item_id, option_id FROM quiz_answers ORDER BY 1, 2, 3"


class PageAnswers(HTMLParser):
    """The answers a page shows chosen, as the form would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name") or ""
        if tag == "input" and name.startswith("answer:") and "checked" in found:
            self.fields.append((name, found["value"] or ""))
        elif tag == "select" and name.startswith("answer:"):
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.fields.append((self._select, found["value"] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def chosen_on_page(html: str) -> dict[str, list[str]]:
    parser = PageAnswers()
    parser.feed(html)
    return dict(MultiDict(parser.fields).lists())


def save_answer(client, url: str, question: str, answer, *, token: str | None = None):
    """Post one answer as the page's script does."""
    return client.post(url + "/answers", json={"token": token or attempt_token(client, url),
                                               "question": question, "answer": answer})


def stored_rows(app) -> list[tuple]:
    db = connect(app.config["DATABASE"])
    rows = db.execute(ANSWER_ROWS).fetchall()
    db.close()
    return rows


ANSWERED = {"en": "{n} of 17 answered", "zh": "已答 {n} 题，共 17 题"}


@pytest.mark.parametrize("lang", LANGS)
def test_an_answer_saved_as_chosen_is_chosen_again_on_reload_and_counted(app, trainee_client,
                                                                         lang):
    url = start(trainee_client, lang)
    assert ANSWERED[lang].format(n=0) in text(trainee_client.get(url))
    token = attempt_token(trainee_client, url)

    first = save_answer(trainee_client, url, "what-is-kam", ["process"], token=token)
    assert first.status_code == 200
    assert first.get_json() == {"status": "saved", "answered": 1, "total": 17}
    both = save_answer(trainee_client, url, "kam-objectives", ["profit", "forecast"],
                       token=token)
    assert both.get_json()["answered"] == 2
    # A matching question half paired is kept, but not counted as answered yet.
    half = save_answer(trainee_client, url, "customer-category-goals", {"lost": "recapture"},
                       token=token)
    assert half.get_json() == {"status": "saved", "answered": 2, "total": 17}

    response = trainee_client.get(url)
    html = response.get_data(as_text=True)
    assert ANSWERED[lang].format(n=2) in text(response)
    assert 'value="process" checked' in html
    assert 'value="profit" checked' in html and 'value="forecast" checked' in html
    assert '<option value="recapture" selected>' in html
    assert submitted_attempts(app) == []


@pytest.mark.parametrize("lang", LANGS)
def test_an_empty_answer_clears_only_that_question(app, trainee_client, lang):
    url = start(trainee_client, lang)
    token = attempt_token(trainee_client, url)
    matching = bank(app, lang).get("customer-category-goals")
    save_answer(trainee_client, url, "what-is-kam", ["process"], token=token)
    save_answer(trainee_client, url, "kam-objectives", ["profit", "forecast"], token=token)
    full = save_answer(trainee_client, url, matching.id,
                       {item.id: item.answer for item in matching.items}, token=token)
    assert full.get_json()["answered"] == 3

    assert save_answer(trainee_client, url, "kam-objectives", ["profit"],
                       token=token).get_json()["answered"] == 3
    assert save_answer(trainee_client, url, "what-is-kam", [],
                       token=token).get_json()["answered"] == 2
    assert save_answer(trainee_client, url, matching.id, {},
                       token=token).get_json()["answered"] == 1

    response = trainee_client.get(url)
    html = response.get_data(as_text=True)
    assert ANSWERED[lang].format(n=1) in text(response)
    assert "checked" not in re.search(r'<input[^>]*value="process"[^>]*>', html).group(0)
    assert 'value="profit" checked' in html
    assert "checked" not in re.search(r'<input[^>]*value="forecast"[^>]*>', html).group(0)
    assert " selected>" not in html.split('id="question-customer-category-goals"')[1].split(
        "</fieldset>")[0]


def test_another_trainees_attempt_is_not_found_and_keeps_its_answers(app, client):
    sign_in(client, OTHER_TRAINEE)
    url = start(client)
    save_answer(client, url, "what-is-kam", ["process"])
    before = stored_rows(app)
    client.post("/en/sign-out")
    client.delete_cookie("session")
    from tests.conftest import TRAINEE

    sign_in(client, TRAINEE)
    own = start(client)
    client.get(own)
    response = client.post(url + "/answers",
                           json={"token": "guess", "question": "what-is-kam",
                                 "answer": ["campaign"]})
    assert response.status_code == 404
    assert response.get_json()["status"] == "not_found"
    assert stored_rows(app) == before


def test_trainers_are_refused_and_visitors_sent_to_sign_in(app, trainee_client):
    client = trainee_client
    url = start(client)
    client.post("/en/sign-out")
    client.delete_cookie("session")
    answer = {"token": "t", "question": "what-is-kam", "answer": ["process"]}
    anonymous = client.post(url + "/answers", json=answer)
    assert anonymous.status_code == 302
    assert "/sign-in" in anonymous.headers["Location"]

    sign_in(client, TRAINER)
    refused = client.post(url + "/answers", json=answer)
    assert refused.status_code == 403
    assert refused.get_json()["status"] == "forbidden"
    assert stored_rows(app) == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_submitted_attempt_refuses_an_answer_and_links_its_review(app, trainee_client, lang):
    url = start(trainee_client, lang)
    token = attempt_token(trainee_client, url)
    submit(trainee_client, url, right_answers(bank(app, lang)))
    before = stored_rows(app)

    response = save_answer(trainee_client, url, "what-is-kam", ["campaign"], token=token)
    assert response.status_code == 409
    body = response.get_json()
    assert body["status"] == "submitted"
    assert body["review_url"] == f"{url}/review"
    assert {"en": "already submitted", "zh": "已经提交"}[lang] in body["message"]
    assert stored_rows(app) == before
    review = text(trainee_client.get(body["review_url"]))
    assert {"en": "You scored 17 of 17 points", "zh": "你的得分：17 分"}[lang] in review


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_attempt_token_is_stale_and_saves_nothing(app, trainee_client, lang):
    url = start(trainee_client, lang)
    response = save_answer(trainee_client, url, "what-is-kam", ["process"], token="forged")
    assert response.status_code == 409
    assert response.get_json() == {
        "status": "stale",
        "message": {"en": "This quiz form is out of date. Open the quiz again.",
                    "zh": "这份测验表单已过期，请重新打开测验。"}[lang],
    }
    assert stored_rows(app) == []


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("no-such-question", ["process"]),
        ("what-is-kam", ["no-such-option"]),
        ("what-is-kam", ["process", "campaign"]),  # one answer only
        ("what-is-kam", {"key": "process"}),  # pairs for a choice question
        ("customer-category-goals", {"no-such-item": "capture"}),
        ("customer-category-goals", {"key": "no-such-option"}),
        ("customer-category-goals", ["capture"]),  # choices for a matching question
    ],
)
def test_an_answer_naming_what_is_not_in_the_quiz_is_invalid_and_saves_nothing(
    app, trainee_client, question, answer
):
    url = start(trainee_client)
    token = attempt_token(trainee_client, url)
    kept = save_answer(trainee_client, url, "kam-objectives", ["profit"], token=token)
    assert kept.status_code == 200
    response = save_answer(trainee_client, url, question, answer, token=token)
    assert response.status_code == 400
    assert response.get_json()["status"] == "invalid"
    assert "not in the quiz" in response.get_json()["message"]
    assert stored_rows(app) == [("kam-objectives", "", "profit")]


MALFORMED = {
    "not JSON": b"{token:",
    "a list": b'["what-is-kam", ["process"]]',
    "a string": b'"process"',
    "null": b"null",
    "empty": b"",
    "no answer": b'{"token": "%(token)s", "question": "what-is-kam"}',
    "no token": b'{"question": "what-is-kam", "answer": ["process"]}',
    "answer as a string": b'{"token": "%(token)s", "question": "what-is-kam", "answer": "process"}',
    "answer as a number": b'{"token": "%(token)s", "question": "what-is-kam", "answer": 7}',
    "option as a number": b'{"token": "%(token)s", "question": "what-is-kam", "answer": [1]}',
    "nested lists": b'{"token": "%(token)s", "question": "what-is-kam", "answer": [["process"]]}',
    "nested pairs": b'{"token": "%(token)s", "question": "customer-category-goals", '
                    b'"answer": {"key": {"x": []}}}',
    "pair as null": b'{"token": "%(token)s", "question": "customer-category-goals", '
                    b'"answer": {"key": null}}',
    "question as a list": b'{"token": "%(token)s", "question": ["what-is-kam"], "answer": []}',
    "token as a number": b'{"token": 5, "question": "what-is-kam", "answer": ["process"]}',
    "deep nesting": b'{"token": "%(token)s", "question": "what-is-kam", "answer": '
                    + b"[" * 5000 + b"]" * 5000 + b"}",
    "a huge string": b'{"token": "%(token)s", "question": "' + b"q" * 100_000
                     + b'", "answer": ["process"]}',
    "more than any request may carry": b'{"token": "%(token)s", "question": "what-is-kam", '
                                       b'"answer": ["' + b"x" * 300_000 + b'"]}',
    "a huge number": b'{"token": "%(token)s", "question": "what-is-kam", "answer": '
                     + b"9" * 5000 + b"}",
    "a lone surrogate": b'{"token": "%(token)s", "question": "what-is-kam", '
                        b'"answer": ["\\udc80"]}',
    "not UTF-8": b'{"token": "%(token)s", "question": "what-\xff", "answer": ["process"]}',
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_body_is_invalid_never_a_500(app, trainee_client, body):
    url = start(trainee_client)
    token = attempt_token(trainee_client, url)
    response = trainee_client.post(url + "/answers",
                                   data=body.replace(b"%(token)s", token.encode()),
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["status"] == "invalid"
    assert response.get_json()["message"]
    assert stored_rows(app) == []


@pytest.mark.parametrize("lang", LANGS)
def test_an_answer_sent_as_a_form_is_invalid_in_the_page_language(app, trainee_client, lang):
    url = start(trainee_client, lang)
    token = attempt_token(trainee_client, url)
    response = trainee_client.post(url + "/answers",
                                   data={"token": token, "question": "what-is-kam",
                                         "answer": "process"})
    assert response.status_code == 400
    assert response.get_json()["message"] == {
        "en": "Not saved: the answer could not be read. Reload the page and answer again.",
        "zh": "未保存：无法读取这个答案。请刷新页面后重新作答。"}[lang]
    assert stored_rows(app) == []


def test_answers_saved_in_english_are_kept_continuing_and_reviewed_in_chinese(app,
                                                                             trainee_client):
    english = bank(app, "en")
    url = start(trainee_client, "en")
    token = attempt_token(trainee_client, url)
    for question in english.questions:
        if question.type is QuestionType.MATCHING:
            answer = {item.id: item.answer for item in question.items}
        elif question.id == "what-is-kam":
            answer = ["campaign"]  # wrong on purpose
        else:
            answer = sorted(question.correct_option_ids)
        assert save_answer(trainee_client, url, question.id, answer,
                           token=token).status_code == 200

    chinese_url = url.replace("/en/", "/zh/")
    page = trainee_client.get(chinese_url)
    assert "已答 17 题，共 17 题" in text(page)
    assert "什么是大客户管理？" in text(page)
    # Submitting the Chinese page as it shows them: what was saved in English is graded.
    response = submit(trainee_client, chinese_url, chosen_on_page(page.get_data(as_text=True)))
    assert response.headers["Location"] == chinese_url + "/review"
    review = text(trainee_client.get(response.headers["Location"]))
    assert "你的得分：16 分（满分 17 分），得分率 94.12%。" in review


@pytest.mark.parametrize("lang", LANGS)
def test_the_plain_form_save_button_keeps_the_answers_without_submitting(app, trainee_client,
                                                                         lang):
    url = start(trainee_client, lang)
    partial = {
        choice_field("what-is-kam"): ["process"],
        match_field("customer-category-goals", "lost"): "recapture",
        "save": "1",
    }
    response = submit(trainee_client, url, partial)
    assert response.status_code == 302
    assert response.headers["Location"] == url

    page = trainee_client.get(url)
    html = page.get_data(as_text=True)
    assert {"en": "Your answers are saved. You can leave now and carry on with this attempt "
                  "later.",
            "zh": "答案已保存。你现在可以离开，之后再继续这次作答。"}[lang] in text(page)
    assert ANSWERED[lang].format(n=1) in text(page)
    assert 'value="process" checked' in html
    assert '<option value="recapture" selected>' in html
    assert {"en": "Save answers", "zh": "保存答案"}[lang] in text(page)
    assert submitted_attempts(app) == []
    # The confirmation shows once; the page after it counts from the stored answers too.
    again = text(trainee_client.get(url))
    assert "saved. You can leave" not in again and "你现在可以离开" not in again
    assert ANSWERED[lang].format(n=1) in again


def test_the_page_carries_the_scripts_wording_in_its_language(trainee_client):
    html = trainee_client.get(start(trainee_client, "zh")).get_data(as_text=True)
    assert 'data-text-saving="正在保存……"' in html
    assert 'data-text-offline="未保存：网络已断开，正在重试……"' in html
    assert 'data-text-answered="已答 %(answered)s 题，共 %(total)s 题"' in html
    assert re.search(r'id="quiz-answered" aria-live="polite"', html)
