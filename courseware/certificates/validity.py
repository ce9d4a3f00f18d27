"""A certificate's standing on a given day, and the day it expires: pure date arithmetic."""

from __future__ import annotations

import calendar
from datetime import date
from enum import Enum


class Status(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def expiry_date(issued_on: date, months: int | None) -> date | None:
    """The first day the certificate is no longer valid: `months` after issue (None: never).

    A day the month lacks moves to its last day (issued 31 January, 1 month: 28 or 29 February).
    """
    if not months:
        return None
    month_index = issued_on.month - 1 + months
    year, month = issued_on.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(issued_on.day, calendar.monthrange(year, month)[1]))


def status_on(today: date, expires_on: date | None, revoked: bool) -> Status:
    """Revoked outranks expired: a revoked certificate never reads as merely out of date."""
    if revoked:
        return Status.REVOKED
    if expires_on is not None and today >= expires_on:
        return Status.EXPIRED
    return Status.VALID
