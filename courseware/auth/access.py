"""Who may see what: the session's user, and the one decorator that checks roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from courseware.auth.users import User, user_by_session_id
from courseware.db import fetch_all, get_db
from courseware.i18n import use_time_zone

login_manager = LoginManager()
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = None  # the session version does this job, across workers

F = TypeVar("F", bound=Callable[..., Any])


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return user_by_session_id(get_db(), session_id)


@login_manager.unauthorized_handler
def _ask_to_sign_in() -> Any:
    session["next"] = request.full_path if request.method == "GET" else request.path
    return redirect(url_for("auth.sign_in"))


def role_required(*roles: str) -> Callable[[F], F]:
    """Let only signed-in users with one of these roles in (any role when none is named).

    Anonymous visitors are sent to sign in; a signed-in user with another role gets 403.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def trainer_cohort_or_404(cohort_id: int) -> dict[str, Any]:
    """The cohort if the signed-in trainer is one of its trainers; 404 otherwise."""
    rows = fetch_all(
        get_db(),
        """SELECT cohorts.* FROM cohorts JOIN cohort_trainers ON cohort_trainers.cohort_id = cohorts.id
           WHERE cohorts.id = ? AND cohort_trainers.user_id = ?""",
        [cohort_id, current_user.id],
    )
    if not rows:
        abort(404)
    use_time_zone(rows[0].get("time_zone"))
    return rows[0]
