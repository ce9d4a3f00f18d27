"""CSV exports: BOM, one column per criterion, formula injection neutralised, Chinese intact."""

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courseware.content import load_area
from courseware.trainer.export import (
    ResultLabels,
    ResultRow,
    cohort_results_table,
    csv_bytes,
    neutralise_cell,
)

RUBRICS = load_area(Path(__file__).resolve().parents[1] / "content", "rubric")
LABELS = ResultLabels(
    name="学员",
    email="邮箱",
    pages_read="已读页数",
    quiz_best="测验最高分",
    quiz_passed="测验通过",
    status="练习状态",
    version="版本",
    total="总分",
    yes="是",
    no="否",
    with_points="%(label)s（%(points)s）",
)


def _read(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_text_that_could_start_a_formula_is_neutralised(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Alice", "张伟", "a=b", "", "1-2"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise_cell(text) == text


def test_numbers_stay_numbers_and_none_is_empty():
    assert neutralise_cell(-5) == -5
    assert neutralise_cell(72.5) == 72.5
    assert neutralise_cell(None) == ""


@given(st.text())
def test_no_written_cell_starts_a_formula(text):
    rows = _read(csv_bytes(["h"], [[text]]))
    assert not rows[1][0].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_starts_with_bom_and_round_trips_chinese():
    data = csv_bytes(["姓名", "备注"], [["王芳", "客户关系良好，需补充成本指标。"]])
    assert data[:3] == b"\xef\xbb\xbf"
    assert _read(data) == [["姓名", "备注"], ["王芳", "客户关系良好，需补充成本指标。"]]


def test_cohort_export_has_one_column_per_criterion_and_the_total():
    rubric = RUBRICS.get("zh")
    graded = ResultRow(
        name="=cmd|' /C calc'!A0",
        email="wang@example.com",
        pages_read=15,
        quiz_best_percent=80.0,
        quiz_passed=True,
        status_label="已评分",
        version=2,
        levels={criterion.id: criterion.max_points for criterion in rubric.criteria},
        graded=True,
    )
    waiting = ResultRow(
        name="李雷",
        email="li@example.com",
        pages_read=3,
        quiz_best_percent=None,
        quiz_passed=None,
        status_label="未开始",
        version=None,
    )
    header, table = cohort_results_table(rubric, [graded, waiting], LABELS)
    rows = _read(csv_bytes(header, table))

    assert rows[0][:7] == [
        "学员",
        "邮箱",
        "已读页数",
        "测验最高分",
        "测验通过",
        "练习状态",
        "版本",
    ]
    assert rows[0][7:13] == [f"{c.title}（{c.max_points}）" for c in rubric.criteria]
    assert rows[0][13] == "总分（100）"
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][2:7] == ["15", "80.0", "是", "已评分", "2"]
    assert rows[1][7:13] == [str(c.max_points) for c in rubric.criteria]
    assert rows[1][13] == "100"
    assert rows[2] == ["李雷", "li@example.com", "3", "", "", "未开始", "", *[""] * 6, ""]


def test_draft_levels_of_an_ungraded_submission_are_not_exported():
    rubric = RUBRICS.get("en")
    row = ResultRow("A", "a@example.com", 1, 50.0, False, "Submitted", 1, {"kpi_coverage": 15})
    _, table = cohort_results_table(rubric, [row], LABELS)
    assert table[0][4] == "否"
    assert table[0][7:] == [None] * 7


def test_empty_cohort_exports_just_the_header():
    header, table = cohort_results_table(RUBRICS.get("en"), [], LABELS)
    rows = _read(csv_bytes(header, table))
    assert len(rows) == 1
    assert len(rows[0]) == 7 + 6 + 1
