"""Excel workbooks of the exports: a sheet per table, numbers and dates as typed cells."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from courseware.trainer.export import Cell

# The exports write moments as "2026-12-07 09:30" (UTC); in a workbook they become dates.
_MOMENT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31  # Excel's limit on a sheet's name


def typed_value(cell: Cell) -> object:
    """Return the value as the workbook should hold it: a number, a date or plain text."""
    if cell is None:
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return cell
    text = str(cell)
    if _MOMENT.fullmatch(text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M")
    if _DATE.fullmatch(text):
        return datetime.strptime(text, "%Y-%m-%d")
    return text


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[Cell], Sequence[Sequence[Cell]]]]) -> bytes:
    """Return an .xlsx file with one sheet per (title, header, rows)."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(_NOT_IN_SHEET_TITLE.sub(" ", title)[:MAX_TITLE] or "Sheet")
        for row_number, row in enumerate([header, *rows], start=1):
            for column, cell in enumerate(row, start=1):
                target = sheet.cell(row=row_number, column=column, value=typed_value(cell))
                if isinstance(target.value, str):
                    # Text stays text: "=HYPERLINK(...)" typed by a trainee is never a formula.
                    target.data_type = "s"
                elif isinstance(target.value, datetime):
                    target.number_format = ("yyyy-mm-dd hh:mm" if _MOMENT.fullmatch(str(cell))
                                            else "yyyy-mm-dd")
        sheet.freeze_panes = "A2"
        for column in range(1, len(header) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(files: Sequence[tuple[str, bytes]]) -> bytes:
    """Return a zip of (name, data) files; a name met again gets " (2)", " (3)" before its suffix.

    Two trainees may share a name: neither file may replace the other.
    """
    buffer = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            count = seen.get(name.casefold(), 0) + 1
            seen[name.casefold()] = count
            if count > 1:
                stem, dot, suffix = name.rpartition(".")
                name = f"{stem} ({count}).{suffix}" if dot else f"{name} ({count})"
            archive.writestr(name, data)
    return buffer.getvalue()
