"""The sentences behind the grading core's problem codes, in the page's language."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from courseware.trainer.comment_bank import MAX_BANK_TEXT
from courseware.trainer.sheet import GradeProblem


def problem_message(problem: GradeProblem) -> str:
    """Return the sentence that explains one grading problem."""
    params = problem.params
    code = problem.code
    if code == "not_a_level":
        return _("Choose one of the rubric’s levels (%(allowed)s points).", allowed=params["allowed"])
    if code == "unknown_criterion":
        return _("This criterion is not in the rubric.")
    if code == "comment_too_long":
        return _("Keep this comment under %(max)s characters.", max=params["max"])
    if code == "level_required":
        return _("Choose a level before releasing the grade.")
    if code == "return_needs_comment":
        return _("Tell the trainee what to revise: write a comment before returning the work.")
    if code == "not_latest_version":
        return _("The trainee has submitted a newer version. Grade that one instead.")
    if code == "already_released":
        return _("This grade has already been released to the trainee.")
    if code == "already_returned":
        return _("This version has already been returned for revision.")
    if code == "not_submitted":
        return _("This work has not been submitted for grading.")
    return _("This grade could not be saved.")


def field_errors(problems: Iterable[GradeProblem]) -> dict[str, str]:
    """Return one sentence per field (criterion id, "overall" or "form")."""
    errors: dict[str, str] = {}
    for problem in problems:
        message = problem_message(problem)
        errors[problem.field] = f"{errors[problem.field]} {message}" if problem.field in errors else message
    return errors


def bank_problem_message(problem: str) -> str:
    """Return the sentence for a comment the bank refuses (see comment_bank.bank_problem)."""
    if problem == "unknown_target":
        return _("This criterion is not in the rubric.")
    if problem == "too_long":
        return _("Comments in the bank are limited to %(max)s characters.", max=MAX_BANK_TEXT)
    return _("Write a comment first, then save it to your comment bank.")


def bank_saved_message(created: bool) -> str:
    """Return the sentence that confirms a comment is in the bank."""
    return (_("Comment saved to your comment bank.") if created
            else _("This comment is already in your comment bank."))
