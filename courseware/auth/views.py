"""Sign in, sign out, join a cohort with its code, change the password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from courseware.auth import throttle
from courseware.auth.access import role_required
from courseware.auth.forms import ChangePasswordForm, JoinForm, SignInForm
from courseware.auth.users import (
    check_password,
    create_user,
    email_taken,
    end_sessions,
    hash_password,
    set_password_hash,
    user_by_email,
)
from courseware.db import fetch_all, get_db, write

bp = Blueprint("auth", __name__, url_prefix="/<lang>")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    form = SignInForm()
    if form.validate_on_submit():
        config = current_app.config
        window = config["LOGIN_WINDOW_MINUTES"] * 60
        email = form.email.data
        with write() as db:
            locked = throttle.is_locked(db, email, config["LOGIN_MAX_FAILURES"], window)
            if not locked:
                # Counted before the check and cleared on success, so that parallel guesses
                # cannot slip past the limit while their passwords are being checked.
                throttle.record_failure(db, email, window)
        user = None
        if not locked:
            # Checking the hash takes long on purpose: outside the write lock, so that 100
            # trainees signing in at once do not queue every worker's writes behind it.
            user = check_password(get_db(), email, form.password.data)
            if user is not None:
                with write() as db:
                    throttle.clear_failures(db, email)
        if locked:
            message = _("Too many failed sign-ins for this account. Wait %(minutes)s minutes "
                        "and try again.", minutes=config["LOGIN_WINDOW_MINUTES"])
            return render_template("auth/sign_in.html", form=form, error=message), 429
        if user is None:
            return render_template(
                "auth/sign_in.html", form=form,
                error=_("That email and password do not match an account."),
            )
        _start_session(user)
        return redirect(_next_url(user.role))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@role_required()
def sign_out() -> Any:
    with write() as db:
        end_sessions(db, current_user.id)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("course.home"))


@bp.route("/join", methods=["GET", "POST"])
def join() -> Any:
    form = JoinForm()
    if form.validate_on_submit():
        password_hash = hash_password(form.password.data)  # slow: before taking the write lock
        with write() as db:
            rows = fetch_all(db, "SELECT id FROM cohorts WHERE join_code = ?",
                         [form.join_code.data.strip()])
            if not rows:
                form.join_code.errors.append(
                    _("No cohort has this join code. Check it with your trainer."))
            elif email_taken(db, form.email.data):
                form.email.errors.append(
                    _("An account with this email exists already. Sign in instead."))
            else:
                create_user(db, email=form.email.data, name=form.name.data,
                            password_hash=password_hash, role="trainee",
                            cohort_id=rows[0]["id"])
        if not form.errors:
            with write() as db:
                user = user_by_email(db, form.email.data)
            _start_session(user)
            flash(_("Welcome, %(name)s! You have joined the cohort.", name=user.name), "success")
            return redirect(url_for("course.home"))
    return render_template("auth/join.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@role_required()
def change_password() -> Any:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        # Both hash operations are slow on purpose: done before taking the write lock.
        if check_password(get_db(), current_user.email, form.current.data) is None:
            form.current.errors.append(_("This is not your current password."))
        else:
            password_hash = hash_password(form.password.data)
            with write() as db:
                set_password_hash(db, current_user.id, password_hash)
                user = user_by_email(db, current_user.email)
        if not form.errors:
            _start_session(user)  # this session carries on; every other one has ended
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for("course.home"))
    return render_template("auth/change_password.html", form=form)


def _start_session(user: Any) -> None:
    """Sign the user in on a fresh session, keeping only where they were going."""
    next_url = session.get("next")
    session.clear()
    session.permanent = True  # expires after the configured idle time
    login_user(user)
    if next_url:
        session["next"] = next_url


def _next_url(role: str = "trainee") -> str:
    target = session.pop("next", None)
    # Only paths on this site: "//evil.example" and "http://..." are not followed.
    if isinstance(target, str) and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target.rstrip("?")
    # A trainer comes to run cohorts, not to read the module.
    return url_for("trainer.landing" if role == "trainer" else "course.home")
