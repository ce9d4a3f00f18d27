"""Cohorts: creating them, their join codes, and which trainers run them."""

from __future__ import annotations

import secrets
from typing import Any

from sqlite_utils import Database

from courseware.db import fetch_all

# No 0/O or 1/I/L: codes are read aloud and typed from a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# At least this many characters of the alphabet (hyphens between them do not count): 31**8 is
# about 850 billion codes, against the 20 wrong codes an address may try in 15 minutes.
CODE_MIN_LENGTH = 8
RANDOM_CODE_LENGTH = 8


def new_join_code() -> str:
    """A random code such as KAM-7XQ4-M2PH."""
    random = "".join(secrets.choice(CODE_ALPHABET) for _ in range(RANDOM_CODE_LENGTH))
    return f"KAM-{random[:4]}-{random[4:]}"


def normal_join_code(text: str) -> str:
    """The code as stored and compared: without surrounding spaces, in capitals."""
    return text.strip().upper()


def join_code_problem(code: str) -> str | None:
    """Why a code chosen by a trainer cannot be used ('characters', 'too_short'), or None."""
    characters = normal_join_code(code).replace("-", "")
    if any(character not in CODE_ALPHABET for character in characters):
        return "characters"
    if len(characters) < CODE_MIN_LENGTH:
        return "too_short"
    return None


def join_code_taken(db: Database, code: str) -> bool:
    return bool(db.execute("SELECT 1 FROM cohorts WHERE join_code = ?", [code]).fetchone())


def create_cohort(db: Database, *, name: str, trainer_id: int, org_name: str = "",
                  join_code: str | None = None, org_name_zh: str = "") -> int:
    """Create a cohort run by the trainer; return its id."""
    code = join_code or new_join_code()
    while join_code is None and join_code_taken(db, code):
        code = new_join_code()
    cohorts = db["cohorts"]
    cohorts.insert({"name": name.strip(), "join_code": code, "org_name": org_name.strip(),
                    "org_name_zh": org_name_zh.strip()})
    cohort_id = cohorts.last_pk
    db["cohort_trainers"].insert({"cohort_id": cohort_id, "user_id": trainer_id})
    return cohort_id


def cohorts_of_trainer(db: Database, trainer_id: int) -> list[dict[str, Any]]:
    """The trainer's cohorts with their trainee counts, newest first."""
    return fetch_all(
        db,
        """SELECT cohorts.*, (SELECT count(*) FROM users WHERE users.cohort_id = cohorts.id
                              AND users.role = 'trainee') AS trainees
           FROM cohorts JOIN cohort_trainers ON cohort_trainers.cohort_id = cohorts.id
           WHERE cohort_trainers.user_id = ? ORDER BY cohorts.id DESC""",
        [trainer_id],
    )
