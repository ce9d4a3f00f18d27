"""Rubric totals and the validation of what a trainer picks and types (pure core)."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courseware.content import load_area
from courseware.trainer.sheet import (
    MAX_COMMENT_CHARS,
    GradeSheet,
    missing_levels,
    percent_of,
    rubric_total,
    sheet_from_input,
)

RUBRIC = load_area(Path(__file__).resolve().parents[1] / "content", "rubric").get("en")


def test_total_adds_the_chosen_levels_points():
    levels = {
        "criteria_defined": 14,
        "strategic_growth": 11,
        "weighting_coherent": 15,
        "list_manageable": 6,
        "kpi_coverage": 0,
        "kpi_measurable": 20,
    }
    assert rubric_total(RUBRIC, levels) == 66
    assert missing_levels(RUBRIC, levels) == ()


def test_total_of_best_levels_is_the_rubric_maximum():
    best = {criterion.id: criterion.max_points for criterion in RUBRIC.criteria}
    assert rubric_total(RUBRIC, best) == RUBRIC.max_points == 100


def test_unchosen_criteria_count_nothing_and_are_reported_missing():
    levels = {"criteria_defined": 20}
    assert rubric_total(RUBRIC, levels) == 20
    assert "kpi_measurable" in missing_levels(RUBRIC, levels)


def test_points_that_are_not_a_level_count_nothing():
    assert rubric_total(RUBRIC, {"criteria_defined": 13, "unknown": 50}) == 0


@given(
    st.fixed_dictionaries(
        {
            criterion.id: st.sampled_from([level.points for level in criterion.levels])
            for criterion in RUBRIC.criteria
        }
    )
)
def test_total_of_any_complete_sheet_is_between_zero_and_maximum(levels):
    total = rubric_total(RUBRIC, levels)
    assert 0 <= total <= RUBRIC.max_points
    assert total == sum(levels.values())
    assert 0 <= percent_of(total, RUBRIC.max_points) <= 100


@pytest.mark.parametrize(("total", "maximum", "expected"), [(0, 80, 0), (1, 200, 1), (59, 80, 74)])
def test_percent_rounds_half_up(total, maximum, expected):
    assert percent_of(total, maximum) == expected


def test_input_with_valid_levels_builds_the_sheet_and_keeps_comments_as_typed():
    sheet, problems = sheet_from_input(
        RUBRIC,
        {"criteria_defined": "14", "strategic_growth": "", "kpi_coverage": 11},
        {"criteria_defined": "  Clear thresholds — 阈值清楚\n"},
        "Well done.",
    )
    assert problems == ()
    assert sheet.levels == {"criteria_defined": 14, "kpi_coverage": 11}
    assert sheet.comment("criteria_defined") == "  Clear thresholds — 阈值清楚\n"
    assert sheet.overall_comment == "Well done."


@pytest.mark.parametrize("raw", ["13", "-8", "8.0", "abc", "２０", True, 99])
def test_points_outside_the_levels_are_refused_but_comments_survive(raw):
    sheet, problems = sheet_from_input(
        RUBRIC, {"criteria_defined": raw}, {"criteria_defined": "keep me"}, "and me"
    )
    assert [(p.field, p.code) for p in problems] == [("criteria_defined", "not_a_level")]
    assert problems[0].params["allowed"] == "0, 8, 14, 20"
    assert "criteria_defined" not in sheet.levels
    assert sheet.comment("criteria_defined") == "keep me"
    assert sheet.overall_comment == "and me"


def test_unknown_criterion_is_reported():
    _, problems = sheet_from_input(RUBRIC, {"made_up": "5"}, {"other": "x"}, "")
    assert {(p.field, p.code) for p in problems} == {
        ("made_up", "unknown_criterion"),
        ("other", "unknown_criterion"),
    }


def test_overlong_comment_is_reported_and_still_kept():
    long_text = "x" * (MAX_COMMENT_CHARS + 1)
    sheet, problems = sheet_from_input(RUBRIC, {}, {"kpi_coverage": long_text}, long_text)
    assert {(p.field, p.code) for p in problems} == {
        ("kpi_coverage", "comment_too_long"),
        ("overall", "comment_too_long"),
    }
    assert sheet.comment("kpi_coverage") == long_text
    assert sheet.overall_comment == long_text


def test_sheet_round_trips_through_dict():
    sheet = GradeSheet({"criteria_defined": 8}, {"kpi_coverage": "覆盖不全。"}, "总体不错。")
    assert GradeSheet.from_dict(sheet.to_dict()) == sheet


@pytest.mark.parametrize(
    "raw", [None, [], "text", {"levels": [1], "comments": 3, "overall_comment": 5}]
)
def test_malformed_stored_sheet_reads_as_empty_instead_of_raising(raw):
    assert GradeSheet.from_dict(raw) == GradeSheet()


def test_whitespace_only_comments_do_not_count_as_feedback():
    assert not GradeSheet(comments={"kpi_coverage": "  \n"}, overall_comment=" ").has_any_comment
    assert GradeSheet(comments={"kpi_coverage": "Add a cost KPI."}).has_any_comment
