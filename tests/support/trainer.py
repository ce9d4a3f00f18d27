"""Helpers for the trainer tests: submissions made through the workshop store, grading posts."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bench.seed import complete_workshop
from courseware.auth.users import create_user
from courseware.db import connect
from courseware.loaded_course import get_course
from courseware.workshop.model import Workshop
from courseware.workshop.store import submit


def sample_workshop(app: Flask, justification: str = "Focus on growth.") -> Workshop:
    """Return a complete workshop that uses the case's first figure and first candidates."""
    with app.app_context():
        case = get_course().areas["workshop"].in_lang("en")
    figure = case.figures[0].id
    first, second = case.candidates[0].id, case.candidates[1].id
    return complete_workshop(figure=figure, first=first, second=second,
                             thresholds=(1.0, 2.0, 3.0, 4.0), justification=justification)


def hand_in(app: Flask, user_id: int, cohort_id: int, **workshop_args: Any) -> int:
    """Submit the trainee's next version through the workshop store; return its id."""
    db = connect(app.config["DATABASE"])
    try:
        row = db.execute(
            "SELECT coalesce(max(version), 0) FROM workshop_submissions WHERE user_id = ?",
            [user_id],
        ).fetchone()
        with db.conn:
            submission = submit(db, user_id=user_id, cohort_id=cohort_id,
                                workshop=sample_workshop(app, **workshop_args), lang="en",
                                base_version=row[0], revision=0)
        return submission.id
    finally:
        db.close()


def add_numbered_trainees(app: Flask, cohort_id: int, count: int) -> None:
    """Add trainees T001, T002, ... whose best quiz score grows with their number (0.4 % each)."""
    db = connect(app.config["DATABASE"])
    try:
        with db.conn:
            for n in range(1, count + 1):
                user_id = create_user(db, email=f"t{n:03d}@example.com", name=f"T{n:03d}",
                                      role="trainee", cohort_id=cohort_id,
                                      password_hash="not-used-to-sign-in")
                db["quiz_attempts"].insert({
                    "user_id": user_id, "token": f"tok-{user_id}", "submitted_at": "2026-01-01",
                    "lang": "en", "earned": 0.4 * n, "possible": 100, "percent": 0.4 * n,
                })
    finally:
        db.close()


def grading_url(lang: str, cohort_id: int, submission_id: int) -> str:
    return f"/{lang}/trainer/cohorts/{cohort_id}/submissions/{submission_id}/"


def full_levels(app: Flask, lang: str = "en", index: int = 2) -> dict[str, str]:
    """Return form fields choosing the level at `index` for every rubric criterion."""
    with app.app_context():
        rubric = get_course().areas["rubric"].get(lang)
    return {f"level-{c.id}": str(c.levels[index].points) for c in rubric.criteria}


def post_grade(client: FlaskClient, url: str, data: dict[str, Any], revision: int | None = None,
               confirm: bool = True, **kwargs: Any):
    """Post the grading form with (by default) the revision its page shows.

    A release or return asks for confirmation; with `confirm` the helper answers "yes" as the
    trainer would, on the page that asks.
    """
    html = client.get(url).get_data(as_text=True)
    if revision is None:
        revision = _shown_revision(html)
    response = client.post(url, data={"revision": revision, **data}, **kwargs)
    location = response.headers.get("Location", "")
    if confirm and response.status_code == 302 and "confirm=" in location:
        asking = client.get(location).get_data(as_text=True)
        confirmed = {**data, "action": f"confirm-{data['action']}",
                     "revision": _shown_revision(asking)}
        response = client.post(url, data=confirmed, **kwargs)
    return response


def _shown_revision(html: str) -> int:
    match = re.search(r'name="revision" value="(\d+)"', html)
    return int(match.group(1)) if match else 0
