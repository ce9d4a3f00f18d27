"""The trainee's feedback: released grades and work returned for revision, as the trainer wrote."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, g, render_template
from flask_login import current_user

from courseware.auth.access import role_required
from courseware.db import get_db, write
from courseware.i18n import current_language
from courseware.loaded_course import get_course
from courseware.trainer.grades import (
    grades_of_trainee,
    mark_feedback_seen,
    settled_before,
    unseen_feedback,
)
from courseware.trainer.submissions import versions_of_trainee

bp = Blueprint("feedback", __name__, url_prefix="/<lang>/feedback")


@bp.route("/")
@role_required("trainee")
def index() -> Any:
    """Show the trainee's own feedback, newest version first, rubric in the page's language."""
    db = get_db()
    grades = grades_of_trainee(db, current_user.id)
    items = []
    for version in versions_of_trainee(db, current_user.id):
        grade = grades.get(version["id"])
        # A draft grade stays the trainer's until they release or return the work.
        if grade is not None and grade.trainee_sees(decisions_settled_before()):
            items.append({**version, "grade": grade})
    rubric = get_course().areas["rubric"].get(current_language())
    news = feedback_news()
    if news is not None:
        with write() as db:
            mark_feedback_seen(db, current_user.id, decisions_settled_before())
        g.feedback_news = None  # read now: this page's navigation has nothing new to show
    latest = items[0] if items else None
    return render_template("trainer/feedback.html", items=items, rubric=rubric,
                           can_revise=latest is not None and latest["status"] == "returned")


def feedback_news() -> tuple[str, int] | None:
    """Return (outcome, version) of feedback the signed-in trainee has not read, once a request."""
    if not current_user.is_authenticated or current_user.role != "trainee":
        return None
    if "feedback_news" not in g:
        g.feedback_news = unseen_feedback(get_db(), current_user.id, decisions_settled_before())
    return g.feedback_news


def decisions_settled_before() -> str:
    """Return the moment before which a release or return is final and shown to the trainee."""
    return settled_before(current_app.config["UNDO_WINDOW_SECONDS"])


def init_app(app: Flask) -> None:
    app.jinja_env.globals["feedback_news"] = feedback_news
