"""The session cookie: signed as Flask signs it, checked once per worker, re-signed once a minute.

Flask verifies the cookie's signature and decodes its JSON on every request, and re-signs
and re-sends it on every request to slide the idle timeout: together about a sixth of a
module page's time. Here a cookie verified once is remembered by its exact text (a
different text is verified afresh), and an unchanged session is re-signed only when its
signature is a minute old: the idle timeout still slides, to the minute.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

# An unchanged session is signed again once its signature is this old.
REFRESH_SECONDS = 60
# One entry per signed-in browser seen recently: a few hundred bytes each.
VERIFIED_COOKIES = 4096


class CoursewareSession(SecureCookieSession):
    """A session that knows when its cookie was signed."""

    signed_at: float = 0.0


class CoursewareSessionInterface(SecureCookieSessionInterface):
    session_class = CoursewareSession

    def __init__(self) -> None:
        self._verified: OrderedDict[str, tuple[dict[str, Any], float]] = OrderedDict()
        self._lock = threading.Lock()

    def open_session(self, app: Flask, request: Request) -> CoursewareSession | None:
        if not app.secret_key:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        with self._lock:
            known = self._verified.get(cookie)
            if known is not None:
                self._verified.move_to_end(cookie)
        if known is None:
            serializer = self.get_signing_serializer(app)
            try:
                data, signed = serializer.loads(cookie, max_age=int(max_age),  # type: ignore[union-attr]
                                                return_timestamp=True)
            except BadSignature:
                return self.session_class()
            known = (data, signed.timestamp())
            if _immutable_values(data):
                self._remember(cookie, known)
        data, signed_at = known
        if time.time() - signed_at > max_age:
            return self.session_class()
        session = self.session_class(data)  # a copy: the remembered data never changes
        session.signed_at = signed_at
        return session

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        if session and not self.should_set_cookie(app, session):
            # Nothing to send: only say the page depends on the cookie (Flask's own path
            # reads seven cookie settings and parses the Vary header to get here).
            if session.accessed:
                response.headers.add("Vary", "Cookie")
            return
        super().save_session(app, session, response)

    def should_set_cookie(self, app: Flask, session: Any) -> bool:
        if session.modified:
            return True
        refresh = session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
        return bool(refresh and time.time() - getattr(session, "signed_at", 0.0) >= REFRESH_SECONDS)

    def _remember(self, cookie: str, known: tuple[dict[str, Any], float]) -> None:
        with self._lock:
            self._verified[cookie] = known
            while len(self._verified) > VERIFIED_COOKIES:
                self._verified.popitem(last=False)


def _immutable_values(data: dict[str, Any]) -> bool:
    # A session's copy is shallow: a list in it (flashed messages) would be shared with the
    # remembered data and changed in place, so such sessions are decoded every time.
    return not any(isinstance(value, dict | list) for value in data.values())
