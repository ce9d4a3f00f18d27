"""Security headers on every response, and the error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

csrf = CSRFProtect()

# Scripts and styles come only from our own files: no inline script, no style attributes.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

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


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _add_headers(response: Response) -> Response:
    # No view sets these itself: add them all at once (six setdefault calls each searched
    # every header, a tenth of a cached page's time).
    headers = response.headers
    headers.extend(SECURITY_HEADERS)
    if current_app.config["COURSEWARE_HTTPS"]:
        headers.add(*HSTS)
    if response.mimetype == "text/html" and not headers.getlist("Cache-Control"):
        # Pages show personal progress and grades: never from a shared cache.
        headers.add("Cache-Control", "no-store")
    return response


def error_page(code: int, message: str | None = None) -> tuple[str, int]:
    """Render the error page in the page's language."""
    title, hint = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    return render_template("error.html", code=code, title=title, hint=message or hint), code


def _handle_http_error(error: HTTPException) -> Any:
    if error.code is None or error.code < 400:
        return error
    return error_page(error.code)


def _handle_csrf_error(error: CSRFError) -> Any:
    return error_page(400, str(_l("The form had expired. Go back, reload the page and send it again.")))


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.after_request(_add_headers)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(500, lambda error: error_page(500))
