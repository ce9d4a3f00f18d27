"""Drafts and submitted versions of the workshop in the database.

Contract for other areas (the trainer's desk):

- `statuses(db, cohort_id)` gives every trainee of the cohort who has started,
  in one query: `{user_id: WorkshopStatus(status, latest_submission_id, version)}`
  with `status` one of `draft`, `submitted`, `returned`, `released`. Trainees
  who have not saved anything are absent (not started).
- `load_submission(db, submission_id)` gives a frozen version as `Submission`
  (id, user_id, cohort_id, version, status, lang, submitted_at,
  status_changed_at, workshop) or None.
- The trainer's area changes `workshop_submissions.status` to `returned` or
  `released` (and `status_changed_at`); this area only ever writes `submitted`.

Callers that write pass the connection of an open `courseware.db.write()` block.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlite_utils import Database

from courseware.db import fetch_all, utc_now
from courseware.workshop.model import DRAFT, RELEASED, RETURNED, SUBMITTED, Workshop

RESTORE_LIFETIME_SECONDS = 24 * 3600
RESTORE_MAX_ROWS = 500


class WorkshopStatus(NamedTuple):
    """Where one trainee stands with the workshop: one per started trainee on the dashboard."""

    status: str
    latest_submission_id: int | None
    version: int | None


@dataclass(frozen=True)
class Submission:
    """One frozen, submitted version of a trainee's workshop."""

    id: int
    user_id: int
    cohort_id: int
    version: int
    status: str
    lang: str
    submitted_at: str
    status_changed_at: str
    workshop: Workshop


@dataclass(frozen=True)
class Draft:
    """The trainee's working copy, with the mistyped numbers kept as typed."""

    base_version: int
    revision: int
    workshop: Workshop
    unparsed: dict[str, str]
    updated_at: str


@dataclass(frozen=True)
class TraineeWorkshop:
    """A trainee's latest submission and current draft, and what they may do next."""

    latest: Submission | None
    draft: Draft | None
    versions: tuple[Submission, ...] = field(default=())

    @property
    def editable(self) -> bool:
        """Return whether the trainee may edit: nothing handed in, or handed back."""
        return self.latest is None or self.latest.status == RETURNED

    @property
    def base_version(self) -> int:
        """Return the version the next submission follows (0 before the first)."""
        return self.latest.version if self.latest else 0

    @property
    def revision(self) -> int:
        """Return the draft's revision; 0 when there is no draft for this round."""
        return self.draft.revision if self.draft else 0

    def working_copy(self) -> tuple[Workshop | None, dict[str, str]]:
        """Return what the editor should show: the draft, else the returned version, else None."""
        if self.draft is not None:
            return self.draft.workshop, self.draft.unparsed
        if self.latest is not None and self.latest.status == RETURNED:
            return self.latest.workshop, {}
        return None, {}


@dataclass(frozen=True)
class Position:
    """Where a trainee's workshop stands: what a save must check before it writes."""

    editable: bool
    base_version: int
    revision: int


class SaveRefused(Exception):
    """The posted form may not be saved; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "frozen", "stale" or "conflict"


def statuses(db: Database, cohort_id: int) -> dict[int, WorkshopStatus]:
    """Return each started trainee's workshop status in the cohort, in one query."""
    rows = db.execute(
        """
        WITH started AS (
            SELECT user_id FROM workshop_drafts WHERE cohort_id = :cohort
            UNION SELECT user_id FROM workshop_submissions WHERE cohort_id = :cohort
        ), latest AS (
            SELECT user_id, max(version) AS version FROM workshop_submissions
            WHERE cohort_id = :cohort GROUP BY user_id
        )
        SELECT started.user_id, submission.id, submission.version, submission.status
        FROM started
        LEFT JOIN latest ON latest.user_id = started.user_id
        LEFT JOIN workshop_submissions AS submission
            ON submission.user_id = latest.user_id AND submission.version = latest.version
        """,
        {"cohort": cohort_id},
    ).fetchall()
    return {
        user_id: WorkshopStatus(status or DRAFT, submission_id, version)
        for user_id, submission_id, version, status in rows
    }


def load_submission(db: Database, submission_id: int) -> Submission | None:
    """Return one submitted version, or None."""
    rows = fetch_all(db, "SELECT * FROM workshop_submissions WHERE id = ?", [submission_id])
    return _submission(rows[0]) if rows else None


def trainee_workshop(db: Database, user_id: int, settled_before: str | None = None
                     ) -> TraineeWorkshop:
    """Return a trainee's submitted versions (newest first) and current draft.

    With `settled_before`, a version released or returned after that moment (while the
    trainer can still undo it) is shown as still waiting to be graded.
    """
    versions = tuple(
        _as_settled(_submission(row), settled_before)
        for row in fetch_all(
            db,
            "SELECT * FROM workshop_submissions WHERE user_id = ? ORDER BY version DESC",
            [user_id],
        )
    )
    latest = versions[0] if versions else None
    draft = None
    rows = fetch_all(db, "SELECT * FROM workshop_drafts WHERE user_id = ?", [user_id])
    # A draft left over from before the latest submission is not this round's draft.
    if rows and rows[0]["base_version"] == (latest.version if latest else 0):
        row = rows[0]
        draft = Draft(
            base_version=row["base_version"],
            revision=row["revision"],
            workshop=Workshop.from_dict(_json(row["workshop"])),
            unparsed=_string_map(_json(row["unparsed"])),
            updated_at=row["updated_at"],
        )
    return TraineeWorkshop(latest=latest, draft=draft, versions=versions)


def check_form_is_current(state: TraineeWorkshop | Position, base_version: int,
                          revision: int) -> None:
    """Refuse a form that would change a frozen version or overwrite a newer save."""
    if not state.editable:
        raise SaveRefused("frozen")
    if base_version != state.base_version:
        raise SaveRefused("stale")
    if revision != state.revision:
        raise SaveRefused("conflict")


def position(db: Database, user_id: int) -> Position:
    """Return where a trainee's workshop stands, without loading any workshop.

    Says the same as `trainee_workshop()`'s `editable`, `base_version` and `revision`, in
    one small query: a save checks these each time, without rebuilding every stored version
    from its JSON.
    """
    base_version, status, revision = db.execute(
        """
        SELECT coalesce(latest.version, 0), latest.status,
               (SELECT revision FROM workshop_drafts
                WHERE user_id = :user AND base_version = coalesce(latest.version, 0))
        FROM (SELECT 1) LEFT JOIN (
            SELECT version, status FROM workshop_submissions WHERE user_id = :user
            ORDER BY version DESC LIMIT 1
        ) AS latest
        """,
        {"user": user_id},
    ).fetchone()
    return Position(editable=status is None or status == RETURNED, base_version=base_version,
                    revision=revision or 0)


def save_draft(
    db: Database,
    *,
    user_id: int,
    cohort_id: int,
    workshop: Workshop,
    unparsed: dict[str, str],
    base_version: int,
    revision: int,
) -> Draft:
    """Store the draft if the form is current; return the stored draft."""
    state = position(db, user_id)
    check_form_is_current(state, base_version, revision)
    draft = Draft(
        base_version=state.base_version,
        revision=state.revision + 1,
        workshop=workshop,
        unparsed=dict(unparsed),
        updated_at=utc_now(),
    )
    # Plain SQL: sqlite_utils' upsert() reads the table's schema on every call.
    db.execute(
        """
        INSERT INTO workshop_drafts
            (user_id, cohort_id, base_version, revision, workshop, unparsed, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET
            cohort_id = excluded.cohort_id, base_version = excluded.base_version,
            revision = excluded.revision, workshop = excluded.workshop,
            unparsed = excluded.unparsed, updated_at = excluded.updated_at
        """,
        [user_id, cohort_id, draft.base_version, draft.revision,
         json.dumps(workshop.to_dict(), ensure_ascii=False),
         json.dumps(draft.unparsed, ensure_ascii=False), draft.updated_at],
    )
    return draft


def submit(
    db: Database,
    *,
    user_id: int,
    cohort_id: int,
    workshop: Workshop,
    lang: str,
    base_version: int,
    revision: int,
) -> Submission:
    """Freeze the workshop as the next version if the form is current; return it."""
    state = position(db, user_id)
    check_form_is_current(state, base_version, revision)
    now = utc_now()
    table = db["workshop_submissions"]
    table.insert(
        {
            "user_id": user_id,
            "cohort_id": cohort_id,
            "version": state.base_version + 1,
            "status": SUBMITTED,
            "workshop": json.dumps(workshop.to_dict(), ensure_ascii=False),
            "lang": lang,
            "submitted_at": now,
            "status_changed_at": now,
        }
    )
    db.execute("DELETE FROM workshop_drafts WHERE user_id = ?", [user_id])
    return load_submission(db, table.last_pk)  # type: ignore[return-value]


def stash_fields(db: Database, fields: dict[str, str]) -> str:
    """Keep fields posted after the session ended; return the token that brings them back."""
    now = time.time()
    db.execute("DELETE FROM workshop_restores WHERE created_at < ?",
               [now - RESTORE_LIFETIME_SECONDS])
    db.execute(
        """DELETE FROM workshop_restores WHERE token NOT IN
           (SELECT token FROM workshop_restores ORDER BY created_at DESC LIMIT ?)""",
        [RESTORE_MAX_ROWS - 1],
    )
    token = secrets.token_urlsafe(24)
    db["workshop_restores"].insert(
        {"token": token, "fields": json.dumps(fields, ensure_ascii=False), "created_at": now}
    )
    return token


def take_stash(db: Database, token: str) -> dict[str, str] | None:
    """Return and forget the fields kept under this token, or None."""
    rows = fetch_all(
        db,
        "SELECT fields FROM workshop_restores WHERE token = ? AND created_at >= ?",
        [token, time.time() - RESTORE_LIFETIME_SECONDS],
    )
    db.execute("DELETE FROM workshop_restores WHERE token = ?", [token])
    return _string_map(_json(rows[0]["fields"])) if rows else None


def _as_settled(submission: Submission, settled_before: str | None) -> Submission:
    if (settled_before is not None and submission.status in (RELEASED, RETURNED)
            and submission.status_changed_at > settled_before):
        return replace(submission, status=SUBMITTED)
    return submission


def _submission(row: dict[str, Any]) -> Submission:
    return Submission(
        id=row["id"],
        user_id=row["user_id"],
        cohort_id=row["cohort_id"],
        version=row["version"],
        status=row["status"],
        lang=row["lang"],
        submitted_at=row["submitted_at"],
        status_changed_at=row["status_changed_at"],
        workshop=Workshop.from_dict(_json(row["workshop"])),
    )


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def _string_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}
