"""Live questions: the deck's discussion questions, the trainer's own, answers checked."""

from __future__ import annotations

import pytest

from courseware.live.questions import (
    Written,
    answer_problem,
    discussion_questions,
    from_body,
    in_lang,
    results,
    to_body,
    written_question,
)
from tests.conftest import _course


def test_the_four_discussion_questions_come_ready_with_their_answers():
    pages = {lang: next(page for page in _course().pages[lang] if page.id == "discussion")
             for lang in ("en", "zh")}
    questions = discussion_questions({lang: str(page.html) for lang, page in pages.items()})
    assert [question.prompt["en"] for question in questions] == [
        "What is key account management?", "How are key accounts selected?",
        "What is the main objective of key account management?",
        "What is the most important element of successful key account management?"]
    assert questions[0].prompt["zh"] == "什么是大客户管理？"
    assert questions[3].explanation == {"en": "The account manager.", "zh": "客户经理。"}
    assert all(question.kind == "text" for question in questions)


def test_a_question_written_in_one_language_shows_in_both():
    question = written_question(Written("single", {"zh": "哪个？"}, [{"zh": "甲"}, {"zh": "乙"}],
                                        [0]))
    assert in_lang(question.prompt, "en") == "哪个？"
    assert [option.correct for option in question.options] == [True, False]
    assert from_body("single", to_body(question)) == question


def test_blank_option_lines_are_left_out():
    question = written_question(Written("ranking", {"en": "Rank"},
                                        [{"en": "A"}, {"en": " "}, {"en": "B"}]))
    assert question.option_ids == ("o1", "o2")


@pytest.mark.parametrize(("written", "problem"), [
    (Written("poll", {"en": "Q"}, []), "kind"),
    (Written("text", {"en": " ", "zh": ""}, []), "prompt"),
    (Written("points", {"en": "Q"}, [{"en": "only"}]), "options"),
    (Written("single", {"en": "Q"}, [{"en": "a"}, {"en": "b"}], [5]), "correct"),
    (Written("single", {"en": "Q"}, [{"en": "a"}, {"en": "b"}], [0, 1]), "single"),
])
def test_a_written_question_names_its_problem(written, problem):
    assert written_question(written) == problem


def test_answers_are_checked_by_kind():
    points = written_question(Written("points", {"en": "Q"}, [{"en": "a"}, {"en": "b"}]))
    assert answer_problem(points, {"o1": 50, "o2": 50}) is None
    assert answer_problem(points, {"o1": 50, "o2": True}) == "shape"
    assert answer_problem(points, {"o1": 50.5, "o2": 49.5}) == "shape"
    text = written_question(Written("text", {"en": "Q"}, []))
    assert answer_problem(text, "。") == "empty"
    assert answer_problem(text, "x" * 501) == "long"
    ranking = written_question(Written("ranking", {"en": "Q"}, [{"en": "a"}, {"en": "b"}]))
    assert answer_problem(ranking, ["o2", "o1"]) is None
    assert answer_problem(ranking, ["o2"]) == "incomplete"


def test_results_of_a_ranking_give_the_room_order_and_agreement():
    ranking = written_question(Written("ranking", {"en": "Q"}, [{"en": "a"}, {"en": "b"}]))
    shown = results(ranking, [(1, ["o2", "o1"]), (2, ["o2", "o1"])])
    assert [option["id"] for option in shown["options"]] == ["o2", "o1"]
    assert shown["agreement"] == 1.0


def test_overlong_texts_are_refused():
    assert written_question(Written("text", {"en": "Q" * 1001}, [])) == "long"
    assert written_question(Written("single", {"en": "Q"}, [{"en": "a" * 201}, {"en": "b"}])) == "long"
