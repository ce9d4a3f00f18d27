"""The comment bank: comments saved once and inserted again with one click.

Each comment belongs to the trainer who saved it (only they edit or delete it); on a grading
page the bank holds the comments of every trainer of that cohort.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlite_utils import Database

from courseware.trainer.sheet import OVERALL_FIELD

MAX_BANK_TEXT = 2_000


@dataclass(frozen=True)
class BankEntry:
    """One saved comment, filed under the rubric criterion (or "overall") it was written for."""

    id: int
    target: str
    text: str


def bank_problem(criterion_ids: Collection[str], target: object, text: object) -> str | None:
    """Say why a comment cannot go into the bank: "unknown_target", "empty" or "too_long"."""
    if not isinstance(target, str) or (target != OVERALL_FIELD and target not in criterion_ids):
        return "unknown_target"
    if not isinstance(text, str) or not text.strip():
        return "empty"
    if len(text.strip()) > MAX_BANK_TEXT:
        return "too_long"
    return None


_SHARED = """(trainer_id = :trainer OR trainer_id IN
                 (SELECT user_id FROM cohort_trainers WHERE cohort_id = :cohort))"""


def bank_entries(db: Database, trainer_id: int, cohort_id: int | None = None
                 ) -> dict[str, list[BankEntry]]:
    """Return saved comments grouped by target, oldest first: the trainer's own, and with a
    cohort those of its other trainers too (the same text only once)."""
    grouped: dict[str, list[BankEntry]] = {}
    rows = db.execute(
        f"SELECT id, target, text FROM comment_bank WHERE {_SHARED} ORDER BY id",  # noqa: S608 # nosec B608: our clause
        {"trainer": trainer_id, "cohort": -1 if cohort_id is None else cohort_id},
    ).fetchall()
    seen: set[tuple[str, str]] = set()
    for entry_id, target, text in rows:
        if (target, text) not in seen:
            seen.add((target, text))
            grouped.setdefault(target, []).append(BankEntry(entry_id, target, text))
    return grouped


def bank_entry(db: Database, trainer_id: int, entry_id: int, cohort_id: int | None = None
               ) -> BankEntry | None:
    """Return a saved comment the trainer may use (their own, or a co-trainer's of the cohort)."""
    row = db.execute(
        f"SELECT id, target, text FROM comment_bank WHERE id = :entry AND {_SHARED}",  # noqa: S608 # nosec B608: our clause
        {"entry": entry_id, "trainer": trainer_id, "cohort": -1 if cohort_id is None else cohort_id},
    ).fetchone()
    return BankEntry(*row) if row else None


def add_to_bank(db: Database, trainer_id: int, target: str, text: str) -> tuple[BankEntry, bool]:
    """Save a comment to the bank; return it and whether it is new (saving twice is harmless)."""
    # Only the ends are trimmed: a comment is reused exactly as the trainer wrote it.
    text = text.strip()
    existing = db.execute(
        "SELECT id FROM comment_bank WHERE trainer_id = ? AND target = ? AND text = ?",
        [trainer_id, target, text],
    ).fetchone()
    if existing:
        return BankEntry(existing[0], target, text), False
    table = db["comment_bank"]
    table.insert({"trainer_id": trainer_id, "target": target, "text": text})
    return BankEntry(table.last_pk, target, text), True


def update_bank_entry(db: Database, trainer_id: int, entry_id: int, text: str) -> str | None:
    """Replace the text of one of the trainer's comments; say why not ("missing", "duplicate")."""
    entry = bank_entry(db, trainer_id, entry_id)
    if entry is None:
        return "missing"
    text = text.strip()
    clash = db.execute(
        "SELECT 1 FROM comment_bank WHERE trainer_id = ? AND target = ? AND text = ? AND id != ?",
        [trainer_id, entry.target, text, entry_id],
    ).fetchone()
    if clash:
        return "duplicate"
    db.execute("UPDATE comment_bank SET text = ? WHERE id = ? AND trainer_id = ?",
               [text, entry_id, trainer_id])
    return None


def delete_bank_entry(db: Database, trainer_id: int, entry_id: int) -> bool:
    """Remove one of the trainer's comments; return whether there was one to remove."""
    cursor = db.execute("DELETE FROM comment_bank WHERE id = ? AND trainer_id = ?",
                        [entry_id, trainer_id])
    return cursor.rowcount > 0
