"""The rules of grading: which action is allowed on which submission, and what it leads to.

A submission (owned by the workshop area) is `submitted` until the trainer either releases
the grade (`released`) or returns it for revision (`returned`); the trainee then submits
version N+1, which starts again at `submitted`. Only the latest version may be graded.
Each save carries the revision the trainer's page started from, so that a second trainer's
stale save is refused instead of silently overwriting the first.
"""

from __future__ import annotations

from enum import StrEnum

from courseware.trainer.rubric import Rubric
from courseware.trainer.sheet import OVERALL_FIELD, GradeProblem, GradeSheet, missing_levels
from courseware.workshop.model import RELEASED, RETURNED, SUBMITTED

FORM_FIELD = "form"


class GradingAction(StrEnum):
    """What the trainer asks for when posting the grading page."""

    SAVE_DRAFT = "save"
    RELEASE = "release"
    RETURN = "return"


_STATUS_AFTER = {
    GradingAction.RELEASE: RELEASED,
    GradingAction.RETURN: RETURNED,
}


def status_after(action: GradingAction, current_status: str) -> str:
    """Return the submission status once the action has been carried out."""
    return _STATUS_AFTER.get(action, current_status)


def action_problems(
    action: GradingAction,
    *,
    rubric: Rubric,
    sheet: GradeSheet,
    submission_status: str,
    is_latest_version: bool,
) -> tuple[GradeProblem, ...]:
    """List why the action cannot be carried out now; empty when it can."""
    if not is_latest_version:
        return (GradeProblem(FORM_FIELD, "not_latest_version"),)
    if submission_status == RELEASED:
        return (GradeProblem(FORM_FIELD, "already_released"),)
    if submission_status == RETURNED:
        return (GradeProblem(FORM_FIELD, "already_returned"),)
    if submission_status != SUBMITTED:
        return (GradeProblem(FORM_FIELD, "not_submitted"),)
    if action is GradingAction.RELEASE:
        return tuple(
            GradeProblem(criterion_id, "level_required")
            for criterion_id in missing_levels(rubric, sheet.levels)
        )
    # A trainee cannot revise without being told what to change.
    if action is GradingAction.RETURN and not sheet.has_any_comment:
        return (GradeProblem(OVERALL_FIELD, "return_needs_comment"),)
    return ()
