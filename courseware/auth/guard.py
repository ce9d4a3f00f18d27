"""The throttle as the views use it: the request's address, the app's clock, the waits in words."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import ngettext
from sqlite_utils import Database

from courseware.auth import attempts
from courseware.auth.throttle import RateLimit, SignInRules, address_key, rate_wait, seconds_to_wait

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


def rate(kind: str) -> RateLimit:
    config = current_app.config
    limits = {
        attempts.HASHING: (config["ADDRESS_HASH_LIMIT"], config["ADDRESS_HASH_PERIOD"]),
        attempts.JOIN_CODE: (config["ADDRESS_JOIN_CODE_LIMIT"], config["ADDRESS_JOIN_CODE_PERIOD"]),
        attempts.RESET_REQUEST: (config["ADDRESS_RESET_LIMIT"], config["ADDRESS_RESET_PERIOD"]),
        attempts.CERTIFICATE_MISS: (config["ADDRESS_CERTIFICATE_MISS_LIMIT"],
                                    config["ADDRESS_CERTIFICATE_MISS_PERIOD"]),
    }
    limit, period = limits[kind]
    return RateLimit(limit=limit, period=period)


def rate_limited(db: Database, kind: str, address: str, moment: float) -> int:
    """Seconds before the address may make one more request of this kind (0: now)."""
    limit = rate(kind)
    return rate_wait(limit, attempts.event_times(db, kind, address, moment - limit.period), moment)


def spend(db: Database, kind: str, address: str, moment: float) -> int:
    """Count one request of this kind if the address may make it; else the seconds to wait."""
    wait = rate_limited(db, kind, address, moment)
    if not wait:
        attempts.record_event(db, kind, address, moment, rate(kind).period)
    return wait


def try_again_in(seconds: int) -> str:
    """'Try again in N seconds' (in minutes from two minutes up), in the page's language."""
    if seconds < 120:
        return ngettext("Try again in %(num)s second.", "Try again in %(num)s seconds.", seconds)
    minutes = -(-seconds // 60)
    return ngettext("Try again in %(num)s minute.", "Try again in %(num)s minutes.", minutes)
