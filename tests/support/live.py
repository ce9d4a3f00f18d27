"""Helpers for the live-session tests: a running session with questions, made as the trainer would."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from courseware.db import connect
from courseware.live import store
from courseware.live.questions import LiveOption, LiveQuestion

CHOICE = LiveQuestion("single", {"en": "Which is a key account?", "zh": "哪个是大客户？"},
                      (LiveOption("a", {"en": "Alpha", "zh": "甲"}, True),
                       LiveOption("b", {"en": "Beta", "zh": "乙"})),
                      {"en": "Alpha meets the criteria.", "zh": "甲符合标准。"})
TEXT = LiveQuestion("text", {"en": "What is key account management?", "zh": "什么是大客户管理？"},
                    (), {"en": "A management process.", "zh": "一个管理流程。"})


@dataclass(frozen=True)
class Running:
    session_id: int
    code: str
    choice_id: int
    text_id: int


def running_session(app: Flask, cohort_id: int, trainer_id: int, *, guests: bool = False,
                    open_first: bool = True) -> Running:
    """A session of the cohort with a choice and an open-text question, the first one open."""
    db = connect(app.config["DATABASE"])
    try:
        with db.conn:
            session_id = store.start_session(db, cohort_id=cohort_id, trainer_id=trainer_id,
                                             allow_guests=guests)
            choice = store.add_question(db, session_id, CHOICE, "test")
            text = store.add_question(db, session_id, TEXT, "test")
            if open_first:
                store.open_question(db, session_id, choice)
        code = db.execute("SELECT code FROM live_sessions WHERE id = ?", [session_id]).fetchone()[0]
    finally:
        db.close()
    return Running(session_id, code, choice, text)


def count(app: Flask, sql: str, params: tuple = ()) -> int:
    db = connect(app.config["DATABASE"])
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


SECOND_TRAINEE = {"email": "second@example.com", "password": "second-pass-123", "name": "Sue Second"}


def add_second_trainee(app: Flask, cohort_id: int) -> dict[str, str]:
    """Another trainee in the cohort, who signs in with SECOND_TRAINEE's password."""
    from courseware.auth.users import create_user

    db = connect(app.config["DATABASE"])
    try:
        with app.app_context(), db.conn:  # the app's hash method, fast under test
            create_user(db, role="trainee", cohort_id=cohort_id, **SECOND_TRAINEE)
    finally:
        db.close()
    return SECOND_TRAINEE


def answer_in_session(app: Flask, session_id: int, question_id: int, answers: list) -> None:
    """Store each (user id or guest nickname, answer) pair as that person's phone would."""
    db = connect(app.config["DATABASE"])
    try:
        with db.conn:
            question = store.question_of_session(db, session_id, question_id)
            for n, (person, answer) in enumerate(answers):
                participant = (store.participant_of_user(db, session_id, person)
                               if isinstance(person, int) else store.add_guest(db, session_id, person))
                store.record_answer(db, session_id, question, participant, f"send-{n:04d}", answer)
    finally:
        db.close()


def criteria_session(app: Flask, cohort_id: int, trainer_id: int, answers: list) -> Running:
    """A session whose ready-made criteria question is open and answered: (person, points) pairs."""
    from courseware.live.questions import CRITERIA_SOURCE, criteria_question
    from courseware.workshop.presentation import case_in

    live = running_session(app, cohort_id, trainer_id, guests=True, open_first=False)
    with app.app_context():
        question = criteria_question(
            {"en": "How much should each criterion weigh?", "zh": "每项标准应占多少权重？"},
            {lang: case_in(lang).figures for lang in ("en", "zh")})
    db = connect(app.config["DATABASE"])
    try:
        with db.conn:
            question_id = store.add_question(db, live.session_id, question, CRITERIA_SOURCE)
            store.open_question(db, live.session_id, question_id)
    finally:
        db.close()
    answer_in_session(app, live.session_id, question_id, answers)
    return live
