"""Item analysis for a cohort's quiz attempts: pure functions, in the manner of Moodle's report.

- Facility index: the mean share of the question's point earned over all attempts; for an
  all-or-nothing question that is the share of attempts that got it right.
- Discrimination index: mean score on the question in the top third of attempts (by total
  score) minus the mean in the bottom third. Each third has len(attempts) // 3 attempts; ties
  on the total are broken by attempt id so the result is stable. From -1 to 1; None with fewer
  than three attempts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from courseware.quiz.bank import Question, QuestionBank
from courseware.quiz.scoring import Grade


@dataclass(frozen=True)
class ScoredAttempt:
    attempt_id: int
    user_id: int
    grade: Grade


@dataclass(frozen=True)
class OptionFrequency:
    option_id: str
    count: int
    share: float


@dataclass(frozen=True)
class PairFrequency:
    """How many attempts matched one item of a matching question to its right option."""

    item_id: str
    count: int
    share: float


@dataclass(frozen=True)
class QuestionStatistics:
    question_id: str
    attempts: int
    facility: float | None
    discrimination: float | None
    option_frequencies: tuple[OptionFrequency, ...]
    pair_frequencies: tuple[PairFrequency, ...] = ()


class QuizSummary(NamedTuple):
    """One trainee's quiz: best score, pass, attempts (a named tuple: the dashboard builds
    one per trainee of the cohort on every view)."""

    best_percent: float
    passed: bool
    attempts: int


def facility_index(scores: Sequence[Fraction]) -> float | None:
    """Return the mean score (0 to 1) of one question, or None when nobody answered it."""
    if not scores:
        return None
    return float(sum(scores, Fraction(0)) / len(scores))


def discrimination_index(attempts: Sequence[ScoredAttempt], question_id: str) -> float | None:
    """Return top-third mean minus bottom-third mean score on one question."""
    group = len(attempts) // 3
    if group == 0:
        return None
    ranked = sorted(attempts, key=lambda a: (-a.grade.earned, a.attempt_id))
    top = [a.grade.result(question_id).score for a in ranked[:group]]
    bottom = [a.grade.result(question_id).score for a in ranked[-group:]]
    return float((sum(top, Fraction(0)) - sum(bottom, Fraction(0))) / group)


def option_frequencies(question: Question, attempts: Sequence[ScoredAttempt]) -> tuple[OptionFrequency, ...]:
    """Return how many attempts chose each option of a choice question, in bank order."""
    if not question.is_choice:
        return ()
    chosen = [a.grade.result(question.id).answer.chosen for a in attempts]
    total = len(chosen)
    return tuple(
        OptionFrequency(
            option_id=option.id,
            count=(count := sum(option.id in picks for picks in chosen)),
            share=count / total if total else 0.0,
        )
        for option in question.options
    )


def pair_frequencies(question: Question, attempts: Sequence[ScoredAttempt]) -> tuple[PairFrequency, ...]:
    """Return how many attempts matched each item of a matching question right, in bank order."""
    if question.is_choice:
        return ()
    matched = [a.grade.result(question.id).answer.match_map for a in attempts]
    total = len(matched)
    return tuple(
        PairFrequency(
            item_id=item.id,
            count=(count := sum(pairs.get(item.id) == item.answer for pairs in matched)),
            share=count / total if total else 0.0,
        )
        for item in question.items
    )


def question_statistics(
    bank: QuestionBank, attempts: Sequence[ScoredAttempt]
) -> tuple[QuestionStatistics, ...]:
    """Return the item analysis of every question in bank order."""
    return tuple(
        QuestionStatistics(
            question_id=question.id,
            attempts=len(attempts),
            facility=facility_index([a.grade.result(question.id).score for a in attempts]),
            discrimination=discrimination_index(attempts, question.id),
            option_frequencies=option_frequencies(question, attempts),
            pair_frequencies=pair_frequencies(question, attempts),
        )
        for question in bank.questions
    )

