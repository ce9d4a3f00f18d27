"""The cohort's workshops as the debrief reads them, and the cohort's reference solution."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from courseware.db import fetch_all, utc_now
from courseware.workshop.model import Workshop

SUBMITTED = "submitted"  # each trainee's latest submitted version
CURRENT = "current"  # each trainee's current draft, else their latest submitted version
SOURCES = (SUBMITTED, CURRENT)


@dataclass(frozen=True)
class RoomWorkshop:
    """One trainee's workshop in the room."""

    user_id: int
    name: str
    submission_id: int | None  # None for a draft
    lang: str
    workshop: Workshop


def room_workshops(db: Database, cohort_id: int, source: str) -> list[RoomWorkshop]:
    """Return one workshop per trainee of the cohort, in the order they joined."""
    rows = fetch_all(
        db,
        """
        WITH latest AS (
            SELECT s.* FROM workshop_submissions AS s
            WHERE s.cohort_id = :cohort AND s.version = (
                SELECT max(version) FROM workshop_submissions WHERE user_id = s.user_id)
        )
        SELECT users.id AS user_id, users.name,
               latest.id AS submission_id, latest.lang, latest.workshop AS submitted,
               draft.workshop AS draft
        FROM users
        LEFT JOIN latest ON latest.user_id = users.id
        LEFT JOIN workshop_drafts AS draft
            ON draft.user_id = users.id AND draft.base_version = coalesce(latest.version, 0)
        WHERE users.cohort_id = :cohort AND users.role = 'trainee'
        ORDER BY users.id
        """,
        {"cohort": cohort_id},
    )
    found = []
    for row in rows:
        if source == CURRENT and row["draft"] is not None:
            found.append(RoomWorkshop(row["user_id"], row["name"], None, row["lang"] or "",
                                      Workshop.from_dict(_json(row["draft"]))))
        elif row["submitted"] is not None:
            found.append(RoomWorkshop(row["user_id"], row["name"], row["submission_id"],
                                      row["lang"], Workshop.from_dict(_json(row["submitted"]))))
    return found


def reference_submission_id(db: Database, cohort_id: int) -> int | None:
    """Return the id of the cohort's reference solution, or None."""
    rows = fetch_all(db, "SELECT submission_id FROM debrief_references WHERE cohort_id = ?",
                     [cohort_id])
    return rows[0]["submission_id"] if rows else None


def set_reference(db: Database, cohort_id: int, submission_id: int | None, trainer_id: int
                  ) -> None:
    """Mark a submitted version as the cohort's reference solution (None: clear it)."""
    if submission_id is None:
        db.execute("DELETE FROM debrief_references WHERE cohort_id = ?", [cohort_id])
        return
    db["debrief_references"].upsert(
        {"cohort_id": cohort_id, "submission_id": submission_id, "set_by": trainer_id,
         "set_at": utc_now()}, pk="cohort_id")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return {}
