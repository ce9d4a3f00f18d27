"""Downloads: the response that sends an export as a named file."""

from __future__ import annotations

from flask import Response

from courseware.trainer.export import content_disposition

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(data: bytes, filename: str) -> Response:
    """Send CSV bytes as a download named `filename` (any language's letters kept), never cached."""
    return download_response(data, filename, "text/csv; charset=utf-8")


def download_response(data: bytes, filename: str, content_type: str) -> Response:
    """Send bytes as a download of the given type named `filename`, never cached."""
    response = Response(data)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    return response
