"""Which module pages a trainee has read, and where they left off."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from courseware.db import write
from courseware.fragments import app_cache


@dataclass(frozen=True)
class Progress:
    read: frozenset[str]
    total: int

    @property
    def count(self) -> int:
        return len(self.read)

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0


def read_pages(db: Database, user_id: int) -> frozenset[str]:
    rows = db.execute("SELECT page_id FROM page_views WHERE user_id = ?", [user_id]).fetchall()
    return frozenset(row[0] for row in rows)


# Trainees whose pages read a worker keeps: about a hundred bytes each.
KEPT_READERS = 4096


def pages_read_by(db: Database, user: Any) -> frozenset[str]:
    """Return the pages the signed-in user has read, kept per worker until their cohort's
    progress moves.

    A page read for the first time (or any change to page_views) bumps the cohort's progress
    version, which the user's row carries, so a kept set is never stale. Outside a cohort
    the pages are read every time.
    """
    version = user.cohort_progress_version
    if version is None:
        return read_pages(db, user.id)
    kept = app_cache("pages_read", KEPT_READERS)
    key = (user.id, user.cohort_id, version)
    read = kept.get(key)
    if read is None:
        read = read_pages(db, user.id)
        kept.put(key, read)
    return read


def record_view(user_id: int, page_id: str, already_read: bool, was_last_page: bool) -> None:
    """Note that the user opened the page; skip the write when nothing would change."""
    if already_read and was_last_page:
        return
    with write() as db:
        db.execute(
            """INSERT INTO page_views (user_id, page_id) VALUES (?, ?)
               ON CONFLICT (user_id, page_id) DO UPDATE
               SET last_viewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')""",
            [user_id, page_id],
        )
        db.execute("UPDATE users SET last_page_id = ? WHERE id = ?", [page_id, user_id])


def pages_read_by_cohort(db: Database, cohort_id: int) -> dict[int, int]:
    """How many pages each trainee of the cohort has read, in one query."""
    rows = db.execute(
        """SELECT users.id, count(page_views.page_id) FROM users
           LEFT JOIN page_views ON page_views.user_id = users.id
           WHERE users.cohort_id = ? GROUP BY users.id""",
        [cohort_id],
    ).fetchall()
    return dict(rows)
