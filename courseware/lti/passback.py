"""Grades for the platform's gradebook: queued in an outbox when they exist, sent, retried.

A score is written to `lti_outbox` in the same transaction that makes it (a quiz attempt
graded, a workshop grade released), so no score is lost when the platform is down; the
outbox is sent on the trainer's visit and by `flask lti outbox send`, and a failed send stays
with its error until a later send succeeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from courseware.db import fetch_all, utc_now
from courseware.lti import adapter
from courseware.lti.keys import ToolKey

QUIZ, WORKSHOP = "quiz", "workshop"
LINE_ITEM_LABELS = {QUIZ: "KAM quiz", WORKSHOP: "KAM workshop"}
LINE_ITEM_TAGS = {QUIZ: "kam-quiz", WORKSHOP: "kam-workshop"}
# At most this many rows per send: a trainer's page never waits on a long backlog.
SEND_BATCH = 50


def _contexts_of(db: Database, user_id: int) -> list[int]:
    """The platform courses that send this trainee's grades: those of the trainee's cohort
    on the platforms the trainee launched from."""
    rows = db.execute(
        """SELECT lti_contexts.id FROM users
           JOIN lti_contexts ON lti_contexts.cohort_id = users.cohort_id
           JOIN lti_platforms ON lti_platforms.id = lti_contexts.platform_id
           JOIN lti_accounts ON lti_accounts.user_id = users.id
                            AND lti_accounts.issuer = lti_platforms.issuer
           WHERE users.id = ? AND lti_contexts.lineitems_url IS NOT NULL""", [user_id]).fetchall()
    return [row[0] for row in rows]


def queue_quiz_best(db: Database, user_id: int) -> None:
    """Queue the trainee's best quiz score (of 100) for their platform courses, if any."""
    contexts = _contexts_of(db, user_id)
    if not contexts:
        return
    best = db.execute("SELECT MAX(percent) FROM quiz_attempts WHERE user_id = ? "
                      "AND submitted_at IS NOT NULL", [user_id]).fetchone()[0]
    if best is None:
        return
    for context in contexts:
        # A quiz is marked by the tool the moment it is handed in: complete and fully graded.
        _queue(db, context, user_id, QUIZ, float(best), 100.0, "Completed", "FullyGraded", 0.0)


def queue_workshop_grade(db: Database, submission_id: int, score_maximum: int, send_after: float) -> None:
    """Queue a released workshop grade; it is sent from `send_after`, when it can no longer be undone."""
    row = db.execute("SELECT trainee_id, total FROM grades WHERE submission_id = ? "
                     "AND outcome = 'released'", [submission_id]).fetchone()
    if row is None:
        return
    for context in _contexts_of(db, row[0]):
        _queue(db, context, row[0], WORKSHOP, float(row[1]), float(score_maximum),
               "Completed", "FullyGraded", send_after, submission_id)


def _queue(db: Database, context: int, user_id: int, activity: str, given: float, maximum: float,
           activity_progress: str, grading_progress: str, send_after: float,
           submission_id: int | None = None) -> None:
    # A newer score replaces an unsent older one of the same activity: the gradebook wants
    # the latest, and the platform keeps its own history of what it received.
    db.execute("DELETE FROM lti_outbox WHERE context_id = ? AND user_id = ? AND activity = ? "
               "AND sent_at IS NULL", [context, user_id, activity])
    db["lti_outbox"].insert({
        "context_id": context, "user_id": user_id, "activity": activity, "score_given": given,
        "score_maximum": maximum, "activity_progress": activity_progress,
        "grading_progress": grading_progress, "scored_at": utc_now(), "send_after": send_after,
        "submission_id": submission_id,
    }, alter=False)


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    waiting: int


def pending(db: Database, cohort_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Unsent scores (of these cohorts), with the trainee's name and the error of the last try."""
    rows = fetch_all(
        db,
        """SELECT lti_outbox.*, users.name AS trainee_name, lti_contexts.cohort_id,
                  lti_contexts.title AS context_title
           FROM lti_outbox JOIN users ON users.id = lti_outbox.user_id
           JOIN lti_contexts ON lti_contexts.id = lti_outbox.context_id
           WHERE lti_outbox.sent_at IS NULL ORDER BY lti_outbox.id""")
    if cohort_ids is None:
        return rows
    return [row for row in rows if row["cohort_id"] in cohort_ids]


def send_pending(db: Database, key: ToolKey, now: float, *, cohort_ids: list[int] | None = None,
                 write: Callable[[], Any]) -> SendReport:
    """Send what is due; record each success or error. `write` opens a write transaction.

    The network calls happen outside any transaction: a slow platform holds no lock.
    """
    sent = failed = waiting = 0
    for row in pending(db, cohort_ids)[:SEND_BATCH]:
        if row["activity"] == WORKSHOP and not _still_released(db, row):
            with write() as tx:  # undone within its window: there is nothing to send
                tx.execute("DELETE FROM lti_outbox WHERE id = ?", [row["id"]])
            continue
        if row["send_after"] > now:
            waiting += 1
            continue
        try:
            _send(db, key, row)
        except adapter.LtiError as error:
            failed += 1
            with write() as tx:
                tx.execute("UPDATE lti_outbox SET tries = tries + 1, last_error = ? WHERE id = ?",
                           [f"{error.kind}: {error.detail}"[:500], row["id"]])
            continue
        sent += 1
        with write() as tx:
            tx.execute("UPDATE lti_outbox SET tries = tries + 1, last_error = '', sent_at = ? "
                       "WHERE id = ?", [utc_now(), row["id"]])
    return SendReport(sent, failed, waiting)


def _still_released(db: Database, row: dict[str, Any]) -> bool:
    submission = row.get("submission_id")
    if submission is None:
        return True
    return db.execute("SELECT 1 FROM grades WHERE submission_id = ? AND outcome = 'released'",
                      [submission]).fetchone() is not None


def _send(db: Database, key: ToolKey, row: dict[str, Any]) -> None:
    context = fetch_all(
        db, """SELECT lti_contexts.*, lti_platforms.issuer, lti_platforms.client_id,
                      lti_platforms.auth_login_url, lti_platforms.auth_token_url,
                      lti_platforms.key_set_url
               FROM lti_contexts JOIN lti_platforms ON lti_platforms.id = lti_contexts.platform_id
               WHERE lti_contexts.id = ?""", [row["context_id"]])[0]
    platform = adapter.PlatformRecord(context["issuer"], context["client_id"],
                                      context["auth_login_url"], context["auth_token_url"],
                                      context["key_set_url"], ())
    sub = db.execute("SELECT sub FROM lti_accounts WHERE user_id = ? AND issuer = ?",
                     [row["user_id"], context["issuer"]]).fetchone()
    if sub is None:
        raise adapter.LtiError("invalid", "the trainee has no account on this platform")
    scopes = context["ags_scopes"].split()
    if adapter.SCORE_SCOPE not in scopes:
        raise adapter.LtiError("refused", "the platform did not grant the score scope")
    line_item = _line_item(db, key, platform, context, row["activity"], row["score_maximum"], scopes)
    adapter.send_score(platform, key, lineitem_url=line_item, scopes=scopes, score=adapter.Score(
        user_sub=sub[0], score_given=row["score_given"], score_maximum=row["score_maximum"],
        activity_progress=row["activity_progress"], grading_progress=row["grading_progress"],
        timestamp=row["scored_at"]))


def _line_item(db: Database, key: ToolKey, platform: adapter.PlatformRecord, context: dict[str, Any],
               activity: str, maximum: float, scopes: list[str]) -> str:
    stored = db.execute("SELECT url FROM lti_line_items WHERE context_id = ? AND activity = ?",
                        [context["id"], activity]).fetchone()
    if stored:
        return stored[0]
    url = adapter.find_or_create_line_item(
        platform, key, lineitems_url=context["lineitems_url"], scopes=scopes,
        tag=LINE_ITEM_TAGS[activity], label=LINE_ITEM_LABELS[activity], score_maximum=maximum)
    with db.conn:
        db.execute("INSERT OR REPLACE INTO lti_line_items VALUES (?, ?, ?)",
                   [context["id"], activity, url])
    return url
