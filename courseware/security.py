"""Security headers on every response, and protection against cross-site requests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, g, request
from werkzeug.exceptions import Forbidden
from werkzeug.middleware.proxy_fix import ProxyFix

View = TypeVar("View", bound=Callable[..., Any])
# The app extension that names the origins allowed to frame the current page (a function
# returning a list, empty for none); the LTI tool installs it for the pages a launch reaches.
FRAME_ANCESTORS = "courseware.frame_ancestors"


def content_security_policy(frame_ancestors: Sequence[str] = ("'none'",),
                            form_action: Sequence[str] = ("'self'",)) -> str:
    """The policy: scripts and styles only from our own files, no inline script or style."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action " + " ".join(form_action),
        "frame-ancestors " + " ".join(frame_ancestors),
    ])


CONTENT_SECURITY_POLICY = content_security_policy()

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CrossOriginRefused(Forbidden):
    """A form or a save sent to this app by a page of another site."""


def is_cross_origin(req: Request) -> bool:
    """Return True when the browser says the request was sent by a page of another origin.

    Browsers send Sec-Fetch-Site on every request and Origin on every POST; neither can be
    set by a page's script. A request with neither header comes from a program, not from a
    browser a trainee is signed in with, so it carries nobody's session by accident. This
    is the check of Go's http.CrossOriginProtection and of Datasette.
    """
    site = req.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")  # "none": typed or bookmarked by the user
    origin = req.headers.get("Origin")
    if origin is None:
        return False
    try:
        return urlsplit(origin).netloc != req.host
    except ValueError:
        return True


def cross_site_allowed(view: View) -> View:
    """Mark a view that other sites post to by design (an LTI platform's login and launch).

    Such a view must prove the request itself, as LTI does with its signed id token, state
    and nonce; it must not act on the session's user.
    """
    view.cross_site_allowed = True  # type: ignore[attr-defined]
    return view


def _refuse_cross_origin_writes() -> None:
    if request.method not in SAFE_METHODS and is_cross_origin(request):
        view = current_app.view_functions.get(request.endpoint or "")
        if not getattr(view, "cross_site_allowed", False):
            raise CrossOriginRefused()


def allow_form_action(origin: str) -> None:
    """Let this response's page post a form to another origin (a deep link's return URL)."""
    g.form_action_origins = (*g.get("form_action_origins", ()), origin)


def _add_security_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    framing = current_app.extensions.get(FRAME_ANCESTORS)
    ancestors = framing() if framing else []
    form_targets = g.get("form_action_origins", ())
    if ancestors or form_targets:
        response.headers["Content-Security-Policy"] = content_security_policy(
            ancestors or ("'none'",), ("'self'", *form_targets))
    if ancestors:
        # X-Frame-Options cannot name an origin; frame-ancestors takes its place.
        del response.headers["X-Frame-Options"]
    if current_app.config["COURSEWARE_HTTPS"]:
        response.headers["Strict-Transport-Security"] = HSTS
    if response.mimetype == "text/html" and "Cache-Control" not in response.headers:
        # Pages show personal progress and grades: never from a shared cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def trust_proxies(app: Flask) -> None:
    """Take the client address from X-Forwarded-For when the operator says proxies set it.

    ProxyFix trusts only the last PROXY_COUNT values, the ones those proxies appended, so
    what a client writes into the header itself is ignored. Only the address: the scheme
    comes from the server (gunicorn trusts X-Forwarded-Proto from its allowed addresses).
    """
    count = app.config["PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=0)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    trust_proxies(app)
    app.before_request(_refuse_cross_origin_writes)
    app.after_request(_add_security_headers)
