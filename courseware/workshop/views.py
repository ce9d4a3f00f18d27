"""The workshop pages: the editor, autosave, submission and the submitted versions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from courseware import render_cache
from courseware.auth.access import role_required
from courseware.auth.users import org_name
from courseware.db import WriteFailed, get_db, write
from courseware.errors import not_stored_message
from courseware.i18n import current_language
from courseware.request_checks import accepts_json
from courseware.trainer.feedback import decisions_settled_before
from courseware.workshop import formdata, messages, numbers
from courseware.workshop.case import Case
from courseware.workshop.model import MAX_CRITERIA, MAX_KPIS, Workshop
from courseware.workshop.presentation import (
    case_in,
    editor_options,
    review_context,
)
from courseware.workshop.store import (
    SaveRefused,
    TraineeWorkshop,
    keep_fields,
    save_draft,
    submit,
    take_kept,
    trainee_workshop,
)
from courseware.workshop.validation import Problem, find_problems

bp = Blueprint("workshop", __name__, url_prefix="/<lang>/workshop")

# Posted names that are not part of the workshop itself: the form's own, and the keys of the
# results and coverage the autosaving page shows.
CONTROL_FIELDS = frozenset(("action", "base_version", "revision", "editor", "seq",
                            "results_key", "coverage_key"))
# More digits than any version or revision reaches; int() of thousands of digits fails.
POSITION_DIGITS = 9
# A page's count of changes is its clock in milliseconds: 13 digits until the year 2286.
SEQ_DIGITS = 16
EDITOR_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class UnreadableDraft(Exception):
    """An autosave whose body is too large or is not a JSON object of strings."""

    def __init__(self, status: str, code: int) -> None:
        super().__init__(status)
        self.status = status
        self.code = code


@bp.route("/")
@role_required("trainee")
def index() -> Any:
    state = trainee_workshop(get_db(), current_user.id, decisions_settled_before())
    if not state.editable:
        return _render_locked(state)
    token = session.pop("kept_work", None)
    if isinstance(token, str):
        with write() as db:
            restored = take_kept(db, token)
        if restored is not None:
            notice = _("Your session had ended, so this was not saved yet. Check what you typed "
                       "and save it now.")
            return _render_editor(state, restored, notice=notice)
    workshop, unparsed = state.working_copy()
    fields = formdata.starter_fields() if workshop is None else formdata.to_fields(workshop,
                                                                                   unparsed)
    return _render_editor(state, fields, for_submission=request.args.get("check") == "1")


@bp.route("/", methods=["POST"])
def save() -> Any:
    posted = request.form
    fields = _posted_fields(posted)
    if not current_user.is_authenticated:
        if _keep_until_signed_in(fields):
            flash(_("Your session had ended. Sign in again: what you typed is kept and comes "
                    "back."), "warning")
            return redirect(url_for("auth.sign_in"))
        return _not_kept_page(fields)
    if current_user.role != "trainee" or current_user.cohort_id is None:
        abort(403)
    state = trainee_workshop(get_db(), current_user.id, decisions_settled_before())
    action = posted.get("action", "save")
    fields, anchor, row_notice = _apply_row_action(fields, action)
    case = _case()
    parsed = formdata.parse_fields(fields, case.candidate_ids)
    base_version, revision = _position(posted)
    editor, seq = _editor(posted)
    try:
        with write() as db:
            if action == "submit" and not _all_problems(parsed, case, for_submission=True):
                submission = submit(db, user_id=current_user.id, cohort_id=current_user.cohort_id,
                                    workshop=parsed.workshop, lang=current_language(),
                                    base_version=base_version, revision=revision,
                                    editor=editor, seq=seq)
            else:
                submission = None
                save_draft(db, user_id=current_user.id, cohort_id=current_user.cohort_id,
                           workshop=parsed.workshop, unparsed=parsed.unparsed,
                           base_version=base_version, revision=revision,
                           editor=editor, seq=seq)
    except SaveRefused as refusal:
        return _refused(refusal.reason, state, fields)
    except WriteFailed as failure:
        # The page comes back with every field as posted, and the revision it had.
        return _render_editor(state, fields, notice=not_stored_message(failure), status=503,
                              revision=revision if revision >= 0 else None)
    if submission is not None:
        flash(_("Version %(version)s is submitted for grading. It can no longer be changed.",
                version=submission.version), "success")
        return redirect(url_for("workshop.version", version=submission.version))
    if action == "submit":
        flash(_("Not submitted yet: complete the fields marked below. Your draft is saved."),
              "warning")
        return redirect(url_for("workshop.index", check="1", _anchor="workshop-form"))
    if row_notice:
        flash(row_notice, "warning")
    elif action == "save":
        flash(_("Draft saved."), "success")
    return redirect(url_for("workshop.index", _anchor=anchor))


@bp.route("/autosave", methods=["POST"])
@accepts_json
def autosave() -> Any:
    """Save the draft the page's script sends as JSON (or its form, on leaving the page)."""
    try:
        posted = _posted_draft()
    except UnreadableDraft as unreadable:
        return jsonify(status=unreadable.status,
                       message=_unreadable_message(unreadable.status)), unreadable.code
    fields = _posted_fields(posted)
    user = current_user
    if not user.is_authenticated:
        if _keep_until_signed_in(fields):
            message = _("Your session has ended. Sign in again to keep working: what you typed "
                        "is kept and comes back.")
        else:
            message = _("Your session has ended. Sign in again in another tab: what you typed "
                        "stays on this page and is saved once you are back.")
        return jsonify(status="signed_out", message=message,
                       sign_in_url=url_for("auth.sign_in")), 401
    if user.role != "trainee" or user.cohort_id is None:
        abort(403)
    case = _case()
    parsed = formdata.parse_fields(fields, case.candidate_ids)
    base_version, revision = _position(posted)
    editor, seq = _editor(posted)
    try:
        with write() as db:
            draft = save_draft(db, user_id=user.id, cohort_id=user.cohort_id,
                               workshop=parsed.workshop, unparsed=parsed.unparsed,
                               base_version=base_version, revision=revision,
                               editor=editor, seq=seq)
    except SaveRefused as refusal:
        return jsonify(status=refusal.reason, message=_refusal_message(refusal.reason),
                       **_other_version(refusal.reason)), 409
    # Most saves come while the trainee writes text that changes no number: the results and
    # coverage then come rendered from the last save with the same numbers, unscored.
    results = render_cache.workshop_results(parsed.workshop, case, user.max_key_accounts)
    coverage = render_cache.workshop_coverage(parsed.workshop)
    return jsonify(
        status="saved",
        revision=draft.revision,
        saved_at=draft.updated_at,
        seq=draft.editor_seq if draft.editor == editor else seq,
        errors=messages.messages_by_field(_all_problems(parsed, case)),
        **_unless_shown("results", results, posted),
        **_unless_shown("coverage", coverage, posted),
    )


@bp.route("/versions/<int:version>")
@role_required("trainee")
def version(version: int) -> Any:
    state = trainee_workshop(get_db(), current_user.id, decisions_settled_before())
    submission = next((item for item in state.versions if item.version == version), None)
    if submission is None:
        abort(404)
    case = _case()
    return render_template("workshop/version.html", submission=submission, state=state,
                           status_labels=messages.STATUS_LABELS, feedback_url=_feedback_url(),
                           **_results_context(submission.workshop, case))


def _render_editor(state: TraineeWorkshop, fields: dict[str, str], *, notice: str | None = None,
                   for_submission: bool = False, status: int = 200,
                   revision: int | None = None) -> Any:
    case = _case()
    parsed = formdata.parse_fields(fields, case.candidate_ids)
    problems = _all_problems(parsed, case, for_submission=for_submission)
    context = _results_context(parsed.workshop, case)
    rules = numbers.rules(len(case.candidate_ids))
    page = render_template(
        "workshop/index.html",
        fields=fields,
        errors=messages.messages_by_field(problems),
        state=state,
        notice=notice,
        base_version=state.base_version,
        revision=state.revision if revision is None else revision,
        criteria_rows=formdata.row_count(fields, "criteria"),
        kpi_rows=formdata.row_count(fields, "kpis"),
        max_criteria=MAX_CRITERIA,
        max_kpis=MAX_KPIS,
        brief=case.brief_paragraphs(org_name(current_user)),
        status_labels=messages.STATUS_LABELS,
        number_rules={rule.name: rule.to_dict() for rule in rules},
        number_messages=messages.number_messages(rules),
        **editor_options(case),
        **context,
    )
    return page, status


def _render_locked(state: TraineeWorkshop, notice: str | None = None, status: int = 200) -> Any:
    submission = state.latest
    case = _case()
    page = render_template("workshop/version.html", submission=submission, state=state,
                           notice=notice, status_labels=messages.STATUS_LABELS,
                           feedback_url=_feedback_url(),
                           **_results_context(submission.workshop, case))
    return page, status


def _results_context(workshop: Workshop, case: Case) -> dict[str, Any]:
    return review_context(workshop, case, current_user.max_key_accounts)


def _all_problems(parsed: formdata.Parsed, case: Case, *,
                  for_submission: bool = False) -> tuple[Problem, ...]:
    found = find_problems(parsed.workshop, case.figure_ids, case.candidate_ids,
                          for_submission=for_submission)
    # A mistyped number is reported once, as mistyped, not also as missing.
    return parsed.problems + tuple(p for p in found if p.field not in parsed.unparsed)


def _apply_row_action(fields: dict[str, str], action: str) -> tuple[dict[str, str], str, str]:
    """Add or remove a criterion or KPI row; return the fields, where to scroll, a notice."""
    group, _sep, index = action.partition(":")
    if group == "add_criterion":
        if formdata.row_count(fields, "criteria") >= MAX_CRITERIA:
            return fields, "criteria", _("Use at most %(max)s criteria. Remove one before "
                                         "adding another.", max=MAX_CRITERIA)
        fields = formdata.add_row(fields, "criteria")
        return fields, f"criterion-{formdata.row_count(fields, 'criteria') - 1}", ""
    if group == "add_kpi":
        if formdata.row_count(fields, "kpis") >= MAX_KPIS:
            return fields, "kpis", _("Use at most %(max)s KPIs. Remove one before adding "
                                     "another.", max=MAX_KPIS)
        fields = formdata.add_row(fields, "kpis")
        return fields, f"kpi-{formdata.row_count(fields, 'kpis') - 1}", ""
    if group in ("remove_criterion", "remove_kpi") and index.isdigit():
        rows = "criteria" if group == "remove_criterion" else "kpis"
        return formdata.remove_row(fields, rows, int(index)), rows, ""
    return fields, "workshop-form", ""


def _refused(reason: str, state: TraineeWorkshop, fields: dict[str, str]) -> Any:
    message = _refusal_message(reason)
    if reason == "conflict":
        # Keep what this page holds; its next save deliberately replaces the other one.
        return _render_editor(state, fields, notice=message, status=409)
    if not state.editable:
        return _render_locked(state, notice=message, status=409)
    workshop, unparsed = state.working_copy()
    current = formdata.starter_fields() if workshop is None else formdata.to_fields(workshop,
                                                                                    unparsed)
    return _render_editor(state, current, notice=message, status=409)


def _refusal_message(reason: str) -> str:
    if reason == "frozen":
        return _("This workshop is submitted and can no longer be changed. Nothing was saved.")
    if reason == "stale":
        return _("That page showed a version you have already submitted, so nothing was saved. "
                 "Here is your current workshop.")
    return _("Your workshop was saved from another window after you opened this page. What you "
             "typed here is shown below: save again to keep it instead.")


def _unreadable_message(status: str) -> str:
    if status == "too_large":
        return _("Not saved: the draft is too large. Shorten the longest texts and it will be "
                 "saved again.")
    return _("Not saved automatically: the draft could not be read. Press “Save draft”.")


def _keep_until_signed_in(fields: dict[str, str]) -> bool:
    """Keep what a trainee posted after their session ended, for this browser to redeem.

    The token lives only in this browser's signed session cookie, carried across the
    sign-in (`auth.views`), so only whoever signs in here gets it back, into their own
    editor. Returns False when the work could not be kept.
    """
    earlier = session.get("kept_work")
    with write() as db:
        token = keep_fields(db, fields, request.remote_addr or "",
                            replaces=earlier if isinstance(earlier, str) else None)
    if token is None:
        return False
    session["kept_work"] = token
    session["next"] = url_for("workshop.index")
    return True


def _not_kept_page(fields: dict[str, str]) -> Any:
    """The typed text, given back on a page of its own, when it could not be kept."""
    message = _("Your session had ended, and what you typed could not be kept. Copy it from "
                "below, sign in again and paste it back.")
    return render_template("typed_back.html", code=401, title=_("Sign in again"), reason="",
                           hint=message, texts=[v for v in fields.values() if v.strip()]), 401


def _other_version(reason: str) -> dict[str, Any]:
    """On a conflict, the version saved from the other window, for the page to show beside its own."""
    if reason != "conflict":
        return {}
    state = trainee_workshop(get_db(), current_user.id)
    workshop, unparsed = state.working_copy()
    fields = formdata.starter_fields() if workshop is None else formdata.to_fields(workshop,
                                                                                   unparsed)
    return {"other": {"fields": fields, "revision": state.revision,
                      "saved_at": state.draft.updated_at if state.draft else ""}}


@lru_cache(maxsize=64)
def _html_key(html: Markup) -> str:
    # A digest of the HTML itself, so every worker gives the same HTML the same key.
    return hashlib.blake2b(html.encode(), digest_size=8).hexdigest()


def _unless_shown(name: str, html: Markup, posted: Mapping[str, str]) -> dict[str, Any]:
    """Return the partial's key, and its HTML unless the page says it shows that already."""
    key = _html_key(html)
    if posted.get(f"{name}_key") == key:
        return {f"{name}_key": key}
    return {f"{name}_html": str(html), f"{name}_key": key}


def _posted_draft() -> Mapping[str, str]:
    """Return the posted names and values: the script's JSON object, or a form.

    The script sends the form's fields as one JSON object of strings; the page sends the
    form itself when it is left with changes not yet saved. Either way the same names reach the same parsing.
    """
    try:
        if not request.is_json:
            return request.form
        posted = request.get_json(silent=True)
    except RequestEntityTooLarge:
        raise UnreadableDraft("too_large", 413) from None
    if not isinstance(posted, dict) or not all(type(value) is str for value in posted.values()):
        raise UnreadableDraft("unreadable", 400)
    try:
        # JSON can carry lone surrogates ("\udc80"), which no page or database can hold.
        "".join((*posted, *posted.values())).encode()
    except UnicodeEncodeError:
        raise UnreadableDraft("unreadable", 400) from None
    return posted


def _posted_fields(posted: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in posted.items() if name not in CONTROL_FIELDS}


def _position(posted: Mapping[str, str]) -> tuple[int, int]:
    """Return the version and draft revision the page showed; -1 where it names none."""
    def whole(name: str) -> int:
        value = posted.get(name, "")
        # isdigit() alone accepts "²", which int() refuses.
        usable = value.isascii() and value.isdigit() and len(value) <= POSITION_DIGITS
        return int(value) if usable else -1

    return whole("base_version"), whole("revision")


def _editor(posted: Mapping[str, str]) -> tuple[str, int]:
    """Return the page that sent the form and its count of changes; ("", 0) when it names none."""
    editor = posted.get("editor", "")
    seq = posted.get("seq", "")
    if not EDITOR_ID.fullmatch(editor):
        return "", 0
    usable = seq.isascii() and seq.isdigit() and len(seq) <= SEQ_DIGITS
    return editor, int(seq) if usable else 0


def _feedback_url() -> str | None:
    # The trainer's area owns the feedback page; link it once that area is merged in.
    if "feedback.index" not in current_app.view_functions:
        return None
    return url_for("feedback.index")


def _case() -> Case:
    return case_in(current_language())
