"""Whether a trainee has earned a certificate: pure, from the numbers the caller reads.

A certificate needs every module page read, the quiz passed at the cohort's pass mark and a
released workshop grade at or above the cohort's certificate mark. A cohort without a
certificate mark gives no certificates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Missing(Enum):
    """What still stands between a trainee and a certificate."""

    NO_CERTIFICATES = "no_certificates"  # the cohort gives none (no certificate mark)
    PAGES = "pages"
    QUIZ = "quiz"
    WORKSHOP = "workshop"


@dataclass(frozen=True)
class Standing:
    """A trainee's results as the certificate rules read them.

    `best_quiz_percent` is the best submitted attempt (None: none yet); `best_workshop_percent`
    the best released grade the trainee can see, as a whole percentage (None: none yet).
    """

    pages_read: int
    pages_total: int
    best_quiz_percent: float | None
    quiz_pass_mark: float
    best_workshop_percent: int | None
    certificate_mark: int | None


def missing_requirements(standing: Standing) -> tuple[Missing, ...]:
    """Return what the trainee still lacks, in the order they meet it; empty means eligible."""
    if standing.certificate_mark is None:
        return (Missing.NO_CERTIFICATES,)
    missing: list[Missing] = []
    if standing.pages_total <= 0 or standing.pages_read < standing.pages_total:
        missing.append(Missing.PAGES)
    if standing.best_quiz_percent is None or standing.best_quiz_percent < standing.quiz_pass_mark:
        missing.append(Missing.QUIZ)
    if (standing.best_workshop_percent is None
            or standing.best_workshop_percent < standing.certificate_mark):
        missing.append(Missing.WORKSHOP)
    return tuple(missing)


def is_eligible(standing: Standing) -> bool:
    """Tell whether the trainee has earned a certificate."""
    return not missing_requirements(standing)
