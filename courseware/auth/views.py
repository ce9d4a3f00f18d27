"""Sign in, sign out, join a cohort with its code, change the password."""

from __future__ import annotations

import contextlib
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from courseware.auth import attempts, guard, resets
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
from courseware.db import WriteFailed, fetch_all, get_db, write
from courseware.templating import sentence_gap, when_text
from courseware.trainer.cohorts import normal_join_code
from courseware.trainer.removals import removal_of

bp = Blueprint("auth", __name__, url_prefix="/<lang>")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    form = SignInForm()
    if form.validate_on_submit():
        email, address, moment = form.email.data, guard.client_address(), guard.now()
        # Read first: a flood of refused guesses never queues for the write lock.
        wait, busy = _held_back(get_db(), email, address, moment)
        if not (wait or busy):
            # The session is a cookie: signing in needs no write, so a database that cannot
            # store the count still lets people in (the rules it holds still apply).
            with contextlib.suppress(WriteFailed), write() as db:
                wait, busy = _held_back(db, email, address, moment)
                if not (wait or busy):
                    guard.spend(db, attempts.HASHING, address, moment)
                    # Counted before the check and forgotten on success, so that parallel
                    # guesses cannot slip past the rules while their passwords are checked.
                    guard.count_failure(db, email, address, moment)
        if wait or busy:
            reason = _("Too many failed sign-ins.") if wait else _too_busy()
            message = reason + sentence_gap() + guard.try_again_in(wait or busy)
            return refused(render_template("auth/sign_in.html", form=form, error=message),
                            wait or busy)
        # Checking the hash takes long on purpose: outside the write lock, so that 100
        # trainees signing in at once do not queue every worker's writes behind it.
        user = check_password(get_db(), email, form.password.data)
        if user is None:
            return render_template(
                "auth/sign_in.html", form=form,
                error=_("That email and password do not match an account."),
            )
        with contextlib.suppress(WriteFailed), write() as db:
            guard.forget_failures(db, email, address)
        removed = removed_notice(user)
        if removed:
            return render_template("auth/sign_in.html", form=form, error=removed), 403
        start_session(user)
        return redirect(_next_url(user.role))
    return render_template("auth/sign_in.html", form=form)


def removed_notice(user: Any) -> str | None:
    """Say why a trainee removed from their cohort cannot sign in, or None for anyone else."""
    if user.role != "trainee" or user.cohort_id is not None:
        return None
    removal = removal_of(get_db(), user.id, current_app.config["REMOVED_KEEP_DAYS"])
    if removal is None:
        return None
    return _("Your trainer removed you from the cohort “%(cohort)s” on %(removed)s, so you "
             "cannot sign in. Your work is kept until %(until)s: if this is a mistake, ask your "
             "trainer to restore you.", cohort=removal["cohort_name"],
             removed=when_text(removal["removed_at"]), until=when_text(removal["until"]))


def _held_back(db: Any, email: str, address: str, moment: float) -> tuple[int, int]:
    """Seconds to wait for failed sign-ins, else for the address's hashing budget."""
    wait = guard.sign_in_wait(db, email, address, moment)
    return wait, 0 if wait else guard.rate_limited(db, attempts.HASHING, address, moment)


def refused(page: str, wait: int) -> Response:
    """A 429 answer that says when to come back, to people and to programs."""
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(wait)
    return response


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
        address, moment = guard.client_address(), guard.now()
        code, email = normal_join_code(form.join_code.data), form.email.data
        # Code and email are checked before the slow hash, so that wrong guesses cost nothing.
        with write() as db:
            wait = guard.rate_limited(db, attempts.JOIN_CODE, address, moment)
            if wait:
                form.join_code.errors.append(_("Too many wrong join codes from your network.")
                                             + sentence_gap() + guard.try_again_in(wait))
            elif _cohort_id(db, code) is None:
                guard.spend(db, attempts.JOIN_CODE, address, moment)
                form.join_code.errors.append(
                    _("No cohort has this join code. Check it with your trainer."))
            elif email_taken(db, email):
                form.email.errors.append(
                    _("An account with this email exists already. Sign in instead."))
            else:
                wait = guard.spend(db, attempts.HASHING, address, moment)
                if wait:
                    form.join_code.errors.append(_too_busy() + sentence_gap()
                                                 + guard.try_again_in(wait))
        if wait:
            return refused(render_template("auth/join.html", form=form), wait)
        if not form.errors:
            password_hash = hash_password(form.password.data)  # slow: before taking the write lock
            with write() as db:
                cohort_id = _cohort_id(db, code)
                if cohort_id is None:  # the trainer made a new code meanwhile
                    form.join_code.errors.append(
                        _("No cohort has this join code. Check it with your trainer."))
                elif email_taken(db, email):  # joined twice at once
                    form.email.errors.append(
                        _("An account with this email exists already. Sign in instead."))
                else:
                    create_user(db, email=email, name=form.name.data, role="trainee",
                                password_hash=password_hash, cohort_id=cohort_id)
                    user = user_by_email(db, email)
        if not form.errors:
            start_session(user)
            flash(_("Welcome, %(name)s! You have joined the cohort.", name=user.name), "success")
            return redirect(url_for("course.home"))
    return render_template("auth/join.html", form=form)


def _cohort_id(db: Any, code: str) -> int | None:
    rows = fetch_all(db, "SELECT id FROM cohorts WHERE join_code = ?", [code])
    return rows[0]["id"] if rows else None


def _too_busy() -> str:
    return _("Too many sign-ins and joins from your network.")


@bp.route("/account/password", methods=["GET", "POST"])
@role_required()
def change_password() -> Any:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        email, address, moment = current_user.email, guard.client_address(), guard.now()
        # Wrong current passwords count against the account as failed sign-ins do: a borrowed
        # session must not become a way to guess the password without limit.
        with write() as db:
            wait = guard.sign_in_wait(db, email, address, moment)
            if not wait:
                guard.count_failure(db, email, address, moment)
        if wait:
            form.current.errors.append(
                _("Too many wrong passwords.") + sentence_gap() + guard.try_again_in(wait))
            return refused(render_template("auth/change_password.html", form=form), wait)
        # Both hash operations are slow on purpose: done before taking the write lock.
        if check_password(get_db(), email, form.current.data) is None:
            form.current.errors.append(_("This is not your current password."))
        else:
            password_hash = hash_password(form.password.data)
            with write() as db:
                guard.forget_failures(db, email, address)
                set_password_hash(db, current_user.id, password_hash)
                resets.end_links(db, current_user.id)  # a link made before no longer applies
                user = user_by_email(db, email)
        if not form.errors:
            start_session(user)  # this session carries on; every other one has ended
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for("course.home"))
    return render_template("auth/change_password.html", form=form)


# What a fresh session keeps of the one before: where the user was going, and the token of
# the work this browser posted after its session ended (workshop.views).
CARRIED_OVER = ("next", "kept_work")


def start_session(user: Any) -> None:
    """Sign the user in on a fresh session, keeping only what `CARRIED_OVER` names."""
    carried = {key: session[key] for key in CARRIED_OVER if key in session}
    session.clear()
    session.permanent = True  # expires after the configured idle time
    login_user(user)
    session.update(carried)


def _next_url(role: str = "trainee") -> str:
    target = session.pop("next", None)
    # Only paths on this site: "//evil.example" and "http://..." are not followed.
    if isinstance(target, str) and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target.rstrip("?")
    # A trainer comes to run cohorts, not to read the module.
    return url_for("trainer.landing" if role == "trainer" else "course.home")
