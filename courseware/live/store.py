"""Live sessions in the database: starting, running and ending one; who joined; answers."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from courseware.db import fetch_all, utc_now
from courseware.live.questions import LiveQuestion, from_body, to_body
from courseware.trainer.cohorts import CODE_ALPHABET

# Six characters of the cohorts' alphabet (no 0/O, 1/I/L): 31**6 is about 887 million codes
# against the 20 wrong codes an address may try in 15 minutes, short enough to type from a
# projector, and a code opens nothing once its session ends.
CODE_LENGTH = 6


def new_session_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_session_code(text: str) -> str:
    """The code as stored: capitals, without the spaces and hyphens people type in it."""
    return "".join(text.split()).replace("-", "").upper()


def start_session(db: Database, *, cohort_id: int, trainer_id: int, allow_guests: bool) -> int:
    code = new_session_code()
    while running_session_by_code(db, code) is not None:
        code = new_session_code()
    return db["live_sessions"].insert({
        "cohort_id": cohort_id, "trainer_id": trainer_id, "code": code,
        "allow_guests": int(allow_guests),
    }).last_pk


def session_row(db: Database, session_id: int) -> dict[str, Any] | None:
    rows = fetch_all(db, "SELECT * FROM live_sessions WHERE id = ?", [session_id])
    return rows[0] if rows else None


def running_session_by_code(db: Database, code: str) -> dict[str, Any] | None:
    rows = fetch_all(db, "SELECT * FROM live_sessions WHERE code = ? AND ended_at IS NULL",
                     [normal_session_code(code)])
    return rows[0] if rows else None


def sessions_of_cohort(db: Database, cohort_id: int) -> list[dict[str, Any]]:
    return fetch_all(db, """
        SELECT live_sessions.*, (SELECT count(*) FROM live_questions
                                 WHERE session_id = live_sessions.id) AS questions
        FROM live_sessions WHERE cohort_id = ? ORDER BY id DESC""", [cohort_id])


def _bump(db: Database, session_id: int, *, answers: bool = False) -> None:
    column = "answers_version" if answers else "version"
    db.execute(f"UPDATE live_sessions SET {column} = {column} + 1 WHERE id = ?",  # noqa: S608 # nosec B608: one of two names
               [session_id])


@dataclass(frozen=True)
class StoredQuestion:
    id: int
    position: int
    kind: str
    source: str
    state: str  # ready, open, closed
    revealed: bool
    question: LiveQuestion


def _stored(row: dict[str, Any]) -> StoredQuestion:
    return StoredQuestion(row["id"], row["position"], row["kind"], row["source"], row["state"],
                          bool(row["revealed"]), from_body(row["kind"], row["body"]))


def questions_of_session(db: Database, session_id: int) -> list[StoredQuestion]:
    return [_stored(row) for row in fetch_all(
        db, "SELECT * FROM live_questions WHERE session_id = ? ORDER BY position", [session_id])]


def question_of_session(db: Database, session_id: int, question_id: int) -> StoredQuestion | None:
    rows = fetch_all(db, "SELECT * FROM live_questions WHERE id = ? AND session_id = ?",
                     [question_id, session_id])
    return _stored(rows[0]) if rows else None


def add_question(db: Database, session_id: int, question: LiveQuestion, source: str) -> int:
    position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM live_questions"
                          " WHERE session_id = ?", [session_id]).fetchone()[0]
    question_id = db["live_questions"].insert({
        "session_id": session_id, "position": position, "kind": question.kind,
        "source": source, "body": to_body(question),
    }).last_pk
    _bump(db, session_id)
    return question_id


def open_question(db: Database, session_id: int, question_id: int) -> None:
    """Show this question to the room: the one open before closes, answers so far are kept."""
    db.execute("UPDATE live_questions SET state = 'closed' WHERE session_id = ? AND state = 'open'",
               [session_id])
    db.execute("UPDATE live_questions SET state = 'open', revealed = 0 WHERE id = ?", [question_id])
    db.execute("UPDATE live_sessions SET current_question_id = ? WHERE id = ?",
               [question_id, session_id])
    _bump(db, session_id)


def close_question(db: Database, session_id: int, question_id: int) -> None:
    db.execute("UPDATE live_questions SET state = 'closed' WHERE id = ? AND state = 'open'",
               [question_id])
    _bump(db, session_id)


def reveal_question(db: Database, session_id: int, question_id: int) -> None:
    """Show the room's results and the answer; answering ends, so the results stay as shown."""
    db.execute("UPDATE live_questions SET state = 'closed', revealed = 1 WHERE id = ?",
               [question_id])
    _bump(db, session_id)


def set_projector_lang(db: Database, session_id: int, lang: str) -> None:
    db.execute("UPDATE live_sessions SET projector_lang = ? WHERE id = ?", [lang, session_id])
    _bump(db, session_id)


def set_guests(db: Database, session_id: int, allowed: bool) -> None:
    db.execute("UPDATE live_sessions SET allow_guests = ? WHERE id = ?", [int(allowed), session_id])
    _bump(db, session_id)


def end_session(db: Database, session_id: int) -> None:
    db.execute("UPDATE live_questions SET state = 'closed' WHERE session_id = ? AND state = 'open'",
               [session_id])
    db.execute("UPDATE live_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
               [utc_now(), session_id])
    _bump(db, session_id)


def hide_answer(db: Database, session_id: int, answer_id: int, hidden: bool) -> bool:
    """Hide (or show again) an open answer on the board; False when the session has no such answer."""
    cursor = db.execute(
        """UPDATE live_answers SET hidden = ? WHERE id = ? AND question_id IN
           (SELECT id FROM live_questions WHERE session_id = ?)""",
        [int(hidden), answer_id, session_id])
    if cursor.rowcount:
        _bump(db, session_id)
        _bump(db, session_id, answers=True)
    return bool(cursor.rowcount)


def participant_of_user(db: Database, session_id: int, user_id: int) -> int:
    """The signed-in trainee's place in the session, made on their first visit."""
    row = db.execute("SELECT id FROM live_participants WHERE session_id = ? AND user_id = ?",
                     [session_id, user_id]).fetchone()
    if row:
        return row[0]
    return db["live_participants"].insert({"session_id": session_id, "user_id": user_id}).last_pk


def add_guest(db: Database, session_id: int, nickname: str) -> int:
    return db["live_participants"].insert({"session_id": session_id,
                                           "nickname": nickname}).last_pk


def participant(db: Database, session_id: int, participant_id: int) -> dict[str, Any] | None:
    rows = fetch_all(db, "SELECT * FROM live_participants WHERE id = ? AND session_id = ?",
                     [participant_id, session_id])
    return rows[0] if rows else None


def record_answer(db: Database, session_id: int, question: StoredQuestion, participant_id: int,
                  client_id: str, answer: Any) -> str:
    """Store an answer once: 'stored', 'repeat' (this send landed before) or 'closed'.

    Every send carries an id its phone made; a send seen before changes nothing, so a phone
    that resends after a lost reply, or a late copy of an earlier answer, never counts twice
    nor undoes a newer answer.
    """
    seen = db.execute("SELECT 1 FROM live_answer_sends WHERE question_id = ? AND participant_id = ?"
                      " AND client_id = ?", [question.id, participant_id, client_id]).fetchone()
    if seen:
        return "repeat"
    if question.state != "open":
        return "closed"
    db.execute("INSERT INTO live_answer_sends (question_id, participant_id, client_id)"
               " VALUES (?, ?, ?)", [question.id, participant_id, client_id])
    db.execute(
        """INSERT INTO live_answers (question_id, participant_id, client_id, answer, answered_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (question_id, participant_id) DO UPDATE SET
             client_id = excluded.client_id, answer = excluded.answer,
             answered_at = excluded.answered_at""",
        [question.id, participant_id, client_id, json.dumps(answer, ensure_ascii=False),
         utc_now()])
    _bump(db, session_id, answers=True)
    return "stored"


def answers_of_question(db: Database, question_id: int, *,
                        with_hidden: bool = False) -> list[dict[str, Any]]:
    """Every answer to the question (guests' too: the room's results count the whole room)."""
    rows = fetch_all(db, """
        SELECT live_answers.id, answer, hidden, client_id, users.name, nickname
        FROM live_answers JOIN live_participants ON live_participants.id = participant_id
        LEFT JOIN users ON users.id = live_participants.user_id
        WHERE question_id = ? AND (? OR hidden = 0) ORDER BY live_answers.id""",
        [question_id, int(with_hidden)])
    for row in rows:
        row["answer"] = json.loads(row["answer"])
    return rows


def answer_count(db: Database, question_id: int) -> int:
    return db.execute("SELECT count(*) FROM live_answers WHERE question_id = ?",
                      [question_id]).fetchone()[0]


def my_answer(db: Database, question_id: int, participant_id: int) -> dict[str, Any] | None:
    rows = fetch_all(db, "SELECT client_id, answer FROM live_answers"
                         " WHERE question_id = ? AND participant_id = ?",
                     [question_id, participant_id])
    if not rows:
        return None
    return {"client_id": rows[0]["client_id"], "answer": json.loads(rows[0]["answer"])}


def answers_of_trainee(db: Database, trainee_id: int) -> list[dict[str, Any]]:
    """The trainee's live answers, newest session first (guests are never on a trainee's record)."""
    rows = fetch_all(db, """
        SELECT live_sessions.id AS session_id, live_sessions.created_at AS session_at,
               live_questions.position, live_questions.kind, live_questions.body,
               live_answers.answer, live_answers.answered_at
        FROM live_answers
        JOIN live_participants ON live_participants.id = live_answers.participant_id
        JOIN live_questions ON live_questions.id = live_answers.question_id
        JOIN live_sessions ON live_sessions.id = live_questions.session_id
        WHERE live_participants.user_id = ?
        ORDER BY live_sessions.id DESC, live_questions.position""", [trainee_id])
    for row in rows:
        row["question"] = from_body(row.pop("kind"), row.pop("body"))
        row["answer"] = json.loads(row["answer"])
    return rows


def trainee_answers_of_session(db: Database, session_id: int) -> list[dict[str, Any]]:
    """Every trainee's answers in the session, for the export; guests' answers stay out."""
    rows = fetch_all(db, """
        SELECT users.name, users.email, live_questions.position, live_questions.kind,
               live_questions.body, live_answers.answer, live_answers.answered_at
        FROM live_answers
        JOIN live_participants ON live_participants.id = live_answers.participant_id
        JOIN users ON users.id = live_participants.user_id
        JOIN live_questions ON live_questions.id = live_answers.question_id
        WHERE live_questions.session_id = ?
        ORDER BY live_questions.position, users.name""", [session_id])
    for row in rows:
        row["question"] = from_body(row.pop("kind"), row.pop("body"))
        row["answer"] = json.loads(row["answer"])
    return rows


def latest_points_answers(db: Database, cohort_id: int, source: str
                          ) -> tuple[StoredQuestion, list[dict[str, Any]]] | None:
    """The cohort's newest 100-point question from `source` that has answers, and its answers.

    Guests' answers count, as on the projector. A question added but not yet answered leaves
    the results of an earlier one in place, so the debrief keeps showing what the room said.
    """
    rows = fetch_all(db, """
        SELECT live_questions.* FROM live_questions
        JOIN live_sessions ON live_sessions.id = live_questions.session_id
        WHERE live_sessions.cohort_id = ? AND live_questions.kind = 'points'
          AND live_questions.source = ?
          AND EXISTS (SELECT 1 FROM live_answers WHERE question_id = live_questions.id)
        ORDER BY live_questions.id DESC LIMIT 1""", [cohort_id, source])
    if not rows:
        return None
    question = _stored(rows[0])
    return question, answers_of_question(db, question.id)
