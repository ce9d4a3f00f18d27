"""Seed a database fast with direct SQL: a trainer, cohorts of trainees and their progress.

Every seeded account shares one password hash: hashing is deliberately slow (scrypt), and
hashing once is what lets a cohort of 500 appear in well under a second.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from werkzeug.security import generate_password_hash

from courseware.config import PROJECT_ROOT
from courseware.content import load_course
from courseware.db import migrate
from courseware.workshop.model import (
    Criterion,
    Cutoff,
    FigureMeasure,
    JudgementMeasure,
    Kpi,
    Workshop,
)

PASSWORD = "bench-pass-2026"  # the password of every seeded account
TRAINER_EMAIL = "bench-trainer@example.com"


@dataclass(frozen=True)
class Cohort:
    id: int
    join_code: str
    trainee_emails: tuple[str, ...]


def user_id(path: Path, email: str) -> int:
    """Return the id of the account with this email."""
    with _transaction(path) as db:
        return db.execute("SELECT id FROM users WHERE email = ?", [email]).fetchone()[0]


def complete_workshop(*, figure: str, first: str, second: str,
                      thresholds: tuple[float, float, float, float],
                      justification: str) -> Workshop:
    """A workshop ready to submit: a figure and a judgement criterion, top 3, three KPIs."""
    return Workshop(
        criteria=(
            Criterion("Revenue", "Revenue with us", 60,
                      FigureMeasure(figure, "higher", thresholds)),
            Criterion("Relationship", "How well we work together", 40,
                      JudgementMeasure(("a", "b", "c", "d", "e"), {first: 5, second: 2})),
        ),
        cutoff=Cutoff("top_n", 3),
        justification=justification,
        kpis=(
            Kpi("Revenue growth", "Year on year", "%", "+10%", "quarterly", "ERP",
                "revenue_growth"),
            Kpi("On time in full", "Orders complete and on time", "%", "95", "monthly", "WMS",
                "on_time"),
            Kpi("Gross margin", "Margin after rebates", "%", "30", "quarterly", "Finance",
                "profit_growth"),
        ),
    )


def submitted_workshop(justification: str = "Growth and profit first.") -> Workshop:
    """The workshop every seeded trainee hands in."""
    return complete_workshop(figure="revenue", first="huadong-fresh", second="shopnow",
                             thresholds=(10.0, 30.0, 60.0, 100.0), justification=justification)


def create_database(path: Path) -> None:
    """Create the schema, as the app does at start-up."""
    migrate(path)


def seed_trainer(path: Path) -> int:
    """Create the benchmark trainer (once) and return their id."""
    with _transaction(path) as db:
        row = db.execute("SELECT id FROM users WHERE email = ?", [TRAINER_EMAIL]).fetchone()
        if row:
            return row[0]
        return db.execute(
            "INSERT INTO users (email, name, password_hash, role) VALUES (?, ?, ?, 'trainer')",
            [TRAINER_EMAIL, "Bench Trainer", _shared_hash()],
        ).lastrowid


def seed_cohort(path: Path, name: str, trainees: int, *, with_progress: bool = False) -> Cohort:
    """Create a cohort of the benchmark trainer with `trainees` accounts.

    With progress, the trainees have read pages, taken the quiz, submitted the workshop and
    some have a released grade, in a realistic mix, so the dashboard has work to do.
    """
    trainer_id = seed_trainer(path)
    code = "KAM-" + name.upper().replace(" ", "-")
    password_hash = _shared_hash()
    workshop = json.dumps(submitted_workshop().to_dict(), ensure_ascii=False)
    with _transaction(path) as db:
        cohort_id = db.execute("INSERT INTO cohorts (name, join_code) VALUES (?, ?)",
                               [name, code]).lastrowid
        db.execute("INSERT INTO cohort_trainers (cohort_id, user_id) VALUES (?, ?)",
                   [cohort_id, trainer_id])
        slug = code.lower()
        emails = tuple(f"{slug}-{number:04d}@example.com" for number in range(trainees))
        for number, email in enumerate(emails):
            user_id = db.execute(
                """INSERT INTO users (email, name, password_hash, role, cohort_id)
                   VALUES (?, ?, ?, 'trainee', ?)""",
                [email, f"Trainee {number:04d} 学员", password_hash, cohort_id],
            ).lastrowid
            if with_progress:
                _seed_progress(db, number, user_id, cohort_id, trainer_id, workshop)
    return Cohort(cohort_id, code, emails)


def _seed_progress(db: sqlite3.Connection, number: int, user_id: int, cohort_id: int,
                   trainer_id: int, workshop: str) -> None:
    pages = page_ids()[: number % (len(page_ids()) + 1)]
    db.executemany("INSERT INTO page_views (user_id, page_id) VALUES (?, ?)",
                   [(user_id, page) for page in pages])
    if number % 3:
        db.execute(
            """INSERT INTO quiz_attempts (user_id, token, submitted_at, lang, earned, possible,
                                          percent)
               VALUES (?, ?, '2026-11-26T10:00:00.000Z', 'en', ?, 10, ?)""",
            [user_id, f"bench-{user_id}", number % 11, (number % 11) * 10],
        )
    if number % 2 == 0:
        submission_id = db.execute(
            """INSERT INTO workshop_submissions (user_id, cohort_id, version, status, workshop,
                                                 lang, submitted_at, status_changed_at)
               VALUES (?, ?, 1, ?, ?, 'en', '2026-11-26T10:00:00Z', '2026-11-26T10:00:00Z')""",
            [user_id, cohort_id, "released" if number % 4 == 0 else "submitted", workshop],
        ).lastrowid
        if number % 4 == 0:
            db.execute(
                """INSERT INTO grades (submission_id, cohort_id, trainee_id, version, total,
                                       outcome, saved_by, decided_by)
                   VALUES (?, ?, ?, 1, 70, 'released', ?, ?)""",
                [submission_id, cohort_id, user_id, trainer_id, trainer_id],
            )
    else:
        db.execute(
            """INSERT INTO workshop_drafts (user_id, cohort_id, revision, workshop, updated_at)
               VALUES (?, ?, 3, ?, '2026-11-26T10:00:00Z')""",
            [user_id, cohort_id, workshop],
        )


@cache
def _shared_hash() -> str:
    return generate_password_hash(PASSWORD)


@contextmanager
def _transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """Run the block as one transaction on a connection of its own."""
    conn = sqlite3.connect(str(path), timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        with conn:
            yield conn
    finally:
        conn.close()


@cache
def page_ids() -> tuple[str, ...]:
    """Return the module's page ids in order."""
    course, errors = load_course(PROJECT_ROOT / "content")
    if errors:
        raise RuntimeError(f"the content does not load: {errors[0]}")
    return tuple(course.page_ids())
