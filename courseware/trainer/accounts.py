"""A trainee's sign-in, as their trainer sees it: failed sign-ins to clear."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from courseware.auth import guard
from courseware.auth.access import role_required, trainer_cohort_or_404
from courseware.db import fetch_all, get_db, write

bp = Blueprint("trainee_account", __name__, url_prefix="/<lang>/trainer/cohorts/<int:cohort_id>")


def _trainee_or_404(db: Any, cohort_id: int, user_id: int) -> dict[str, Any]:
    """The trainee if they are in this cohort (whose trainer is signed in); 404 otherwise."""
    trainer_cohort_or_404(cohort_id)
    rows = fetch_all(db, """SELECT id, name, email FROM users
                            WHERE id = ? AND cohort_id = ? AND role = 'trainee'""",
                     [user_id, cohort_id])
    if not rows:
        abort(404)
    return rows[0]


@bp.route("/trainees/<int:user_id>/")
@role_required("trainer")
def show(cohort_id: int, user_id: int) -> Any:
    db = get_db()
    cohort = trainer_cohort_or_404(cohort_id)
    trainee = _trainee_or_404(db, cohort_id, user_id)
    return render_template(
        "trainer/trainee_account.html", cohort=cohort, trainee=trainee,
        failures=guard.recent_failure_count(db, trainee["email"], guard.now()),
    )


@bp.route("/trainees/<int:user_id>/unlock", methods=["POST"])
@role_required("trainer")
def unlock(cohort_id: int, user_id: int) -> Any:
    """Forget the trainee's failed sign-ins, from every address: they can sign in at once."""
    with write() as db:
        trainee = _trainee_or_404(db, cohort_id, user_id)
        guard.forget_failures(db, trainee["email"])
    flash(_("Failed sign-ins cleared: %(name)s can sign in again now.", name=trainee["name"]),
          "success")
    return redirect(url_for("trainee_account.show", cohort_id=cohort_id, user_id=user_id))
