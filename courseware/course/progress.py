"""Which module pages a trainee has read, and where they left off."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlite_utils import Database

from courseware.db import WriteFailed, write

logger = logging.getLogger(__name__)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


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


def first_unread(pages: Sequence[T], read: AbstractSet[str]) -> T | None:
    """Return the first page (in module order) whose id is not among those read, or None."""
    return next((page for page in pages if page.id not in read), None)


def read_pages(db: Database, user_id: int) -> frozenset[str]:
    """Return the ids of the pages the user has opened."""
    rows = db.execute("SELECT page_id FROM page_views WHERE user_id = ?", [user_id]).fetchall()
    return frozenset(row[0] for row in rows)


def record_view(user_id: int, page_id: str, already_read: bool, was_last_page: bool) -> None:
    """Note that the user opened the page; skip the write when nothing would change.

    Best effort: a database that cannot be written must not stop anyone reading.
    """
    if already_read and was_last_page:
        return
    try:
        _record(user_id, page_id)
    except WriteFailed as failure:
        logger.warning("page view not recorded: %s", failure.reason)


def _record(user_id: int, page_id: str) -> None:
    with write() as db:
        db.execute(
            """INSERT INTO page_views (user_id, page_id) VALUES (?, ?)
               ON CONFLICT (user_id, page_id) DO UPDATE
               SET last_viewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')""",
            [user_id, page_id],
        )
        db.execute("UPDATE users SET last_page_id = ? WHERE id = ?", [page_id, user_id])
