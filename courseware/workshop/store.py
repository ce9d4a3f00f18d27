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

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlite_utils import Database

from courseware.db import fetch_all, utc_now
from courseware.workshop.model import DRAFT, RELEASED, RETURNED, SUBMITTED, Workshop

KEPT_LIFETIME_SECONDS = 24 * 3600
KEPT_PER_ADDRESS = 100  # a classroom behind one address, every trainee's session ended at once
KEPT_MAX_ROWS = 5000
# Every text of the largest workshop at its length limit, in Chinese, is about 75 KB.
KEPT_MAX_BYTES = 128 * 1024


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
    editor: str = ""  # the page that saved it last, and that page's count of changes
    editor_seq: int = 0


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
    editor: str = ""
    editor_seq: int = 0
    updated_at: str = ""


class SaveRefused(Exception):
    """The posted form may not be saved; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "frozen", "stale", "conflict" or "superseded"


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
            editor=row["editor"],
            editor_seq=row["editor_seq"],
        )
    return TraineeWorkshop(latest=latest, draft=draft, versions=versions)


def check_form_is_current(state: Position, base_version: int,
                          revision: int, editor: str = "", seq: int = 0) -> None:
    """Refuse a form that would change a frozen version or overwrite a newer save.

    A page that saves names itself (`editor`, random per browser tab) and counts its changes
    (`seq`). A save based on an older revision is then one of two things: a later change from
    the page that saved last, whose earlier save is what moved the revision (taken), or an
    earlier change from it arriving late (`superseded`: the draft already holds newer work of
    that page). From any other page it is a real `conflict`.
    """
    if not state.editable:
        raise SaveRefused("frozen")
    if base_version != state.base_version:
        raise SaveRefused("stale")
    if revision == state.revision:
        return
    if not editor or editor != state.editor:
        raise SaveRefused("conflict")
    if seq <= state.editor_seq:
        raise SaveRefused("superseded")


def position(db: Database, user_id: int) -> Position:
    """Return where a trainee's workshop stands, without loading any workshop.

    Says the same as `trainee_workshop()`'s `editable`, `base_version` and `revision`, in
    one small query: a save checks these each time, without rebuilding every stored version
    from its JSON.
    """
    base_version, status, revision, editor, editor_seq, updated_at = db.execute(
        """
        SELECT coalesce(latest.version, 0), latest.status,
               draft.revision, draft.editor, draft.editor_seq, draft.updated_at
        FROM (SELECT 1) LEFT JOIN (
            SELECT version, status FROM workshop_submissions WHERE user_id = :user
            ORDER BY version DESC LIMIT 1
        ) AS latest
        LEFT JOIN workshop_drafts AS draft
            ON draft.user_id = :user AND draft.base_version = coalesce(latest.version, 0)
        """,
        {"user": user_id},
    ).fetchone()
    return Position(editable=status is None or status == RETURNED, base_version=base_version,
                    revision=revision or 0, editor=editor or "", editor_seq=editor_seq or 0,
                    updated_at=updated_at or "")


def save_draft(
    db: Database,
    *,
    user_id: int,
    cohort_id: int,
    workshop: Workshop,
    unparsed: dict[str, str],
    base_version: int,
    revision: int,
    editor: str = "",
    seq: int = 0,
) -> Draft:
    """Store the draft if the form is current; return the stored draft.

    A late save that another save of the same page has overtaken (`superseded`) stores
    nothing; the stored draft's revision and time come back, as if it had just been saved.
    """
    state = position(db, user_id)
    try:
        check_form_is_current(state, base_version, revision, editor, seq)
    except SaveRefused as refusal:
        if refusal.reason != "superseded":
            raise
        return Draft(base_version=state.base_version, revision=state.revision,
                     workshop=workshop, unparsed=dict(unparsed), updated_at=state.updated_at,
                     editor=state.editor, editor_seq=state.editor_seq)
    draft = Draft(
        base_version=state.base_version,
        revision=state.revision + 1,
        workshop=workshop,
        unparsed=dict(unparsed),
        updated_at=utc_now(),
        editor=editor,
        editor_seq=seq,
    )
    # Plain SQL: sqlite_utils' upsert() reads the table's schema on every call.
    db.execute(
        """
        INSERT INTO workshop_drafts
            (user_id, cohort_id, base_version, revision, workshop, unparsed, updated_at,
             editor, editor_seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET
            cohort_id = excluded.cohort_id, base_version = excluded.base_version,
            revision = excluded.revision, workshop = excluded.workshop,
            unparsed = excluded.unparsed, updated_at = excluded.updated_at,
            editor = excluded.editor, editor_seq = excluded.editor_seq
        """,
        [user_id, cohort_id, draft.base_version, draft.revision,
         json.dumps(workshop.to_dict(), ensure_ascii=False),
         json.dumps(draft.unparsed, ensure_ascii=False), draft.updated_at, editor, seq],
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
    editor: str = "",
    seq: int = 0,
) -> Submission:
    """Freeze the workshop as the next version if the form is current; return it."""
    state = position(db, user_id)
    try:
        check_form_is_current(state, base_version, revision, editor, seq)
    except SaveRefused as refusal:
        # Newer work of the same page is saved: freezing this older form would lose it.
        raise SaveRefused("conflict" if refusal.reason == "superseded"
                          else refusal.reason) from None
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


def keep_fields(db: Database, fields: dict[str, str], address: str, *,
                replaces: str | None = None, now: float | None = None) -> str | None:
    """Keep fields posted after the session ended; return the token that brings them back.

    Returns None when they cannot be kept: too large, or the store is full. Each client
    address holds at most `KEPT_PER_ADDRESS` entries, its own oldest making room for its
    newest, so that posts from one address never push out what another kept.
    """
    text = json.dumps(fields, ensure_ascii=False)
    if len(text.encode()) > KEPT_MAX_BYTES:
        return None
    now = time.time() if now is None else now
    db.execute("DELETE FROM workshop_kept WHERE created_at < ?", [now - KEPT_LIFETIME_SECONDS])
    if replaces:
        db.execute("DELETE FROM workshop_kept WHERE token_hash = ?", [_token_hash(replaces)])
    db.execute(
        """DELETE FROM workshop_kept WHERE address = :address AND token_hash NOT IN
           (SELECT token_hash FROM workshop_kept WHERE address = :address
            ORDER BY created_at DESC LIMIT :room)""",
        {"address": address, "room": KEPT_PER_ADDRESS - 1},
    )
    if db.execute("SELECT count(*) FROM workshop_kept").fetchone()[0] >= KEPT_MAX_ROWS:
        return None
    token = secrets.token_urlsafe(32)
    db.execute(
        "INSERT INTO workshop_kept (token_hash, address, fields, created_at) VALUES (?, ?, ?, ?)",
        [_token_hash(token), address, text, now],
    )
    return token


def take_kept(db: Database, token: str, now: float | None = None) -> dict[str, str] | None:
    """Return and forget the fields kept under this token, or None."""
    now = time.time() if now is None else now
    digest = _token_hash(token)
    rows = fetch_all(db, "SELECT fields FROM workshop_kept WHERE token_hash = ? AND created_at >= ?",
                     [digest, now - KEPT_LIFETIME_SECONDS])
    db.execute("DELETE FROM workshop_kept WHERE token_hash = ?", [digest])
    return _string_map(_json(rows[0]["fields"])) if rows else None


def _token_hash(token: str) -> str:
    # Only the digest is stored: reading the database does not give anyone the tokens.
    return hashlib.sha256(token.encode()).hexdigest()


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
