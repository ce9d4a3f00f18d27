"""Taking, retaking and reviewing the quiz through the web pages, in both languages."""

from __future__ import annotations

import re
import threading

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
               "Not correct: 0 of 1 point.", "Read the page again: Discussion"],
        "zh": ["你的得分：16 分（满分 17 分），即 94.12%。", "已通过：及格线为 75%。",
               "回答错误：得 0 分（满分 1 分）。", "回顾相关页面：讨论"],
    }[lang]  # fmt: skip
    for phrase in expected:
        assert phrase in review
    assert quiz.get("what-is-kam").explanation in review
    assert f'href="/{lang}/module/discussion"' in review_html


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
    assert "What is Key Account Management?" in html
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
        "zh": "每多选一个错误选项就扣掉相应的一份",
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
