"""Grade a quiz attempt: pure functions over the question bank and the trainee's answers.

Every question is worth one point. The partial-credit rules (also stated on the quiz page):
- single choice: the point if the correct option is chosen, nothing otherwise;
- multiple response: (right options chosen - wrong options chosen) / number of right options,
  never below zero, so ticking every box earns no more than guessing;
- matching: an equal share of the point for each correctly paired item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from courseware.quiz.bank import Question, QuestionBank, QuestionType

DEFAULT_PASS_MARK = 75


@dataclass(frozen=True)
class Answer:
    """A trainee's answer to one question, by ids only so any language can review it."""

    chosen: frozenset[str] = frozenset()
    matches: tuple[tuple[str, str], ...] = ()

    @classmethod
    def choice(cls, *option_ids: str) -> Answer:
        """Return the answer choosing these options."""
        return cls(chosen=frozenset(option_ids))

    @classmethod
    def matching(cls, pairs: Mapping[str, str]) -> Answer:
        """Return the answer pairing each item id with an option id."""
        return cls(matches=tuple(sorted(pairs.items())))

    @property
    def match_map(self) -> dict[str, str]:
        """Return the matching pairs as item id -> option id."""
        return dict(self.matches)

    @property
    def is_empty(self) -> bool:
        """Return True when nothing was chosen or paired."""
        return not self.chosen and not self.matches


def collect_answers(
    chosen: Mapping[str, Iterable[str]], pairs: Mapping[str, Mapping[str, str]]
) -> dict[str, Answer]:
    """Return answers keyed by question id from chosen option ids and item -> option pairs."""
    return {
        question_id: Answer(
            chosen=frozenset(chosen.get(question_id, ())),
            matches=tuple(sorted(pairs.get(question_id, {}).items())),
        )
        for question_id in chosen.keys() | pairs.keys()
    }


class AnswerProblem(StrEnum):
    """Why an answer cannot be graded; the view turns each into a message for the field."""

    UNKNOWN_QUESTION = "unknown-question"
    MISSING = "missing"
    UNKNOWN_OPTION = "unknown-option"
    TOO_MANY = "too-many"
    UNKNOWN_ITEM = "unknown-item"
    INCOMPLETE = "incomplete"


class InvalidAnswers(ValueError):
    """The answers cannot be graded; `problems` maps question id to what is wrong."""

    def __init__(self, problems: Mapping[str, AnswerProblem]) -> None:
        super().__init__(", ".join(f"{qid}: {problem}" for qid, problem in problems.items()))
        self.problems = dict(problems)


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    answer: Answer
    score: Fraction

    @property
    def is_correct(self) -> bool:
        """Return True when the question earned its full point."""
        return self.score == 1


@dataclass(frozen=True)
class Grade:
    results: tuple[QuestionResult, ...]
    pass_mark: float

    @property
    def earned(self) -> Fraction:
        """Return the points earned."""
        return sum((result.score for result in self.results), Fraction(0))

    @property
    def possible(self) -> int:
        """Return the points available (one per question)."""
        return len(self.results)

    @property
    def percent(self) -> float:
        """Return the score as a percentage of the points available."""
        if not self.possible:
            return 0.0
        return float(self.earned * 100 / self.possible)

    @property
    def passed(self) -> bool:
        """Return True when the score reaches the pass mark (compared exactly, not in floats)."""
        return self.possible > 0 and self.earned * 100 >= Fraction(self.pass_mark) * self.possible

    def result(self, question_id: str) -> QuestionResult:
        """Return the result for one question."""
        return next(result for result in self.results if result.question_id == question_id)


def find_problems(bank: QuestionBank, answers: Mapping[str, Answer]) -> dict[str, AnswerProblem]:
    """Return what is wrong with each answer that cannot be graded, keyed by question id."""
    problems = {
        question_id: AnswerProblem.UNKNOWN_QUESTION for question_id in answers if question_id not in bank
    }
    for question in bank.questions:
        problem = answer_problem(question, answers.get(question.id))
        if problem is not None:
            problems[question.id] = problem
    return problems


def answer_problem(question: Question, answer: Answer | None) -> AnswerProblem | None:
    """Return why this answer to the question cannot be graded, or None if it can."""
    if answer is None or answer.is_empty:
        return AnswerProblem.MISSING
    if question.type is QuestionType.MATCHING:
        pairs = answer.match_map
        if answer.chosen or not set(pairs) <= {item.id for item in question.items}:
            return AnswerProblem.UNKNOWN_ITEM
        if not set(pairs.values()) <= question.option_ids:
            return AnswerProblem.UNKNOWN_OPTION
        if len(pairs) < len(question.items):
            return AnswerProblem.INCOMPLETE
        return None
    if answer.matches or not answer.chosen <= question.option_ids:
        return AnswerProblem.UNKNOWN_OPTION
    if question.type is QuestionType.SINGLE and len(answer.chosen) > 1:
        return AnswerProblem.TOO_MANY
    return None


# What an attempt in progress may keep: a question left blank, or a matching question with
# items still to pair. Submitting still needs every question answered in full.
UNFINISHED = frozenset((AnswerProblem.MISSING, AnswerProblem.INCOMPLETE))


def saved_answer_problem(bank: QuestionBank, question_id: str, answer: Answer) -> AnswerProblem | None:
    """Return why this answer to one question cannot be saved in an open attempt, or None.

    An empty answer clears the question, and an unfinished one is kept as it is: only an
    unknown question, item or option, or several options of a one-answer question, is refused.
    """
    if question_id not in bank:
        return AnswerProblem.UNKNOWN_QUESTION
    problem = answer_problem(bank.get(question_id), answer)
    return None if problem in UNFINISHED else problem


def answered_count(bank: QuestionBank, answers: Mapping[str, Answer]) -> int:
    """Return how many of the bank's questions have an answer that could be submitted."""
    return sum(answer_problem(question, answers.get(question.id)) is None for question in bank.questions)


def score_question(question: Question, answer: Answer) -> Fraction:
    """Return the share of the question's point this answer earns (0 to 1)."""
    if question.type is QuestionType.MATCHING:
        pairs = answer.match_map
        right = sum(pairs.get(item.id) == item.answer for item in question.items)
        return Fraction(right, len(question.items))
    correct = question.correct_option_ids
    if question.type is QuestionType.SINGLE:
        return Fraction(int(answer.chosen == correct))
    right = len(answer.chosen & correct)
    wrong = len(answer.chosen - correct)
    return max(Fraction(0), Fraction(right - wrong, len(correct)))


def grade_attempt(
    bank: QuestionBank, answers: Mapping[str, Answer], pass_mark: float = DEFAULT_PASS_MARK
) -> Grade:
    """Grade a complete attempt, raising InvalidAnswers if any answer cannot be graded."""
    problems = find_problems(bank, answers)
    if problems:
        raise InvalidAnswers(problems)
    return regrade(bank, answers, pass_mark)


def regrade(bank: QuestionBank, answers: Mapping[str, Answer], pass_mark: float = DEFAULT_PASS_MARK) -> Grade:
    """Grade stored answers without validating them: unknown ids simply earn nothing."""
    results = tuple(
        QuestionResult(
            question_id=question.id,
            answer=answers.get(question.id, Answer()),
            score=score_question(question, answers.get(question.id, Answer())),
        )
        for question in bank.questions
    )
    return Grade(results=results, pass_mark=pass_mark)


_HUNDREDTH = Decimal("0.01")


def percent_text(value: float | Fraction) -> str:
    """Return a percentage for display: at most two decimals, no trailing zeros.

    It rounds to the nearest hundredth, except that it never rounds up to a whole number:
    pass marks are whole percentages, and 73.996 shown as "74" beside "not passed" against a
    mark of 74 looks like a fault. Rounded that way, a score reads as at least the pass mark
    exactly when it passes.
    """
    # repr gives the shortest decimal that is this float (73.52941176470588, not the binary
    # expansion), which is what the score was before it was stored as a float.
    exact = (Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction)
             else Decimal(repr(float(value))))
    shown = exact.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    if shown == shown.to_integral_value() and shown > exact:
        shown = exact.quantize(_HUNDREDTH, rounding=ROUND_FLOOR)
    text = f"{shown:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

