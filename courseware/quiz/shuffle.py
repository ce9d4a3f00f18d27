"""Shuffle a question's options per attempt, the same way every time the page is drawn."""

from __future__ import annotations

import hashlib

from courseware.quiz.bank import Option, Question


def shuffled_options(question: Question, seed: str) -> tuple[Option, ...]:
    """Return the question's options in the order fixed by the attempt's seed."""
    return tuple(sorted(question.options, key=lambda option: _rank(seed, question.id, option.id)))


def _rank(seed: str, question_id: str, option_id: str) -> bytes:
    # A hash rather than random.Random: the order must be reproducible from the seed alone,
    # identical across processes and Python versions, with no global state.
    return hashlib.sha256(f"{seed}\x1f{question_id}\x1f{option_id}".encode()).digest()
