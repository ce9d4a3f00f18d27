"""The throttle as the views use it: the request's address, the app's clock, the waits in words."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import ngettext
from sqlite_utils import Database

from courseware.auth import attempts
from courseware.auth.throttle import SignInRules, address_key, seconds_to_wait

RULES = SignInRules()


def now() -> float:
    """The app's clock: time.time, or the one a test configures."""
    return current_app.config["CLOCK"]()


def client_address() -> str:
    """The client's address: the socket's, or the proxy's X-Forwarded-For (see app.py)."""
    return address_key(request.remote_addr)


def sign_in_wait(db: Database, email: str, address: str, moment: float) -> int:
    """Seconds before a password for `email` from `address` may be checked."""
    failures = attempts.recent_failures(db, email, address, moment - RULES.window)
    return seconds_to_wait(RULES, failures, email, address, moment)


def count_failure(db: Database, email: str, address: str, moment: float) -> None:
    attempts.record_failure(db, email, address, moment, RULES.window)


def forget_failures(db: Database, email: str, address: str | None = None) -> int:
    return attempts.clear_failures(db, email, address)


def recent_failure_count(db: Database, email: str, moment: float) -> int:
    return attempts.failure_count(db, email, moment - RULES.window)


def try_again_in(seconds: int) -> str:
    """'Try again in N seconds' (in minutes from two minutes up), in the page's language."""
    if seconds < 120:
        return ngettext("Try again in %(num)s second.", "Try again in %(num)s seconds.", seconds)
    minutes = -(-seconds // 60)
    return ngettext("Try again in %(num)s minute.", "Try again in %(num)s minutes.", minutes)
