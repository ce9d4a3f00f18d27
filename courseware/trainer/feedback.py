"""The trainee's feedback: released grades and work returned for revision, as the trainer wrote."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user

from courseware.auth.access import role_required
from courseware.db import get_db
from courseware.i18n import current_language
from courseware.loaded_course import get_course
from courseware.trainer.grades import grades_of_trainee
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
        if grade is not None and grade.is_visible_to_trainee:
            items.append({**version, "grade": grade})
    rubric = get_course().areas["rubric"].get(current_language())
    return render_template("trainer/feedback.html", items=items, rubric=rubric)
