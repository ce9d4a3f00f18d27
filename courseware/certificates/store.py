"""Certificates in the database, and the results that earn one: every function takes the connection.

Writers pass the connection of an open `courseware.db.write()` block, so that checking
eligibility and issuing happen under the same lock.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from courseware.certificates.eligibility import Standing
from courseware.certificates.validity import Status, expiry_date, status_on
from courseware.db import fetch_all, utc_today
from courseware.trainer.sheet import percent_of
from courseware.workshop.model import RELEASED

# 24 random bytes: 192 bits, far beyond guessing; token_urlsafe writes them in 32 characters.
ID_BYTES = 24
ID_LENGTH = 32


@dataclass(frozen=True)
class StoredCertificate:
    id: str
    user_id: int
    cohort_id: int
    name: str
    org_name: str
    org_name_zh: str
    grade_percent: int | None
    show_org: bool
    show_grade: bool
    issued_on: date
    expires_on: date | None
    revoked_at: str | None
    revoked_reason: str

    def status(self, today: date) -> Status:
        return status_on(today, self.expires_on, self.revoked_at is not None)


def _certificate(row: dict[str, Any]) -> StoredCertificate:
    return StoredCertificate(
        id=row["id"], user_id=row["user_id"], cohort_id=row["cohort_id"], name=row["name"],
        org_name=row["org_name"], org_name_zh=row["org_name_zh"],
        grade_percent=row["grade_percent"], show_org=bool(row["show_org"]),
        show_grade=bool(row["show_grade"]), issued_on=date.fromisoformat(row["issued_on"]),
        expires_on=date.fromisoformat(row["expires_on"]) if row["expires_on"] else None,
        revoked_at=row["revoked_at"], revoked_reason=row["revoked_reason"],
    )


def standing(db: Database, *, user_id: int, cohort: dict[str, Any], page_ids: Iterable[str],
             max_points: int, settled_before: str) -> Standing:
    """Read the trainee's results as the certificate rules need them, in four queries.

    After a certificate ends (expired, for recertification, or revoked), only a quiz passed and
    a workshop grade released since then earn the next one: the old results earned the old one.
    """
    pages = frozenset(page_ids)
    read = {row[0] for row in db.execute(
        "SELECT page_id FROM page_views WHERE user_id = ?", [user_id]).fetchall()}
    since = last_certificate_end(db, user_id) or ""
    best_quiz = db.execute(
        "SELECT MAX(percent) FROM quiz_attempts WHERE user_id = ? AND submitted_at IS NOT NULL"
        " AND submitted_at >= ?",
        [user_id, since]).fetchone()[0]
    # A grade counts once the trainee can see it: released and past the trainer's undo window.
    best_total = db.execute(
        "SELECT MAX(total) FROM grades WHERE trainee_id = ? AND outcome = ? AND decided_at <= ?"
        " AND decided_at >= ?",
        [user_id, RELEASED, settled_before, since]).fetchone()[0]
    return Standing(
        pages_read=len(pages & read),
        pages_total=len(pages),
        best_quiz_percent=best_quiz,
        quiz_pass_mark=cohort["pass_mark"],
        best_workshop_percent=None if best_total is None else percent_of(best_total, max_points),
        certificate_mark=cohort.get("certificate_mark"),
    )


def last_certificate_end(db: Database, user_id: int) -> str | None:
    """When the trainee's latest ended certificate stopped being valid (None: none ended).

    Written as stored times compare: an expiry date sorts before any moment of that day.
    """
    row = db.execute(
        "SELECT MAX(coalesce(revoked_at, expires_on)) FROM certificates WHERE user_id = ?"
        " AND (revoked_at IS NOT NULL OR expires_on <= ?)",
        [user_id, utc_today().isoformat()]).fetchone()
    return row[0]


def new_certificate_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def issue(db: Database, *, user_id: int, cohort: dict[str, Any], name: str, org_name: str,
          org_name_zh: str, grade_percent: int | None, show_org: bool, show_grade: bool,
          today: date) -> str:
    """Store a new certificate and return its id.

    The grade is kept only when the cohort prints grades; the trainee's choice to show it on
    the verification page counts only then.
    """
    prints_grade = bool(cohort.get("certificate_grade"))
    certificate_id = new_certificate_id()
    expires = expiry_date(today, cohort.get("certificate_months"))
    db["certificates"].insert({
        "id": certificate_id, "user_id": user_id, "cohort_id": cohort["id"], "name": name,
        "org_name": org_name, "org_name_zh": org_name_zh,
        "grade_percent": grade_percent if prints_grade else None,
        "show_org": int(show_org), "show_grade": int(show_grade and prints_grade),
        "issued_on": today.isoformat(), "expires_on": expires.isoformat() if expires else None,
    })
    return certificate_id


def certificate(db: Database, certificate_id: str) -> StoredCertificate | None:
    """The certificate with this exact id, or None (an id of the wrong shape finds nothing)."""
    if len(certificate_id) != ID_LENGTH:
        return None
    rows = fetch_all(db, "SELECT * FROM certificates WHERE id = ?", [certificate_id])
    return _certificate(rows[0]) if rows else None


def certificates_of(db: Database, user_id: int) -> list[StoredCertificate]:
    """The trainee's certificates, newest first."""
    rows = fetch_all(db, "SELECT * FROM certificates WHERE user_id = ? ORDER BY issued_on DESC, rowid DESC",
                     [user_id])
    return [_certificate(row) for row in rows]


def current_certificate(db: Database, user_id: int, today: date) -> StoredCertificate | None:
    """The trainee's newest certificate that is still valid, or None."""
    return next((cert for cert in certificates_of(db, user_id)
                 if cert.status(today) is Status.VALID), None)


def set_choices(db: Database, *, certificate_id: str, user_id: int, show_org: bool,
                show_grade: bool) -> bool:
    """Change what the verification page shows; False if the certificate is not the trainee's."""
    cursor = db.execute(
        """UPDATE certificates SET show_org = ?, show_grade = grade_percent IS NOT NULL AND ?
           WHERE id = ? AND user_id = ?""",
        [int(show_org), int(show_grade), certificate_id, user_id])
    return cursor.rowcount == 1


def revoke(db: Database, *, certificate_id: str, user_id: int, reason: str, trainer_id: int,
           now: str) -> bool:
    """Revoke the trainee's certificate; return False if it is not theirs or already revoked."""
    cursor = db.execute(
        """UPDATE certificates SET revoked_at = ?, revoked_reason = ?, revoked_by = ?
           WHERE id = ? AND user_id = ? AND revoked_at IS NULL""",
        [now, reason, trainer_id, certificate_id, user_id])
    return cursor.rowcount == 1
