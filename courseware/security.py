"""Security headers on every response, and the error pages."""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g, render_template, request, session
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, int_to_bytes
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

csrf = CSRFProtect()
# Flask-WTF's names for the form token: in the session (the secret), in `g` (this request's
# signed token) and in the signature's salt.
CSRF_FIELD = "csrf_token"
CSRF_SALT = "wtf-csrf-token"

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


NO_STORE = ("Cache-Control", "no-store")


class SecurityHeaders:
    """WSGI middleware: the security headers on every response the app sends.

    No view sets these itself. Added to the finished header list, they skip Werkzeug's
    checks of each header and the parse of the content type that an after-request hook
    paid on every response (a tenth of a shared page's time).
    """

    def __init__(self, wsgi_app: WSGIApplication, https: bool) -> None:
        self.wsgi_app = wsgi_app
        self.headers = [*SECURITY_HEADERS, HSTS] if https else list(SECURITY_HEADERS)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            html = cache_control = False
            for name, value in headers:
                lowered = name.lower()
                if lowered == "content-type":
                    html = value.startswith("text/html")
                elif lowered == "cache-control":
                    cache_control = True
            headers.extend(self.headers)
            if html and not cache_control:
                # Pages show personal progress and grades: never from a shared cache.
                headers.append(NO_STORE)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def csrf_token() -> str:
    """Return this request's form token: the very token Flask-WTF's `generate_csrf` makes.

    Signed afresh each second, as Flask-WTF does, so the token changes every second and a
    page compressed with something an attacker sent cannot give a whole token away (BREACH);
    but with the key derived once per app, the session's payload encoded once per worker and
    one HMAC call per session and second. Flask-WTF builds a serializer, derives its key and
    tries to compress the payload for every token: a sixth of a module page's time.
    """
    secret = session.get(CSRF_FIELD)
    if not isinstance(secret, str):
        return generate_csrf()  # the session's first form: Flask-WTF makes the secret
    return _signed_token(current_app.extensions["csrf_key"], secret, int(time.time()))


@lru_cache(maxsize=1024)
def _signed_token(key: bytes, secret: str, second: int) -> str:
    # Kept, not only made: the signature has no randomness and the timestamp counts whole
    # seconds, so a token made again in the same second would be the very same text.
    # itsdangerous' TimestampSigner format: payload.timestamp.signature, each base64url.
    signed = _payload(secret) + b"." + base64_encode(int_to_bytes(second))
    return (signed + b"." + base64_encode(hmac.digest(key, signed, "sha1"))).decode("ascii")


@lru_cache(maxsize=4096)
def _payload(secret: str) -> bytes:
    return base64_encode(json.dumps(secret))  # compact JSON of a string: the string quoted


class Form(FlaskForm):
    """The base of every form in the app: its token is the one csrf_token makes.

    Flask-WTF makes a form's token when the form is built, unless this request already
    has one in `g`; putting ours there first saves signing it again the slow way.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if current_app.config["WTF_CSRF_ENABLED"] and CSRF_FIELD not in g:
            setattr(g, CSRF_FIELD, csrf_token())
        super().__init__(*args, **kwargs)


def _csrf_signer(app: Flask) -> TimestampSigner:
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    flask_wtf_signer = URLSafeTimedSerializer(secret, salt=CSRF_SALT).make_signer()
    # The same signatures, with the key derived here once instead of for every token.
    return TimestampSigner(flask_wtf_signer.derive_key(), salt=CSRF_SALT, key_derivation="none")


def check_form_token(apply_exemptions: bool = False) -> None:
    """Refuse the request (CSRFError: a 400) unless it carries this session's form token.

    Flask-WTF's `csrf.protect()`, with a quicker yes for a token this app signed: its
    signature is checked once per worker with the key derived once per app, where Flask-WTF
    builds a serializer, derives the key and decodes the payload for every check (a tenth
    of a draft save). Anything else (no token, another session's, an expired or forged one,
    a token in a prefixed field, a request over HTTPS that must name its referrer) goes
    through Flask-WTF, which refuses it with its own reason or lets it through.
    """
    if g.get("csrf_valid") or _carries_session_token():
        g.csrf_valid = True
        return
    csrf.protect(apply_exemptions=apply_exemptions)


def _carries_session_token() -> bool:
    config = current_app.config
    secret = session.get(CSRF_FIELD)
    if (not isinstance(secret, str) or config["WTF_CSRF_TIME_LIMIT"] is not None
            or config["WTF_CSRF_FIELD_NAME"] != CSRF_FIELD
            or (request.is_secure and config["WTF_CSRF_SSL_STRICT"])):
        return False
    # The token Flask-WTF would look at: the form's field, else (with no form) the header.
    if request.is_json:
        sent = request.headers.get("X-CSRFToken")  # a JSON body has no form
    else:
        try:
            form = request.form
        except RequestEntityTooLarge:
            return False  # the view says so in its own way (the autosave answers in JSON)
        sent = form.get(CSRF_FIELD) if form else request.headers.get("X-CSRFToken")
    if not sent:
        return False
    try:
        payload = _unsigned(current_app.extensions["csrf_signer"], sent)
    except BadSignature:
        return False
    return hmac.compare_digest(payload, _payload(secret))


@lru_cache(maxsize=4096)
def _unsigned(signer: TimestampSigner, token: str) -> bytes:
    # Only good signatures are kept: a bad one raises, and lru_cache keeps no exceptions.
    return signer.unsign(token)


def _check_csrf() -> None:
    """Refuse a POST (PUT, PATCH, DELETE) without this session's form token.

    Flask-WTF's own hook (off: WTF_CSRF_CHECK_DEFAULT) looked up the view's exemption on
    every request before it looked at the method.
    """
    config = current_app.config
    if config["WTF_CSRF_ENABLED"] and request.method in config["WTF_CSRF_METHODS"]:
        check_form_token(apply_exemptions=True)


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
    app.jinja_env.globals["csrf_token"] = csrf_token  # in place of Flask-WTF's generate_csrf
    app.extensions["csrf_signer"] = signer = _csrf_signer(app)
    app.extensions["csrf_key"] = signer.derive_key()
    app.before_request(_check_csrf)
    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.config["COURSEWARE_HTTPS"])  # type: ignore[method-assign]
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(500, lambda error: error_page(500))
