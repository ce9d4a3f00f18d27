"""The quiz's forms: the attempt form's fixed fields, and reading the answers it posts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField

from courseware.quiz.scoring import Answer, collect_answers

ANSWER_PREFIX = "answer"
SEPARATOR = ":"


class StartForm(FlaskForm):
    """Start (or continue) an attempt: a button, no fields."""


class AttemptForm(FlaskForm):
    """The fixed part of the attempt form; the answers are read by `read_answers`."""

    token = HiddenField()


def choice_field(question_id: str) -> str:
    """Return the form field name of a choice question."""
    return SEPARATOR.join((ANSWER_PREFIX, question_id))


def match_field(question_id: str, item_id: str) -> str:
    """Return the form field name of one item of a matching question."""
    return SEPARATOR.join((ANSWER_PREFIX, question_id, item_id))


def read_answers(form: MultiDict[str, str]) -> dict[str, Answer]:
    """Return the answers posted in the form, keyed by question id, skipping blank fields.

    Nothing is checked against the bank here: `grading.find_problems` names tampered ids.
    """
    chosen: dict[str, set[str]] = {}
    pairs: dict[str, dict[str, str]] = {}
    for name in form:
        parts = name.split(SEPARATOR)
        if parts[0] != ANSWER_PREFIX:
            continue
        values = [value for value in form.getlist(name) if value]
        if len(parts) == 2 and values:
            chosen.setdefault(parts[1], set()).update(values)
        elif len(parts) == 3 and values:
            pairs.setdefault(parts[1], {})[parts[2]] = values[-1]
        elif len(parts) not in (2, 3):
            # A name we never render: keep it as an answer to an unknown question.
            chosen.setdefault(SEPARATOR.join(parts[1:]), set()).update(values or [""])
    return collect_answers(chosen, pairs)
