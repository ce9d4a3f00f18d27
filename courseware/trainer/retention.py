"""How long a removed trainee's work is kept: the dates, as plain functions over stored times."""

from __future__ import annotations

import calendar
import time

# As the database stores times (courseware.db.TIME_FORMAT), repeated here so that this core
# imports without Flask.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
KEEP_DAYS = 30
_DAY_SECONDS = 24 * 60 * 60


def stored_time(moment: float) -> str:
    """Return the moment (seconds since the epoch) written as the database stores times."""
    return time.strftime(TIME_FORMAT, time.gmtime(moment))


def restorable_until(removed_at: str, keep_days: int = KEEP_DAYS) -> str:
    """Return the stored time until which a trainee removed at `removed_at` can be restored."""
    moment = calendar.timegm(time.strptime(removed_at, TIME_FORMAT))
    return stored_time(moment + keep_days * _DAY_SECONDS)


def purge_before(now: float, keep_days: int = KEEP_DAYS) -> str:
    """Return the stored time before which a removal is past keeping and is deleted for good."""
    return stored_time(now - keep_days * _DAY_SECONDS)
