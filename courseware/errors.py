"""Error pages in the page's language, for every error a request can end in."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from courseware.db import WriteFailed
from courseware.security import CrossOriginRefused

ERROR_MESSAGES = {
    400: (_l("Something in that request was not right"),
          _l("Go back, check what you entered and try again.")),
    403: (_l("This page is not for you"),
          _l("Your account cannot open this page. Sign in with another account if you have one.")),
    404: (_l("Page not found"),
          _l("There is no page at this address. Check the link, or start from the home page.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too much data"), _l("What you sent is too large. Shorten it and try again.")),
    429: (_l("Too many attempts"), _l("Wait a few minutes, then try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Your last action may not have been saved. Go back and try again.")),
}
# Why a write failed, in words a trainee can act on: it is never their fault.
WRITE_FAILURES = {
    "full": _l("The server's disk is full."),
    "read_only": _l("The server cannot write to its database at the moment."),
    "busy": _l("The server was too busy to store it in time."),
    "io": _l("The server could not write to its disk."),
}
NOT_STORED_TITLE = _l("Not saved: the server could not store it")
TYPED_BACK_HINT = _l("What you typed is below: copy it somewhere safe, then go back and try "
                     "again in a moment. If it keeps failing, tell your trainer.")
# Posted names never shown back on a page: secrets, and the forms' own bookkeeping.
_NOT_SHOWN = ("password", "current", "token", "csrf", "action", "revision", "base_version",
              "editor", "seq", "_key")
CROSS_ORIGIN = (_l("This was sent from another site"),
                _l("For your safety the course only takes forms sent from its own pages. "
                   "Open the page in the course and send it from there."))


def error_page(code: int, message: str | None = None) -> tuple[str, int]:
    """Render the error page in the page's language."""
    title, hint = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    return render_template("error.html", code=code, title=title, hint=message or hint), code


def _handle_http_error(error: HTTPException) -> Any:
    if error.code is None or error.code < 400:
        return error
    return error_page(error.code)


def _handle_cross_origin(error: CrossOriginRefused) -> Any:
    title, hint = CROSS_ORIGIN
    return render_template("error.html", code=403, title=title, hint=hint), 403


def not_stored_message(failure: WriteFailed) -> str:
    """Say that a write was not stored, and why, in the page's language."""
    return _("Not saved: the server could not store it. %(reason)s What you typed stays on "
             "this page, and saving is tried again.",
             reason=WRITE_FAILURES.get(failure.reason, WRITE_FAILURES["io"]))


def typed_texts(form: Any) -> list[str]:
    """The texts a form carried, for a page that gives them back; secrets left out."""
    return [value for name, values in form.lists()
            if not any(word in name.lower() for word in _NOT_SHOWN)
            for value in values if isinstance(value, str) and value.strip()]


def _handle_write_failed(failure: WriteFailed) -> Any:
    reason = WRITE_FAILURES.get(failure.reason, WRITE_FAILURES["io"])
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(status="not_stored", reason=failure.reason,
                       message=not_stored_message(failure)), 503
    return render_template("typed_back.html", code=503, title=NOT_STORED_TITLE, reason=reason,
                           hint=TYPED_BACK_HINT, texts=typed_texts(request.form)), 503


def init_app(app: Flask) -> None:
    app.register_error_handler(WriteFailed, _handle_write_failed)
    app.register_error_handler(CrossOriginRefused, _handle_cross_origin)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(500, lambda error: error_page(500))
