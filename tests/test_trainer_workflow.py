"""The grading rules: who may release or return what, and stale saves."""

from pathlib import Path

import pytest

from courseware.content import load_area
from courseware.trainer.sheet import GradeSheet
from courseware.trainer.workflow import (
    RELEASED,
    RETURNED,
    SUBMITTED,
    GradingAction,
    action_problems,
    status_after,
)

RUBRIC = load_area(Path(__file__).resolve().parents[1] / "content", "rubric").get("en")
FULL = GradeSheet({criterion.id: criterion.levels[2].points for criterion in RUBRIC.criteria})


def _codes(action, sheet=FULL, status=SUBMITTED, latest=True):
    problems = action_problems(
        action, rubric=RUBRIC, sheet=sheet, submission_status=status, is_latest_version=latest
    )
    return [(p.field, p.code) for p in problems]


def test_complete_sheet_can_be_released():
    assert _codes(GradingAction.RELEASE) == []
    assert status_after(GradingAction.RELEASE, SUBMITTED) == RELEASED


def test_release_needs_a_level_for_every_criterion():
    partial = GradeSheet({"criteria_defined": 20})
    codes = _codes(GradingAction.RELEASE, partial)
    assert ("kpi_measurable", "level_required") in codes
    assert ("criteria_defined", "level_required") not in codes
    assert len(codes) == len(RUBRIC.criteria) - 1


def test_return_needs_a_comment_but_no_levels():
    assert _codes(GradingAction.RETURN, GradeSheet()) == [("overall", "return_needs_comment")]
    commented = GradeSheet(comments={"kpi_coverage": "Add a cost KPI."})
    assert _codes(GradingAction.RETURN, commented) == []
    assert status_after(GradingAction.RETURN, SUBMITTED) == RETURNED


def test_saving_a_draft_keeps_the_status():
    assert _codes(GradingAction.SAVE_DRAFT, GradeSheet()) == []
    assert status_after(GradingAction.SAVE_DRAFT, SUBMITTED) == SUBMITTED


@pytest.mark.parametrize("action", list(GradingAction))
def test_older_version_cannot_be_graded(action):
    assert _codes(action, latest=False) == [("form", "not_latest_version")]


@pytest.mark.parametrize(
    ("status", "code"),
    [(RELEASED, "already_released"), (RETURNED, "already_returned"), ("draft", "not_submitted")],
)
@pytest.mark.parametrize("action", list(GradingAction))
def test_decided_or_unsubmitted_work_cannot_be_graded(action, status, code):
    assert _codes(action, status=status) == [("form", code)]
