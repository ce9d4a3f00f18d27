"""Trainer statistics on a seeded cohort with known answers, figures computed by hand."""

from __future__ import annotations

import pytest

from courseware.auth.users import create_user
from courseware.db import connect
from courseware.loaded_course import get_course
from courseware.quiz import store
from courseware.quiz.bank import QuestionType
from courseware.quiz.scoring import Answer, grade_attempt
from courseware.quiz.statistics import QuizSummary
from tests.conftest import OTHER_TRAINER, sign_in, text

# Each attempt: (trainee, {question id: wrong option chosen}); every other answer is right.
# Totals out of 17, ranked: A1 17, A2 16, A6 15, A3 14, A4 13, A5 11.
# Thirds of two: top A1, A2; bottom A4, A5.
ATTEMPTS = [
    ("t1", {}),  # A1: 17
    ("t2", {"what-is-kam": "campaign"}),  # A2: 16
    ("t3", {"what-is-kam": "discount", "how-selected": "revenue",
            "main-objective": "quarter"}),  # A3: 14
    ("t1", {"what-is-kam": "software", "how-selected": "preference",
            "main-objective": "fewer", "success-element": "crm"}),  # A4: 13
    ("t4", {"what-is-kam": "campaign", "how-selected": "request", "main-objective": "quarter",
            "success-element": "price", "focal-point": "forward",
            "voice-of-customer": "neutral"}),  # A5: 11
    ("t3", {"how-selected": "revenue", "success-element": "budget"}),  # A6: 15
]  # fmt: skip


def answers(quiz, wrong: dict[str, str]) -> dict[str, Answer]:
    result = {}
    for question in quiz.questions:
        if question.type is QuestionType.MATCHING:
            result[question.id] = Answer.matching({i.id: i.answer for i in question.items})
        elif question.id in wrong:
            result[question.id] = Answer.choice(wrong[question.id])
        else:
            result[question.id] = Answer.choice(*question.correct_option_ids)
    return result


def record(db, quiz, user_id: int, wrong: dict[str, str]) -> None:
    db.execute("BEGIN IMMEDIATE")
    attempt = store.start_attempt(db, user_id)
    given = answers(quiz, wrong)
    grade = grade_attempt(quiz, given)
    assert store.record_submission(db, attempt.id, attempt.token, given, grade, "en")
    db.execute("COMMIT")


@pytest.fixture
def seeded(app, ids):
    with app.app_context():
        quiz = get_course().areas["quiz"].bank("en")
    db = connect(app.config["DATABASE"])
    trainees = {"t1": ids["trainee"]}
    for key, name in (("t2", "Ann Avery"), ("t3", "Ben Brook"), ("t4", "Cai Chen")):
        trainees[key] = create_user(db, email=f"{key}@example.com", name=name, role="trainee",
                                    password_hash="not-used-to-sign-in", cohort_id=ids["cohort"])
    for trainee, wrong in ATTEMPTS:
        record(db, quiz, trainees[trainee], wrong)
    # Another cohort's attempt, all wrong: it must not count in this cohort.
    record(db, quiz, ids["other_trainee"], {q.id: "campaign" for q in quiz.questions[:1]})
    yield db, trainees
    db.close()


def test_best_scores_per_trainee_in_one_query(app, ids, seeded):
    db, trainees = seeded
    queries: list[str] = []
    traced = connect(app.config["DATABASE"])
    traced.conn.set_trace_callback(queries.append)  # every statement from here on
    summaries = store.best_scores(traced, ids["cohort"])
    traced.close()
    assert len(queries) == 1
    assert summaries == {
        trainees["t1"]: QuizSummary(best_percent=100.0, passed=True, attempts=2),
        trainees["t2"]: QuizSummary(best_percent=pytest.approx(1600 / 17), passed=True,
                                    attempts=1),
        trainees["t3"]: QuizSummary(best_percent=pytest.approx(1500 / 17), passed=True,
                                    attempts=2),
        trainees["t4"]: QuizSummary(best_percent=pytest.approx(1100 / 17), passed=False,
                                    attempts=1),
    }  # fmt: skip


def test_best_scores_follow_the_cohorts_pass_mark(app, ids, seeded):
    db, trainees = seeded
    db.execute("UPDATE cohorts SET pass_mark = 90 WHERE id = ?", [ids["cohort"]])
    db.conn.commit()
    passed = {uid: s.passed for uid, s in store.best_scores(db, ids["cohort"]).items()}
    assert passed == {trainees["t1"]: True, trainees["t2"]: True, trainees["t3"]: False,
                      trainees["t4"]: False}  # fmt: skip


def test_trainer_sees_facility_discrimination_and_option_counts(app, ids, seeded, trainer_client):
    page = text(trainer_client.get(f"/en/quiz/cohort/{ids['cohort']}"))
    assert "Submitted attempts: 6." in page
    # Q1 what-is-kam: right in A1, A6 -> facility 2/6 = 33%.
    # Top third A1 (1), A2 (0) -> 1/2; bottom A4 (0), A5 (0) -> 0; discrimination 0.50.
    assert "Q1 What is key account management? 33% 0.50" in page
    # Q2 how-selected: right in A1, A2 -> 2/6 = 33%; top 1, 1; bottom 0, 0 -> 1.00.
    assert "Q2 How are key accounts selected? 33% 1.00" in page
    # Q4 success-element: wrong in A4, A5, A6 -> 3/6 = 50%; top 1, 1; bottom 0, 0 -> 1.00.
    assert "Q4 What is the most important element of successful key account management? 50% " \
        "1.00" in page
    # Q5, a matching question everyone got right: 100%, no spread -> 0.00.
    assert "Q5 Match each category of customer to the goal it is managed towards. 100% 0.00" in page
    for option, count, share in (("A management process", 2, "33%"),
                                 ("A reporting process in which sales management ranks "
                                  "customers by revenue", 0, "0%"),
                                 ("A sales campaign to win new customers", 2, "33%"),
                                 ("A discount scheme for the biggest customers", 1, "17%"),
                                 ("A software system that stores customer data", 1, "17%")):  # fmt: skip
        assert f"{option}: {count} ({share})" in page
    assert "Tom Trainee 100% Passed 2" in page
    assert "Cai Chen 64.71% Not passed 1" in page
    assert "Sam Stranger" not in page


def test_trainer_reads_the_statistics_in_chinese(app, ids, seeded, trainer_client):
    page = text(trainer_client.get(f"/zh/quiz/cohort/{ids['cohort']}"))
    assert "第 1 题 什么是大客户管理？ 33% 0.50" in page
    assert "一场争取新客户的销售活动：2 次（33%）" in page
    assert "Cai Chen 64.71% 未通过 1" in page


def test_chart_draws_one_bar_per_question_at_its_facility(app, ids, seeded, trainer_client):
    html = trainer_client.get(f"/en/quiz/cohort/{ids['cohort']}").get_data(as_text=True)
    assert html.count('class="bar-chart__bar') == 17
    # Q1 at 1/3 of the 260-unit track, marked low.
    assert 'class="bar-chart__bar bar-chart__bar--low" x="80" y="8" width="86.7"' in html


def test_only_the_cohorts_trainers_see_its_statistics(app, ids, client):
    url = f"/en/quiz/cohort/{ids['cohort']}"
    assert client.get(url).status_code == 302
    sign_in(client, OTHER_TRAINER)
    assert client.get(url).status_code == 404


def test_trainees_cannot_see_statistics(ids, trainee_client):
    assert trainee_client.get(f"/en/quiz/cohort/{ids['cohort']}").status_code == 403


def test_empty_cohort_shows_no_chart_and_every_trainee_as_not_taken(ids, trainer_client):
    page = trainer_client.get(f"/en/quiz/cohort/{ids['cohort']}")
    assert "<svg" not in page.get_data(as_text=True)
    assert "Tom Trainee – Not taken yet 0" in text(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_attempts_export_has_a_row_per_attempt_with_points_per_question(
    app, client, ids, seeded, lang
):
    import csv
    import io

    db, trainees = seeded
    db.execute("UPDATE users SET name = '=Tom' WHERE id = ?", [trainees["t1"]])
    db.conn.commit()
    sign_in(client, {"email": "trainer@example.com", "password": "trainer-pass-123"})
    stats = client.get(f"/{lang}/quiz/cohort/{ids['cohort']}").get_data(as_text=True)
    assert f'href="/{lang}/quiz/cohort/{ids["cohort"]}/attempts.csv"' in stats
    response = client.get(f"/{lang}/quiz/cohort/{ids['cohort']}/attempts.csv")
    assert response.status_code == 200
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    word = "quiz%20attempts" if lang == "en" else "%E6%B5%8B%E9%AA%8C%E8%AE%B0%E5%BD%95"
    assert f"Spring%20cohort%20{word}%20" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert len(header) == 7 + 17 and len(body) == 6  # not the other cohort's attempt
    if lang == "zh":
        assert header[:3] == ["学员", "邮箱", "第几次作答"] and header[7] == "第 1 题"
    else:
        assert header[:7] == ["Trainee", "Email", "Attempt", "Submitted (UTC)", "Language",
                              "Score (%)", "Passed"] and header[7] == "Q1"
    # By name, then oldest first: the formula-like name is neutralised and sorts first.
    assert [(row[0], row[2]) for row in body] == [
        ("'=Tom", "1"), ("'=Tom", "2"), ("Ann Avery", "1"), ("Ben Brook", "1"),
        ("Ben Brook", "2"), ("Cai Chen", "1")]
    first_tom, second_tom = body[0], body[1]
    assert first_tom[5] == "100.0" and first_tom[7:] == ["1.0"] * 17
    assert second_tom[5] == str(round(1300 / 17, 2))  # four wrong: the first four questions
    assert second_tom[7:11] == ["0.0"] * 4
    assert body[-1][6] == ("No" if lang == "en" else "否")


def test_another_trainer_cannot_export_the_attempts(client, ids):
    sign_in(client, OTHER_TRAINER)
    assert client.get(f"/en/quiz/cohort/{ids['cohort']}/attempts.csv").status_code == 404


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_matching_questions_are_analysed_pair_by_pair(app, ids, seeded, trainer_client, lang):
    db, trainees = seeded
    with app.app_context():
        quiz = get_course().areas["quiz"].bank("en")
    matching = next(q for q in quiz.questions if q.type is QuestionType.MATCHING)
    first, second = matching.items[0], matching.items[1]
    # A seventh attempt swaps the first two items' answers: each pair is now right in 6 of 7.
    db.execute("BEGIN IMMEDIATE")
    attempt = store.start_attempt(db, trainees["t4"])
    given = answers(quiz, {})
    given[matching.id] = Answer.matching({**{i.id: i.answer for i in matching.items},
                                          first.id: second.answer, second.id: first.answer})
    assert store.record_submission(db, attempt.id, attempt.token, given,
                                   grade_attempt(quiz, given), "en")
    db.execute("COMMIT")
    page = text(trainer_client.get(f"/{lang}/quiz/cohort/{ids['cohort']}"))
    with app.app_context():
        shown = get_course().areas["quiz"].bank(lang).get(matching.id)
    item, option = shown.items[0].text, shown.option(shown.items[0].answer).text
    third = shown.items[2]
    if lang == "en":
        assert f"{item} → {option}: matched by 6 (86%)" in page
        assert f"{third.text} → {shown.option(third.answer).text}: matched by 7 (100%)" in page
    else:
        assert f"{item} → {option}：6 次配对正确（86%）" in page


def test_marks_with_a_spoken_name_are_images_so_the_html_is_valid(ids, seeded, trainer_client):
    import re

    html = trainer_client.get(f"/en/quiz/cohort/{ids['cohort']}").get_data(as_text=True)
    marks = re.findall(r"<span[^>]*aria-label[^>]*>", html)
    assert marks and all('role="img"' in mark for mark in marks)  # aria-label needs a role
