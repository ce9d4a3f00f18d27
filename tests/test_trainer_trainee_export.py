"""One trainee's submissions as a named CSV or workbook, and a zip of a file per trainee."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from urllib.parse import unquote

import openpyxl
import pytest

from courseware.auth.users import create_user
from courseware.db import connect
from tests.conftest import TRAINER, browser_client, sign_in, text
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade


@pytest.fixture
def versions(app, ids):
    """Tom's v1, graded and returned with comments, and his v2, handed in."""
    first = hand_in(app, ids["trainee"], ids["cohort"], justification="First reasons.")
    trainer = browser_client(app)
    sign_in(trainer, TRAINER)
    post_grade(trainer, grading_url("en", ids["cohort"], first),
               {**full_levels(app, index=1), "comment-overall": "Revise the KPIs.",
                "action": "return"})
    second = hand_in(app, ids["trainee"], ids["cohort"], justification="=Better reasons.")
    return first, second


def _filename(response):
    disposition = response.headers["Content-Disposition"]
    return unquote(disposition.split("filename*=UTF-8''")[1])


def _csv(response):
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def _row(rows, label, after=0):
    """The first row from `after` on whose first cell is `label`, and its position."""
    for index in range(after, len(rows)):
        if rows[index] and rows[index][0] == label:
            return index, rows[index]
    raise AssertionError(f"no row {label!r} in {rows}")


def _url(ids, kind, lang="en"):
    return f"/{lang}/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/submissions.{kind}"


def test_the_trainee_page_links_both_downloads(trainer_client, ids, versions):
    page = trainer_client.get(
        f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/").get_data(as_text=True)
    assert f'href="{_url(ids, "csv")}"' in page and f'href="{_url(ids, "xlsx")}"' in page
    assert "Download all versions (CSV)" in page


def test_csv_holds_every_version_oldest_first_with_its_grade(app, trainer_client, ids, versions):
    response = trainer_client.get(_url(ids, "csv"))
    assert response.status_code == 200
    assert re.fullmatch(r"Spring cohort Tom Trainee submissions \d{4}-\d\d-\d\d\.csv",
                        _filename(response))
    rows = _csv(response)
    assert rows[0] == ["Trainee", "Tom Trainee"]
    assert rows[1] == ["Email", "trainee@example.com"]
    assert rows[2] == ["Version", "1"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", _row(rows, "Submitted (UTC)")[1][1])
    assert _row(rows, "Status")[1] == ["Status", "Returned"]
    assert _row(rows, "Justification")[1] == ["Justification", "First reasons."]
    grade, _heading = _row(rows, "Grade")
    assert _row(rows, "Rubric criterion", grade)[1] == ["Rubric criterion", "Points", "Comment"]
    with app.app_context():
        from courseware.loaded_course import get_course
        rubric = get_course().areas["rubric"].get("en")
    levels = full_levels(app, index=1)
    first = rubric.criteria[0]
    assert _row(rows, f"{first.title} ({first.max_points})", grade)[1][:2] == [
        f"{first.title} ({first.max_points})", levels[f"level-{first.id}"]]
    assert _row(rows, "Overall comment", grade)[1] == ["Overall comment", "Revise the KPIs."]
    second, row = _row(rows, "Version", grade)
    assert row == ["Version", "2"] and rows[second - 4:second - 2] == [[], []]
    assert _row(rows, "Status", second)[1] == ["Status", "Submitted, to grade"]
    # What the trainee typed stays text in a spreadsheet, never a formula.
    assert _row(rows, "Justification", second)[1] == ["Justification", "'=Better reasons."]


def test_workbook_has_a_sheet_per_version_with_typed_cells(trainer_client, ids, versions):
    response = trainer_client.get(_url(ids, "xlsx"))
    assert response.status_code == 200
    assert re.fullmatch(r"Spring cohort Tom Trainee submissions \d{4}-\d\d-\d\d\.xlsx",
                        _filename(response))
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["v1", "v2"]
    for title, version, status in (("v1", 1, "Returned"), ("v2", 2, "Submitted, to grade")):
        sheet = book[title]
        column_a = [cell.value for cell in sheet["A"]]
        column_b = [cell.value for cell in sheet["B"]]
        assert column_a[:5] == ["Trainee", "Email", "Version", "Submitted (UTC)", "Status"]
        assert column_b[:3] == ["Tom Trainee", "trainee@example.com", version]
        assert isinstance(column_b[3], datetime)
        assert column_b[4] == status
    v1 = book["v1"]
    overall = [row for row in v1.iter_rows(values_only=True) if row[0] == "Overall comment"]
    assert overall[-1][1] == "Revise the KPIs."
    v2_cells = [cell for row in book["v2"].iter_rows() for cell in row if cell.value]
    typed = next(cell for cell in v2_cells if "Better reasons." in str(cell.value))
    assert typed.data_type == "s"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_chinese_download_is_named_and_headed_in_chinese(trainer_client, ids, versions, kind):
    response = trainer_client.get(_url(ids, kind, "zh"))
    assert _filename(response).startswith("Spring cohort Tom Trainee 提交记录 ")
    if kind == "csv":
        assert _csv(response)[0] == ["学员", "Tom Trainee"]
    else:
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
        assert book.sheetnames == ["第 1 版", "第 2 版"]
        assert book["第 1 版"]["A1"].value == "学员"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nothing_submitted_says_so_instead_of_an_empty_file(trainer_client, ids, lang):
    response = trainer_client.get(_url(ids, "csv", lang))
    assert response.status_code == 302
    page = text(trainer_client.get(response.headers["Location"]))
    assert ("Tom Trainee has not submitted the workshop yet" if lang == "en"
            else "Tom Trainee还没有提交练习") in page


def test_zip_holds_a_named_file_per_trainee_who_submitted(app, trainer_client, ids, versions):
    db = connect(app.config["DATABASE"])
    with db.conn:
        namesake = create_user(db, email="tom2@example.com", name="Tom Trainee", role="trainee",
                               cohort_id=ids["cohort"], password_hash="unused")
        create_user(db, email="idle@example.com", name="Ida Idle", role="trainee",
                    cohort_id=ids["cohort"], password_hash="unused")
    db.close()
    hand_in(app, namesake, ids["cohort"], justification="Namesake's reasons.")
    response = trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/submissions.zip")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    assert re.fullmatch(r"Spring cohort submissions \d{4}-\d\d-\d\d\.zip", _filename(response))
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = archive.namelist()
    assert len(names) == 2  # Ida submitted nothing
    assert re.fullmatch(r"Spring cohort Tom Trainee submissions \d{4}-\d\d-\d\d\.csv", names[0])
    assert names[1] == names[0].removesuffix(".csv") + " (2).csv"  # neither file lost
    files = {name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
             for name in names}
    emails = sorted(rows[1][1] for rows in files.values())
    assert emails == ["tom2@example.com", "trainee@example.com"]
    tom = next(rows for rows in files.values() if rows[1][1] == "trainee@example.com")
    assert [row for row in tom if row and row[0] == "Version"] == [["Version", "1"],
                                                                  ["Version", "2"]]
    # The same file as the trainee page's download.
    assert tom == _csv(trainer_client.get(_url(ids, "csv")))


def test_dashboard_links_the_zip_and_a_removed_trainee_is_left_out(trainer_client, ids, versions):
    dashboard = f"/en/trainer/cohorts/{ids['cohort']}/"
    assert f'href="{dashboard}submissions.zip"' in trainer_client.get(dashboard).get_data(
        as_text=True)
    trainer_client.post(f"{dashboard}trainees/{ids['trainee']}/remove")
    archive = zipfile.ZipFile(io.BytesIO(trainer_client.get(f"{dashboard}submissions.zip")
                                         .get_data()))
    assert archive.namelist() == []
    assert trainer_client.get(_url(ids, "csv")).status_code == 404
