"""Grading is pure: every question type, the partial-credit rules, the pass mark, bad answers."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courseware.quiz.bank import parse_bank
from courseware.quiz.scoring import (
    Answer,
    AnswerProblem,
    Grade,
    InvalidAnswers,
    QuestionResult,
    find_problems,
    grade_attempt,
    percent_text,
    regrade,
    score_question,
)


def option(option_id, correct=False):
    return {"id": option_id, "text": option_id.upper(), "correct": correct}


BANK = parse_bank(
    {
        "questions": [
            {
                "id": "single",
                "type": "single",
                "page": "discussion",
                "prompt": "Pick one.",
                "options": [option("a", True), option("b"), option("c")],
                "explanation": "A.",
            },
            {
                "id": "multiple",
                "type": "multiple",
                "page": "scope",
                "prompt": "Pick all that apply.",
                "options": [
                    option("r1", True),
                    option("r2", True),
                    option("r3", True),
                    option("w1"),
                    option("w2"),
                ],  # fmt: skip
                "explanation": "R1, R2 and R3.",
            },
            {
                "id": "matching",
                "type": "matching",
                "page": "customer-categories",
                "prompt": "Match.",
                "items": [
                    {"id": "i1", "text": "I1", "answer": "a"},
                    {"id": "i2", "text": "I2", "answer": "b"},
                    {"id": "i3", "text": "I3", "answer": "c"},
                ],
                "options": [option("a"), option("b"), option("c"), option("d")],
                "explanation": "In order.",
            },
            {
                "id": "single-2",
                "type": "single",
                "page": "key-points",
                "prompt": "Pick one again.",
                "options": [option("yes", True), option("no")],
                "explanation": "Yes.",
            },
        ]
    },
    "bank.yaml",
    "en",
)

ALL_RIGHT = {
    "single": Answer.choice("a"),
    "multiple": Answer.choice("r1", "r2", "r3"),
    "matching": Answer.matching({"i1": "a", "i2": "b", "i3": "c"}),
    "single-2": Answer.choice("yes"),
}


@pytest.mark.parametrize(("chosen", "score"), [("a", 1), ("b", 0), ("c", 0)])
def test_single_choice_is_all_or_nothing(chosen, score):
    assert score_question(BANK.get("single"), Answer.choice(chosen)) == score


@pytest.mark.parametrize(
    ("chosen", "score"),
    [
        ({"r1", "r2", "r3"}, Fraction(1)),
        ({"r1", "r2"}, Fraction(2, 3)),
        ({"r1"}, Fraction(1, 3)),
        ({"r1", "r2", "r3", "w1"}, Fraction(2, 3)),
        ({"r1", "r2", "r3", "w1", "w2"}, Fraction(1, 3)),
        ({"r1", "w1"}, Fraction(0)),
        ({"w1", "w2"}, Fraction(0)),
    ],
)
def test_multiple_response_scores_right_minus_wrong_over_right_never_below_zero(chosen, score):
    assert score_question(BANK.get("multiple"), Answer.choice(*chosen)) == score


@pytest.mark.parametrize(
    ("pairs", "score"),
    [
        ({"i1": "a", "i2": "b", "i3": "c"}, Fraction(1)),
        ({"i1": "a", "i2": "c", "i3": "b"}, Fraction(1, 3)),
        ({"i1": "a", "i2": "b", "i3": "d"}, Fraction(2, 3)),
        ({"i1": "a", "i2": "a", "i3": "a"}, Fraction(1, 3)),
        ({"i1": "d", "i2": "d", "i3": "d"}, Fraction(0)),
    ],
)
def test_matching_earns_an_equal_share_per_correct_pair(pairs, score):
    assert score_question(BANK.get("matching"), Answer.matching(pairs)) == score


def test_all_right_scores_full_marks_and_passes():
    grade = grade_attempt(BANK, ALL_RIGHT)
    assert (grade.earned, grade.possible, grade.percent, grade.passed) == (4, 4, 100.0, True)
    assert all(result.is_correct for result in grade.results)


def test_exactly_the_pass_mark_passes_and_just_below_fails():
    three_of_four = {**ALL_RIGHT, "single": Answer.choice("b")}
    grade = grade_attempt(BANK, three_of_four, pass_mark=75)
    assert (grade.earned, grade.percent, grade.passed) == (3, 75.0, True)
    assert not grade_attempt(BANK, three_of_four, pass_mark=76).passed


def test_partial_credit_adds_up_in_points_and_percent():
    answers = {
        "single": Answer.choice("a"),  # 1
        "multiple": Answer.choice("r1", "r2", "w1"),  # (2 - 1) / 3
        "matching": Answer.matching({"i1": "a", "i2": "b", "i3": "a"}),  # 2 / 3
        "single-2": Answer.choice("no"),  # 0
    }
    grade = grade_attempt(BANK, answers)
    assert grade.earned == 2
    assert grade.percent == 50.0
    assert not grade.passed
    assert grade.result("multiple").score == Fraction(1, 3)
    assert not grade.result("multiple").is_correct


def test_results_follow_bank_order_whatever_the_answer_order():
    grade = grade_attempt(BANK, dict(reversed(ALL_RIGHT.items())))
    assert [r.question_id for r in grade.results] == list(BANK.question_ids)


@pytest.mark.parametrize(
    ("question_id", "answer", "problem"),
    [
        ("single", None, AnswerProblem.MISSING),
        ("single", Answer(), AnswerProblem.MISSING),
        ("single", Answer.choice("z"), AnswerProblem.UNKNOWN_OPTION),
        ("single", Answer.choice("a", "b"), AnswerProblem.TOO_MANY),
        ("single", Answer.matching({"i1": "a"}), AnswerProblem.UNKNOWN_OPTION),
        ("multiple", Answer.choice("r1", "hacked"), AnswerProblem.UNKNOWN_OPTION),
        ("matching", Answer.matching({"i1": "a", "i2": "b"}), AnswerProblem.INCOMPLETE),
        (
            "matching",
            Answer.matching({"i1": "a", "i2": "b", "i3": "zz"}),
            AnswerProblem.UNKNOWN_OPTION,
        ),
        (
            "matching",
            Answer.matching({"i1": "a", "i2": "b", "i3": "c", "i9": "a"}),
            AnswerProblem.UNKNOWN_ITEM,
        ),
        ("matching", Answer.choice("a"), AnswerProblem.UNKNOWN_ITEM),
    ],
)
def test_answers_that_cannot_be_graded_are_named_per_question(question_id, answer, problem):
    answers = dict(ALL_RIGHT)
    if answer is None:
        del answers[question_id]
    else:
        answers[question_id] = answer
    assert find_problems(BANK, answers) == {question_id: problem}
    with pytest.raises(InvalidAnswers) as error:
        grade_attempt(BANK, answers)
    assert error.value.problems == {question_id: problem}


def test_unknown_question_id_is_rejected():
    with pytest.raises(InvalidAnswers) as error:
        grade_attempt(BANK, {**ALL_RIGHT, "no-such-question": Answer.choice("a")})
    assert error.value.problems == {"no-such-question": AnswerProblem.UNKNOWN_QUESTION}


def test_regrade_gives_stored_answers_with_vanished_options_no_credit():
    grade = regrade(BANK, {"single": Answer.choice("removed-option")})
    assert grade.earned == 0
    assert grade.possible == 4


@given(
    chosen=st.sets(st.sampled_from(["r1", "r2", "r3", "w1", "w2"]), min_size=1),
    pairs=st.dictionaries(
        st.sampled_from(["i1", "i2", "i3"]), st.sampled_from(["a", "b", "c", "d"])
    ),
)
def test_every_score_lies_between_nothing_and_the_full_point(chosen, pairs):
    multiple = score_question(BANK.get("multiple"), Answer.choice(*chosen))
    matching = score_question(BANK.get("matching"), Answer.matching(pairs))
    assert 0 <= multiple <= 1
    assert 0 <= matching <= 1
    assert (multiple == 1) == (chosen == {"r1", "r2", "r3"})


@settings(max_examples=400, deadline=None)
@given(possible=st.integers(1, 60), data=st.data(), pass_mark=st.integers(0, 100),
       stored=st.booleans())
def test_the_percentage_shown_reaches_the_pass_mark_exactly_when_the_attempt_passes(
    possible, data, pass_mark, stored
):
    # Earned points come in quarters, sixths and so on: multiple-response and matching shares.
    earned = data.draw(st.fractions(0, possible, max_denominator=12))
    results = tuple(
        QuestionResult(question_id=f"q{i}", answer=Answer(), score=earned / possible)
        for i in range(possible)
    )
    grade = Grade(results=results, pass_mark=pass_mark)
    # The dashboard reads the percentage back from the database as a float.
    value = grade.percent if stored else earned * 100 / possible
    assert (Decimal(percent_text(value)) >= pass_mark) == grade.passed


@pytest.mark.parametrize(("value", "shown"), [
    (1250 / 17, "73.53"), (16 * 100 / 17, "94.12"), (73.996, "73.99"), (74.0, "74"),
    (100.0, "100"), (0.0, "0"), (Fraction(2, 3) * 100, "66.67"),
])  # fmt: skip
def test_percentages_show_at_most_two_decimals_and_never_round_up_to_a_whole_number(value, shown):
    assert percent_text(value) == shown
