"""The trainer's desk."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courseware.auth.access import role_required
from courseware.db import get_db, write
from courseware.trainer.cohorts import cohorts_of_trainer, create_cohort, join_code_taken
from courseware.trainer.forms import CohortForm

bp = Blueprint("trainer", __name__, url_prefix="/<lang>/trainer")


@bp.route("/", methods=["GET", "POST"])
@role_required("trainer")
def cohorts() -> Any:
    form = CohortForm()
    if form.validate_on_submit():
        code = (form.join_code.data or "").strip().upper() or None
        with write() as db:
            if code and join_code_taken(db, code):
                form.join_code.errors.append(_("Another cohort uses this join code."))
            else:
                create_cohort(db, name=form.name.data, trainer_id=current_user.id,
                              org_name=form.org_name.data or "", join_code=code)
        if not form.errors:
            flash(_("Cohort “%(name)s” created.", name=form.name.data.strip()), "success")
            return redirect(url_for("trainer.cohorts"))
    return render_template("trainer/cohorts.html", form=form,
                           cohorts=cohorts_of_trainer(get_db(), current_user.id))
