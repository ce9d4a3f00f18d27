"""The live session's tables: sessions, their questions, who joined, and the answers."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("courseware.live")


@migrations(name="0008_live_sessions")
def _live_sessions(db: Database) -> None:
    # `version` counts what every screen shows (the open question, a reveal, a hidden answer,
    # the end); `answers_version` counts stored answers, which only the trainer's screens
    # show before a reveal. Phones poll against the first, the projector against both.
    # A code is unique among running sessions only: an ended session's code opens nothing.
    db.executescript(
        """
        CREATE TABLE live_sessions (
            id INTEGER PRIMARY KEY,
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
            trainer_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            code TEXT NOT NULL COLLATE NOCASE,
            allow_guests INTEGER NOT NULL DEFAULT 0,
            projector_lang TEXT NOT NULL DEFAULT 'both'
                CHECK (projector_lang IN ('en', 'zh', 'both')),
            current_question_id INTEGER,
            version INTEGER NOT NULL DEFAULT 1,
            answers_version INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            ended_at TEXT
        );
        CREATE INDEX live_sessions_cohort ON live_sessions(cohort_id);
        CREATE UNIQUE INDEX live_sessions_running_code ON live_sessions(code)
            WHERE ended_at IS NULL;
        CREATE TABLE live_questions (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL
                CHECK (kind IN ('single', 'multiple', 'text', 'points', 'ranking')),
            source TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'open', 'closed')),
            revealed INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX live_questions_session ON live_questions(session_id, position);
        CREATE TABLE live_participants (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
            nickname TEXT,
            joined_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (session_id, user_id)
        );
        CREATE TABLE live_answers (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL REFERENCES live_questions(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES live_participants(id) ON DELETE CASCADE,
            client_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            hidden INTEGER NOT NULL DEFAULT 0,
            answered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (question_id, participant_id)
        );
        CREATE TABLE live_answer_sends (
            question_id INTEGER NOT NULL REFERENCES live_questions(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES live_participants(id) ON DELETE CASCADE,
            client_id TEXT NOT NULL,
            PRIMARY KEY (question_id, participant_id, client_id)
        ) WITHOUT ROWID;
        """
    )
