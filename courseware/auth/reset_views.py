"""Setting a new password with a one-time link, and asking for one by email when mail is set up."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from courseware.auth import attempts, guard, resets
from courseware.auth.forms import ResetPasswordForm, ResetRequestForm
from courseware.auth.mail import compose
from courseware.auth.resets import LinkState
from courseware.auth.users import hash_password, set_password_hash, user_by_email, user_by_id
from courseware.auth.views import refused, removed_notice, start_session
from courseware.db import get_db, write
from courseware.i18n import current_language
from courseware.templating import sentence_gap

bp = Blueprint("reset", __name__, url_prefix="/<lang>")

# A refused link: its status and what the page says.
REFUSED = {
    LinkState.UNKNOWN: 404,
    LinkState.EXPIRED: 410,
    LinkState.USED: 410,
}


def _refusal(state: LinkState) -> str:
    if state is LinkState.EXPIRED:
        return _("This link to set a new password has expired: each link works for 24 hours.")
    if state is LinkState.USED:
        return _("This link to set a new password has been used already: each link works once.")
    return _("This link to set a new password is not valid. Check that it was copied whole.")


def reset_link(token: str, lang: str) -> str:
    """The link's full address: on COURSEWARE_BASE_URL when set, never on a Host a client sent."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context() and not base:
        return url_for("reset.set_password", lang=lang, token=token, _external=True)
    if has_request_context():
        path = url_for("reset.set_password", lang=lang, token=token)
        return base + path.removeprefix(request.script_root)
    with current_app.test_request_context(base_url=base or "http://localhost"):
        return url_for("reset.set_password", lang=lang, token=token, _external=bool(base))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Any:
    """Choose a new password with the link; it signs this browser in and ends every other session."""
    link = resets.look_up(get_db(), token, guard.now())
    user = user_by_id(get_db(), link.user_id) if link.user_id is not None else None
    if link.state is not LinkState.VALID or user is None:
        return _refused_link(link.state if user is not None else LinkState.UNKNOWN)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        password_hash = hash_password(form.password.data)  # slow: before taking the write lock
        with write() as db:
            link = resets.use(db, token, guard.now())  # a second tab with the link loses here
            if link.state is LinkState.VALID:
                set_password_hash(db, user.id, password_hash)  # ends every session of theirs
                guard.forget_failures(db, user.email)
                user = user_by_id(db, user.id)
        if link.state is not LinkState.VALID or user is None:
            return _refused_link(link.state)
        removed = removed_notice(user)
        if removed:
            flash(_("Your new password is set.") + sentence_gap() + removed, "error")
            return redirect(url_for("auth.sign_in"))
        start_session(user)
        flash(_("Your new password is set and you are signed in. Every other session of yours "
                "has ended."), "success")
        return redirect(url_for("course.home"))
    return render_template("auth/reset_password.html", form=form, user=user)


def _refused_link(state: LinkState) -> tuple[str, int]:
    return render_template("auth/reset_password.html", form=None, problem=_refusal(state)), \
        REFUSED[state]


@bp.route("/reset-password", methods=["GET", "POST"])
def request_link() -> Any:
    """Ask for a link by email; the answer never says whether an account has the email."""
    settings = current_app.config["SMTP_SETTINGS"]
    if settings is None:
        raise NotFound()  # the sign-in page says to ask the trainer instead
    form = ResetRequestForm()
    if form.validate_on_submit():
        address, moment = guard.client_address(), guard.now()
        token = None
        with write() as db:
            wait = guard.spend(db, attempts.RESET_REQUEST, address, moment)
            user = None if wait else user_by_email(db, form.email.data)
            if user is not None and not resets.recently_requested(db, user.id, moment):
                token, _expires = resets.issue(db, user.id, moment)
        if wait:
            form.email.errors.append(_("Too many links asked for from your network.")
                                     + sentence_gap() + guard.try_again_in(wait))
            return refused(render_template("auth/reset_request.html", form=form), wait)
        if token is not None and user is not None:
            current_app.config["SEND_MAIL"](settings, compose(
                settings, user.email, _("Set a new password for the course"),
                _("Someone, probably you, asked to set a new password for %(email)s on the "
                  "Key Account Management course. Open this link within 24 hours to choose "
                  "one; it works once:\n\n%(link)s\n\nIf it was not you, ignore this email: "
                  "your password stays as it is.",
                  email=user.email, link=reset_link(token, current_language())),
            ))
        flash(_("If an account has this email, a link to set a new password is on its way. "
                "It works once, for 24 hours."), "info")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_request.html", form=form)
