"""Quiz attempts in the database: every function takes the connection, none commits.

Callers wrap writes in `courseware.db.write()` so that checking the one-time attempt token
and recording the attempt happen in the same BEGIN IMMEDIATE transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from sqlite_utils import Database

from courseware.quiz.scoring import Answer, Grade, collect_answers
from courseware.quiz.statistics import QuizSummary

__all__ = ["AnswerRefused", "Attempt", "QuizSummary", "best_scores"]

NO_ITEM = ""  # item_id of a choice question's answer rows; matching rows name the item


class Attempt(NamedTuple):
    """One quiz attempt (a named tuple: the quiz page reads its attempt on every view)."""

    id: int
    user_id: int
    token: str
    started_at: str
    submitted_at: str | None
    lang: str | None
    earned: float | None
    possible: int | None
    percent: float | None

    @property
    def is_submitted(self) -> bool:
        """Return True once the attempt has been graded."""
        return self.submitted_at is not None

    def passes(self, pass_mark: float) -> bool:
        """Return True if the graded attempt reaches the pass mark."""
        return self.percent is not None and self.percent >= pass_mark


class AnswerRefused(Exception):
    """One answer was not saved: `reason` is "missing", "submitted" or "stale" (wrong token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CohortAttempt:
    attempt_id: int
    user_id: int
    answers: dict[str, Answer]


def best_scores(db: Database, cohort_id: int) -> dict[int, QuizSummary]:
    """Return each trainee's best score, pass and attempt count in the cohort, in one query."""
    rows = db.execute(
        """
        SELECT quiz_attempts.user_id, MAX(quiz_attempts.percent), COUNT(*), cohorts.pass_mark
        FROM quiz_attempts
        JOIN users ON users.id = quiz_attempts.user_id
        JOIN cohorts ON cohorts.id = users.cohort_id
        WHERE users.cohort_id = ? AND quiz_attempts.submitted_at IS NOT NULL
        GROUP BY quiz_attempts.user_id
        """,
        [cohort_id],
    ).fetchall()
    return {
        user_id: QuizSummary(best, best >= pass_mark, count)
        for user_id, best, count, pass_mark in rows
    }


def start_attempt(db: Database, user_id: int) -> Attempt:
    """Return the user's unsubmitted attempt, creating one with a fresh token if there is none."""
    current = open_attempt(db, user_id)
    if current is not None:
        return current
    attempt_id = db.execute(
        "INSERT INTO quiz_attempts (user_id, token) VALUES (?, ?)",
        [user_id, secrets.token_urlsafe(24)],
    ).lastrowid
    return _attempts(db, "WHERE id = ?", [attempt_id])[0]


def open_attempt(db: Database, user_id: int) -> Attempt | None:
    """Return the user's attempt in progress, if any."""
    found = _attempts(db, "WHERE user_id = ? AND submitted_at IS NULL", [user_id])
    return found[0] if found else None


def is_open(db: Database, attempt_id: int) -> bool:
    """Return True while the attempt has not been submitted."""
    row = db.execute(
        "SELECT 1 FROM quiz_attempts WHERE id = ? AND submitted_at IS NULL", [attempt_id]
    ).fetchone()
    return row is not None


def attempt_of(db: Database, attempt_id: int, user_id: int) -> Attempt | None:
    """Return the attempt if it belongs to this user."""
    found = _attempts(db, "WHERE id = ? AND user_id = ?", [attempt_id, user_id])
    return found[0] if found else None


def attempt_in_cohort(db: Database, attempt_id: int, cohort_id: int) -> Attempt | None:
    """Return the submitted attempt if a trainee of the cohort made it."""
    found = _attempts(
        db,
        "WHERE id = ? AND submitted_at IS NOT NULL AND user_id IN"
        " (SELECT id FROM users WHERE cohort_id = ? AND role = 'trainee')",
        [attempt_id, cohort_id],
    )
    return found[0] if found else None


def submitted_attempts(db: Database, user_id: int) -> list[Attempt]:
    """Return the user's graded attempts, newest first."""
    return _attempts(
        db,
        "WHERE user_id = ? AND submitted_at IS NOT NULL ORDER BY submitted_at DESC, id DESC",
        [user_id],
    )


def stored_answers(db: Database, attempt_id: int) -> dict[str, Answer]:
    """Return the answers saved for an attempt, keyed by question id."""
    rows = db.execute(
        "SELECT question_id, item_id, option_id FROM quiz_answers WHERE attempt_id = ?",
        [attempt_id],
    ).fetchall()
    return _answers_from_rows(rows)


def save_answers(db: Database, attempt_id: int, answers: Mapping[str, Answer],
                 seq: int = 0) -> None:
    """Replace the answers saved for an unsubmitted attempt, as of the page's change `seq`."""
    db.execute("DELETE FROM quiz_answers WHERE attempt_id = ?", [attempt_id])
    db.execute("DELETE FROM quiz_answer_changes WHERE attempt_id = ?", [attempt_id])
    if seq:
        db.conn.executemany(
            "INSERT INTO quiz_answer_changes (attempt_id, question_id, seq) VALUES (?, ?, ?)",
            [(attempt_id, question_id, seq) for question_id in answers])
    rows = [
        (attempt_id, question_id, item_id, option_id)
        for question_id, answer in answers.items()
        for item_id, option_id in [
            *((NO_ITEM, option_id) for option_id in sorted(answer.chosen)),
            *answer.matches,
        ]
    ]
    # The raw connection: sqlite-utils' table helpers would commit the caller's transaction.
    db.conn.executemany(
        "INSERT INTO quiz_answers (attempt_id, question_id, item_id, option_id) VALUES (?, ?, ?, ?)",
        rows,
    )


def save_answer(db: Database, attempt_id: int, token: str, question_id: str,
                answer: Answer, seq: int = 0) -> dict[str, Answer]:
    """Replace one question's saved answer in an open attempt; return all its saved answers.

    Call it inside `write()`: the attempt is checked open and its token checked in the same
    transaction as the write, so an answer can never land in a submitted attempt. Raises
    AnswerRefused, changing nothing, if the attempt is gone, submitted or has another token.
    An answer from an earlier change (`seq`) than the one saved is left out: it arrived late.
    """
    row = db.execute(
        "SELECT token, submitted_at FROM quiz_attempts WHERE id = ?", [attempt_id]
    ).fetchone()
    if row is None:
        raise AnswerRefused("missing")
    if row[1] is not None:
        raise AnswerRefused("submitted")
    if not secrets.compare_digest(row[0].encode(), token.encode()):
        raise AnswerRefused("stale")
    if seq:
        later = db.execute(
            "SELECT 1 FROM quiz_answer_changes WHERE attempt_id = ? AND question_id = ? AND seq >= ?",
            [attempt_id, question_id, seq]).fetchone()
        if later:
            return stored_answers(db, attempt_id)
        db.execute(
            """INSERT INTO quiz_answer_changes (attempt_id, question_id, seq) VALUES (?, ?, ?)
               ON CONFLICT (attempt_id, question_id) DO UPDATE SET seq = excluded.seq""",
            [attempt_id, question_id, seq])
    db.execute("DELETE FROM quiz_answers WHERE attempt_id = ? AND question_id = ?",
               [attempt_id, question_id])
    rows = [(attempt_id, question_id, NO_ITEM, option_id) for option_id in sorted(answer.chosen)]
    rows += [(attempt_id, question_id, item_id, option_id) for item_id, option_id in answer.matches]
    # The raw connection: sqlite-utils' table helpers would commit the caller's transaction.
    db.conn.executemany(
        "INSERT INTO quiz_answers (attempt_id, question_id, item_id, option_id) VALUES (?, ?, ?, ?)",
        rows,
    )
    return stored_answers(db, attempt_id)


def record_submission(
    db: Database,
    attempt_id: int,
    token: str,
    answers: Mapping[str, Answer],
    grade: Grade,
    lang: str,
) -> bool:
    """Grade the attempt once: return False, changing nothing, if the token was already used."""
    claimed = db.execute(
        """UPDATE quiz_attempts
           SET submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), lang = ?,
               earned = ?, possible = ?, percent = ?
           WHERE id = ? AND token = ? AND submitted_at IS NULL""",
        [lang, float(grade.earned), grade.possible, grade.percent, attempt_id, token],
    ).rowcount
    if claimed != 1:
        return False
    save_answers(db, attempt_id, answers)
    return True


def cohort_attempts(db: Database, cohort_id: int) -> list[CohortAttempt]:
    """Return every graded attempt of the cohort's trainees with its answers, in two queries."""
    attempts = db.execute(
        """SELECT quiz_attempts.id, quiz_attempts.user_id FROM quiz_attempts
           JOIN users ON users.id = quiz_attempts.user_id
           WHERE users.cohort_id = ? AND quiz_attempts.submitted_at IS NOT NULL
           ORDER BY quiz_attempts.id""",
        [cohort_id],
    ).fetchall()
    rows = db.execute(
        """SELECT quiz_answers.attempt_id, quiz_answers.question_id, quiz_answers.item_id,
                  quiz_answers.option_id
           FROM quiz_answers
           JOIN quiz_attempts ON quiz_attempts.id = quiz_answers.attempt_id
           JOIN users ON users.id = quiz_attempts.user_id
           WHERE users.cohort_id = ? AND quiz_attempts.submitted_at IS NOT NULL""",
        [cohort_id],
    ).fetchall()
    by_attempt: dict[int, list[tuple[str, str, str]]] = {}
    for attempt_id, question_id, item_id, option_id in rows:
        by_attempt.setdefault(attempt_id, []).append((question_id, item_id, option_id))
    return [
        CohortAttempt(attempt_id, user_id, _answers_from_rows(by_attempt.get(attempt_id, [])))
        for attempt_id, user_id in attempts
    ]


def best_score_dates(db: Database, cohort_id: int) -> dict[int, str]:
    """Return when each trainee of the cohort first reached their best score, in one query."""
    rows = db.execute(
        """SELECT attempt.user_id, min(attempt.submitted_at) FROM quiz_attempts AS attempt
           JOIN users ON users.id = attempt.user_id
           WHERE users.cohort_id = ? AND attempt.submitted_at IS NOT NULL
             AND attempt.percent = (SELECT max(percent) FROM quiz_attempts
                                    WHERE user_id = attempt.user_id AND submitted_at IS NOT NULL)
           GROUP BY attempt.user_id""",
        [cohort_id],
    ).fetchall()
    return dict(rows)


def cohort_attempt_details(db: Database, cohort_id: int) -> list[tuple[Attempt, str, str]]:
    """Return every graded attempt of the cohort with its trainee's name and email.

    In order of the trainees' names, then of the attempts.
    """
    rows = db.execute(
        f"""SELECT {", ".join("quiz_attempts." + name for name in Attempt._fields)},
                   users.name, users.email
            FROM quiz_attempts JOIN users ON users.id = quiz_attempts.user_id
            WHERE users.cohort_id = ? AND users.role = 'trainee'
              AND quiz_attempts.submitted_at IS NOT NULL
            ORDER BY users.name, users.id, quiz_attempts.submitted_at, quiz_attempts.id""",  # noqa: S608 # nosec B608: column names of our own
        [cohort_id],
    ).fetchall()
    width = len(Attempt._fields)
    return [(Attempt(*row[:width]), row[width], row[width + 1]) for row in rows]


def cohort_trainees(db: Database, cohort_id: int) -> list[tuple[int, str]]:
    """Return (user id, name) of the cohort's trainees, by name."""
    return [
        (row[0], row[1])
        for row in db.execute(
            "SELECT id, name FROM users WHERE cohort_id = ? AND role = 'trainee' ORDER BY name, id",
            [cohort_id],
        ).fetchall()
    ]


_ATTEMPT_COLUMNS = ", ".join(Attempt._fields)


def _attempts(db: Database, where: str, params: list[object]) -> list[Attempt]:
    """Return the attempts the clause after FROM quiz_attempts picks (WHERE, ORDER BY...)."""
    sql = f"SELECT {_ATTEMPT_COLUMNS} FROM quiz_attempts {where}"  # noqa: S608 # nosec B608: our clauses
    return [Attempt(*row) for row in db.execute(sql, params).fetchall()]


def _answers_from_rows(rows: list[tuple[str, str, str]]) -> dict[str, Answer]:
    chosen: dict[str, set[str]] = {}
    pairs: dict[str, dict[str, str]] = {}
    for question_id, item_id, option_id in rows:
        if item_id == NO_ITEM:
            chosen.setdefault(question_id, set()).add(option_id)
        else:
            pairs.setdefault(question_id, {})[item_id] = option_id
    return collect_answers(chosen, pairs)
