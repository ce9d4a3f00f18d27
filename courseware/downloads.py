"""Downloads: the response that sends an export as a named file."""

from __future__ import annotations

from flask import Response

from courseware.trainer.export import content_disposition


def csv_response(data: bytes, filename: str) -> Response:
    """Send CSV bytes as a download named `filename` (any language's letters kept), never cached."""
    response = Response(data, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    return response
