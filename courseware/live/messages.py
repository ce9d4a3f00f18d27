"""The live session's problems in the page's language."""

from __future__ import annotations

from flask_babel import gettext as _


def question_problem_message(problem: str) -> str:
    """Why a question the trainer wrote was not added."""
    messages = {
        "kind": _("Choose the kind of question."),
        "prompt": _("Write the question in English, Chinese or both."),
        "options": _("Give between 2 and 14 options, one a line."),
        "long": _("Keep the question and explanation to 1,000 characters and each option to 200."),
        "correct": _("A right answer must be one of the options."),
        "single": _("A single-choice question has one right answer: tick one, or choose multiple choice."),
    }
    return messages.get(problem, _("The question could not be added."))


def answer_problem_message(problem: str) -> str:
    """Why a phone's answer was not stored."""
    messages = {
        "shape": _("The answer could not be read. Reload the page and answer again."),
        "unknown_question": _("This question is not in the session. Reload the page."),
        "empty": _("Choose or write an answer first."),
        "unknown": _("Choose among the question's options."),
        "several": _("Choose one option."),
        "long": _("Keep the answer to 500 characters."),
        "negative": _("Points cannot be below 0."),
        "total": _("Give exactly 100 points in all."),
        "incomplete": _("Rank every option once."),
        "closed": _("The question closed before your answer arrived."),
    }
    return messages.get(problem, _("The answer could not be stored."))
