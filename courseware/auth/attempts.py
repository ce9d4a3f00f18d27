"""What the throttle keeps on record, in SQLite so that every gunicorn worker sees the same.

The rules that read it are in `courseware.auth.throttle`; every function here takes the time
from its caller, whose clock the tests set.
"""

from __future__ import annotations

from sqlite_utils import Database

from courseware.auth.throttle import Failure, normal_email

# Kinds of costly anonymous requests counted per address.
HASHING = "hashing"  # a sign-in or a join: one slow password hash each
JOIN_CODE = "join_code"  # a join with a code no cohort has
RESET_REQUEST = "reset_request"  # a reset link asked for by email
CERTIFICATE_MISS = "certificate_miss"  # a verification address no certificate has


def recent_failures(db: Database, email: str, address: str, since: float) -> list[Failure]:
    """Failures since then on the account or from the address."""
    rows = db.execute(
        """SELECT email, address, failed_at FROM sign_in_failures
           WHERE failed_at > ? AND (email = ? OR address = ?)""",
        [since, normal_email(email), address],
    ).fetchall()
    return [Failure(*row) for row in rows]


def record_failure(db: Database, email: str, address: str, now: float, window: float) -> None:
    db.execute("DELETE FROM sign_in_failures WHERE failed_at <= ?", [now - window])
    db.execute("INSERT INTO sign_in_failures (email, address, failed_at) VALUES (?, ?, ?)",
               [normal_email(email), address, now])


def clear_failures(db: Database, email: str, address: str | None = None) -> int:
    """Forget the account's failures (only those from `address` when given); return how many."""
    if address is None:
        cursor = db.execute("DELETE FROM sign_in_failures WHERE email = ?", [normal_email(email)])
    else:
        cursor = db.execute("DELETE FROM sign_in_failures WHERE email = ? AND address = ?",
                            [normal_email(email), address])
    return cursor.rowcount


def failure_count(db: Database, email: str, since: float) -> int:
    return db.execute("SELECT count(*) FROM sign_in_failures WHERE email = ? AND failed_at > ?",
                      [normal_email(email), since]).fetchone()[0]


def event_times(db: Database, kind: str, address: str, since: float) -> list[float]:
    rows = db.execute("SELECT at FROM address_events WHERE kind = ? AND address = ? AND at > ?",
                      [kind, address, since]).fetchall()
    return [row[0] for row in rows]


def record_event(db: Database, kind: str, address: str, now: float, period: float) -> None:
    db.execute("DELETE FROM address_events WHERE kind = ? AND at <= ?", [kind, now - period])
    db.execute("INSERT INTO address_events (kind, address, at) VALUES (?, ?, ?)",
               [kind, address, now])
