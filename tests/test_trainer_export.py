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
        quiz_best_at="2026-12-01T09:30:12Z",
        quiz_attempts=2,
        overall_comment="+ 成本指标",
        released_at="2026-12-02T10:00:00Z",
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

    assert rows[0][:9] == [
        "学员",
        "邮箱",
        "已读页数",
        "测验最高分",
        "Quiz best score on (UTC)",
        "Quiz attempts",
        "测验通过",
        "练习状态",
        "版本",
    ]
    assert rows[0][9:15] == [f"{c.title}（{c.max_points}）" for c in rubric.criteria]
    assert rows[0][15] == "总分（100）"
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][2:9] == ["15", "80.0", "2026-12-01 09:30", "2", "是", "已评分", "2"]
    assert rows[1][9:15] == [str(c.max_points) for c in rubric.criteria]
    assert rows[1][15:] == ["100", "'+ 成本指标", "2026-12-02 10:00"]
    assert rows[2] == ["李雷", "li@example.com", "3", "", "", "0", "", "未开始", "",
                       *[""] * 6, "", "", ""]


def test_draft_levels_of_an_ungraded_submission_are_not_exported():
    rubric = RUBRICS.get("en")
    row = ResultRow("A", "a@example.com", 1, 50.0, False, "Submitted", 1, {"kpi_coverage": 15})
    _, table = cohort_results_table(rubric, [row], LABELS)
    assert table[0][6] == "否"
    assert table[0][9:16] == [None] * 7
    assert table[0][16:] == ["", ""]


def test_empty_cohort_exports_just_the_header():
    header, table = cohort_results_table(RUBRICS.get("en"), [], LABELS)
    rows = _read(csv_bytes(header, table))
    assert len(rows) == 1
    assert len(rows[0]) == 9 + 6 + 1 + 2


def test_file_names_carry_the_cohort_and_the_day_and_any_language():
    from datetime import date

    from courseware.trainer.export import content_disposition, export_filename

    day = date(2026, 12, 7)
    named = export_filename("上海 2027 春季班 🌸", "成绩", day=day)
    assert named == "上海 2027 春季班 🌸 成绩 2026-12-07.csv"
    assert export_filename('a/b: "c"', "results", day=day) == "a b c results 2026-12-07.csv"
    header = content_disposition("上海 成绩 2026-12-07.csv")
    assert header.startswith('attachment; filename="2026-12-07.csv"; ')
    assert header.endswith("filename*=UTF-8''%E4%B8%8A%E6%B5%B7%20%E6%88%90%E7%BB%A9%202026-12-07.csv")


def test_a_workbook_keeps_numbers_and_dates_typed_and_formulas_as_text():
    from datetime import datetime

    from openpyxl import load_workbook

    from courseware.trainer.workbook import workbook_bytes

    data = workbook_bytes([("成绩: 2027/春", ["学员", "得分", "时间"],
                            [['=HYPERLINK("http://x")', 72.5, "2026-12-07 09:30"],
                             ["王芳", None, "2026-12-01"]])])
    book = load_workbook(io.BytesIO(data))
    sheet = book["成绩  2027 春"]
    assert [cell.value for cell in sheet[1]] == ["学员", "得分", "时间"]
    name, score, moment = sheet[2]
    assert name.value == '=HYPERLINK("http://x")' and name.data_type == "s"
    assert score.value == 72.5 and score.data_type == "n"
    assert moment.value == datetime(2026, 12, 7, 9, 30) and moment.is_date
    assert sheet["C3"].value == datetime(2026, 12, 1)
