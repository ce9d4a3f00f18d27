"""A trainee's sign-in, as their trainer sees it: failed sign-ins to clear, a reset link to make."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courseware.auth import guard, resets
from courseware.auth.access import role_required, trainer_cohort_or_404
from courseware.auth.reset_views import reset_link
from courseware.db import TIME_FORMAT, fetch_all, get_db, write
from courseware.i18n import current_language

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


@bp.route("/trainees/<int:user_id>/account/")
@role_required("trainer")
def show(cohort_id: int, user_id: int) -> Any:
    return _page(cohort_id, _trainee_or_404(get_db(), cohort_id, user_id))


def _page(cohort_id: int, trainee: dict[str, Any], **extra: Any) -> str:
    return render_template(
        "trainer/trainee_account.html", cohort=trainer_cohort_or_404(cohort_id), trainee=trainee,
        failures=guard.recent_failure_count(get_db(), trainee["email"], guard.now()), **extra,
    )


@bp.route("/trainees/<int:user_id>/account/reset-link", methods=["POST"])
@role_required("trainer")
def make_reset_link(cohort_id: int, user_id: int) -> Any:
    """Make a one-time link for the trainee to set a new password, shown on this answer only."""
    with write() as db:
        trainee = _trainee_or_404(db, cohort_id, user_id)
        token, expires_at = resets.issue(db, trainee["id"], guard.now(), issued_by=current_user.id)
    return _page(cohort_id, trainee, link=reset_link(token, current_language()),
                 expires=time.strftime(TIME_FORMAT, time.gmtime(expires_at)))


@bp.route("/trainees/<int:user_id>/account/unlock", methods=["POST"])
@role_required("trainer")
def unlock(cohort_id: int, user_id: int) -> Any:
    """Forget the trainee's failed sign-ins, from every address: they can sign in at once."""
    with write() as db:
        trainee = _trainee_or_404(db, cohort_id, user_id)
        guard.forget_failures(db, trainee["email"])
    flash(_("Failed sign-ins cleared: %(name)s can sign in again now.", name=trainee["name"]),
          "success")
    return redirect(url_for("trainee_account.show", cohort_id=cohort_id, user_id=user_id))
