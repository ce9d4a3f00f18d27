"""Error pages in the page's language, for every error a request can end in."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

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


def init_app(app: Flask) -> None:
    app.register_error_handler(CrossOriginRefused, _handle_cross_origin)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(500, lambda error: error_page(500))
