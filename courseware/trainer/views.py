"""The trainer's desk: cohorts, the cohort dashboard and settings, grading, exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from courseware.auth.access import role_required, trainer_cohort_or_404
from courseware.db import fetch_all, get_db, utc_today, write
from courseware.downloads import XLSX_TYPE, csv_response, download_response
from courseware.i18n import current_language
from courseware.loaded_course import get_course
from courseware.quiz.store import best_score_dates, submitted_attempts
from courseware.request_checks import accepts_json
from courseware.templating import sentence_gap, when_text
from courseware.trainer.changes import ChangeNames, text_diff, workshop_changes
from courseware.trainer.cohorts import (
    cohorts_of_trainer,
    create_cohort,
    join_code_problem,
    join_code_taken,
    new_join_code,
    normal_join_code,
)
from courseware.trainer.comment_bank import (
    add_to_bank,
    bank_entries,
    bank_entry,
    bank_problem,
    delete_bank_entry,
    update_bank_entry,
)
from courseware.trainer.export import (
    ResultLabels,
    ResultRow,
    cohort_results_table,
    csv_bytes,
    export_filename,
)
from courseware.trainer.feedback import decisions_settled_before
from courseware.trainer.forms import CohortForm, CohortSettingsForm
from courseware.trainer.grades import (
    GradeConflict,
    StoredGrade,
    carried_over,
    grades_of_cohort,
    grades_of_trainee,
    load_grade,
    record_decision,
    save_sheet,
    undo_deadline,
    undo_decision,
)
from courseware.trainer.messages import (
    bank_problem_message,
    bank_saved_message,
    field_errors,
    problem_message,
)
from courseware.trainer.removals import (
    expired_removals,
    purge_expired,
    remove_trainee,
    removed_from_cohort,
    restore_trainee,
)
from courseware.trainer.roster import (
    SORT_KEYS,
    TRAINEES_PER_PAGE,
    adjacent_ungraded,
    cohort_progress,
    page_of,
    requested_page,
    sort_progress,
    status_counts,
)
from courseware.trainer.rubric import Rubric
from courseware.trainer.sheet import (
    OVERALL_FIELD,
    GradeProblem,
    GradeSheet,
    percent_of,
    rubric_total,
    sheet_from_input,
)
from courseware.trainer.submission_export import (
    GradeLabels,
    HeadingLabels,
    SubmissionHeading,
    SubmissionLabels,
    grade_rows,
    heading_rows,
    submission_rows,
)
from courseware.trainer.submissions import (
    Submission,
    grading_queue,
    is_latest_version,
    previous_submission,
    submission_in_cohort_or_404,
    versions_of_trainee,
)
from courseware.trainer.trainee_record import (
    first_read_dates,
    move_trainee,
    reading_record,
    trainee_in_cohort_or_404,
)
from courseware.trainer.workbook import workbook_bytes, zip_bytes
from courseware.trainer.workflow import (
    SUBMITTED,
    GradingAction,
    action_problems,
    status_after,
)
from courseware.workshop.case import Case
from courseware.workshop.messages import (
    FREQUENCY_LABELS,
    RESPONSIBILITY_LABELS,
    TRAINER_STATUS_LABELS,
)
from courseware.workshop.presentation import case_in, review_context
from courseware.workshop.scoring import evaluate
from courseware.workshop.store import trainee_workshop

bp = Blueprint("trainer", __name__, url_prefix="/<lang>/trainer")
CONFIRM_PREFIX = "confirm-"
CONFIRMABLE = (GradingAction.RELEASE.value, GradingAction.RETURN.value)
bp.add_app_template_global(rubric_total, "rubric_total")


def _rubric() -> Rubric:
    return get_course().areas["rubric"].get(current_language())


def _pages_total() -> int:
    return len(get_course().pages[current_language()])


@bp.route("/", methods=["GET", "POST"])
@role_required("trainer")
def cohorts() -> Any:
    form = CohortForm()
    if form.validate_on_submit():
        code = normal_join_code(form.join_code.data or "") or None
        with write() as db:
            if code and join_code_taken(db, code):
                form.join_code.errors.append(_("Another cohort uses this join code."))
            else:
                create_cohort(db, name=form.name.data, trainer_id=current_user.id,
                              org_name=form.org_name.data or "", join_code=code,
                              org_name_zh=form.org_name_zh.data or "")
        if not form.errors:
            flash(_("Cohort “%(name)s” created.", name=form.name.data.strip()), "success")
            return redirect(url_for("trainer.cohorts"))
    return render_template("trainer/cohorts.html", form=form,
                           cohorts=cohorts_of_trainer(get_db(), current_user.id))


@bp.route("/start")
@role_required("trainer")
def landing() -> Any:
    """Open the trainer's only cohort's dashboard, or the list of their cohorts."""
    own = cohorts_of_trainer(get_db(), current_user.id)
    if len(own) == 1:
        return redirect(url_for("trainer.dashboard", cohort_id=own[0]["id"]))
    return redirect(url_for("trainer.cohorts"))


@bp.route("/cohorts/<int:cohort_id>/")
@role_required("trainer")
def dashboard(cohort_id: int) -> Any:
    """Show the cohort's trainees a page at a time, sortable, with links into grading.

    The counts above the table and the order of its rows cover the whole cohort.
    """
    cohort = trainer_cohort_or_404(cohort_id)
    purge_past_keeping()
    sort = request.args.get("sort", "name")
    sort = sort if sort in SORT_KEYS else "name"
    descending = request.args.get("dir") == "desc"
    pages_total = _pages_total()
    rows = cohort_progress(get_db(), cohort_id, pages_total)
    page = page_of(sort_progress(rows, sort, descending), requested_page(request.args.get("page")),
                   TRAINEES_PER_PAGE)
    to_grade = [sid for sid, todo in grading_queue(get_db(), cohort_id) if todo]
    return render_template(
        "trainer/dashboard.html",
        cohort=cohort,
        cohort_id=cohort_id,
        sort=sort,
        descending=descending,
        page=page,
        rows=rows,
        pages_total=pages_total,
        max_points=_rubric().max_points,
        counts=status_counts(rows),
        quiz_passed=sum(1 for row in rows if row.quiz_passed),
        first_to_grade=to_grade[0] if to_grade else None,
        waiting=len(to_grade),
        removed=removed_from_cohort(get_db(), cohort_id, _keep_days()),
        keep_days=_keep_days(),
        # Translated once, not once per trainee row.
        status_labels={status: str(label) for status, label in TRAINER_STATUS_LABELS.items()},
    )


@bp.route("/cohorts/<int:cohort_id>/trainees/<int:trainee_id>/")
@role_required("trainer")
def trainee(cohort_id: int, trainee_id: int) -> Any:
    """Show one trainee's record: pages read, quiz attempts, workshop draft, versions, grades."""
    cohort = trainer_cohort_or_404(cohort_id)
    db = get_db()
    person = trainee_in_cohort_or_404(db, cohort_id, trainee_id)
    pages = reading_record(get_course().pages[current_language()], first_read_dates(db, trainee_id))
    grades = grades_of_trainee(db, trainee_id)
    versions = [{**version, "grade": grades.get(version["id"])}
                for version in versions_of_trainee(db, trainee_id)]
    return render_template(
        "trainer/trainee.html",
        cohort=cohort,
        trainee=person,
        pages=pages,
        pages_read=sum(1 for page in pages if page.first_read_at),
        attempts=submitted_attempts(db, trainee_id),
        workshop=trainee_workshop(db, trainee_id),
        versions=versions,
        rubric=_rubric(),
        status_labels=TRAINER_STATUS_LABELS,
        other_cohorts=[other for other in cohorts_of_trainer(db, current_user.id)
                       if other["id"] != cohort_id],
        confirm_remove=request.args.get("confirm") == "remove",
        keep_days=_keep_days(),
    )


def _keep_days() -> int:
    return int(current_app.config["REMOVED_KEEP_DAYS"])


def purge_past_keeping() -> list[str]:
    """Delete for good the trainees removed longer ago than the keeping period; their emails."""
    now = current_app.config["CLOCK"]()
    if not expired_removals(get_db(), now, _keep_days()):
        return []
    with write() as db:
        return purge_expired(db, now, _keep_days())


@bp.route("/cohorts/<int:cohort_id>/trainees/<int:trainee_id>/remove", methods=["POST"])
@role_required("trainer")
def remove(cohort_id: int, trainee_id: int) -> Any:
    """Take a trainee out of the cohort; their work is kept and can be restored for a while."""
    trainer_cohort_or_404(cohort_id)
    with write() as db:
        person = trainee_in_cohort_or_404(db, cohort_id, trainee_id)
        remove_trainee(db, cohort_id=cohort_id, trainee_id=trainee_id,
                       trainer_id=current_user.id, now=current_app.config["CLOCK"]())
    flash(_("%(name)s is removed from the cohort and signed out. Their work is kept: you can "
            "restore them from the list of removed trainees for %(days)s days.",
            name=person["name"], days=_keep_days()), "success")
    return redirect(url_for("trainer.dashboard", cohort_id=cohort_id, _anchor="removed"))


@bp.route("/cohorts/<int:cohort_id>/removed/<int:trainee_id>/restore", methods=["POST"])
@role_required("trainer")
def restore(cohort_id: int, trainee_id: int) -> Any:
    """Put a removed trainee back in the cohort with everything they had done."""
    trainer_cohort_or_404(cohort_id)
    purge_past_keeping()
    with write() as db:
        restored = restore_trainee(db, cohort_id=cohort_id, trainee_id=trainee_id)
        person = _trainee(db, trainee_id) if restored else None
    if person is None:
        flash(_("This trainee can no longer be restored: their %(days)s days have passed and "
                "their data is deleted.", days=_keep_days()), "error")
        return redirect(url_for("trainer.dashboard", cohort_id=cohort_id))
    flash(_("%(name)s is back in the cohort, with all their work.", name=person["name"]),
          "success")
    return redirect(url_for("trainer.trainee", cohort_id=cohort_id, trainee_id=trainee_id))


@bp.route("/cohorts/<int:cohort_id>/trainees/<int:trainee_id>/move", methods=["POST"])
@role_required("trainer")
def move(cohort_id: int, trainee_id: int) -> Any:
    """Move a trainee and their work to another of the trainer's cohorts."""
    trainer_cohort_or_404(cohort_id)
    targets = {other["id"]: other for other in cohorts_of_trainer(get_db(), current_user.id)
               if other["id"] != cohort_id}
    target = targets.get(_row_id(request.form.get("cohort")) or 0)
    with write() as db:
        person = trainee_in_cohort_or_404(db, cohort_id, trainee_id)
        if target is None:
            flash(_("Choose one of your other cohorts to move %(name)s to.", name=person["name"]),
                  "error")
            return redirect(url_for("trainer.trainee", cohort_id=cohort_id, trainee_id=trainee_id))
        move_trainee(db, trainee_id, target["id"])
    flash(_("%(name)s and their work are now in “%(cohort)s”.", name=person["name"],
            cohort=target["name"]), "success")
    return redirect(url_for("trainer.trainee", cohort_id=target["id"], trainee_id=trainee_id))


@bp.route("/cohorts/<int:cohort_id>/settings", methods=["GET", "POST"])
@role_required("trainer")
def settings(cohort_id: int) -> Any:
    """Change the cohort's name, organisation, pass mark and manageable maximum."""
    cohort = trainer_cohort_or_404(cohort_id)
    form = CohortSettingsForm(data=cohort if request.method == "GET" else None)
    if form.validate_on_submit():
        with write() as db:
            db["cohorts"].update(
                cohort_id,
                {
                    "name": form.name.data.strip(),
                    "org_name": (form.org_name.data or "").strip(),
                    "org_name_zh": (form.org_name_zh.data or "").strip(),
                    "time_zone": (form.time_zone.data or "").strip(),
                    "pass_mark": form.pass_mark.data,
                    "max_key_accounts": form.max_key_accounts.data,
                    "certificate_mark": form.certificate_mark.data,
                    "certificate_months": form.certificate_months.data,
                    "certificate_grade": int(bool(form.certificate_grade.data)),
                },
            )
        flash(_("Settings saved."), "success")
        return redirect(url_for("trainer.settings", cohort_id=cohort_id))
    status = 422 if form.errors else 200
    return render_template("trainer/settings.html", cohort=cohort, form=form,
                           weak_code=join_code_problem(cohort["join_code"]) is not None), status


@bp.route("/cohorts/<int:cohort_id>/join-code", methods=["POST"])
@role_required("trainer")
def regenerate_join_code(cohort_id: int) -> Any:
    """Give the cohort a fresh join code; the old one stops working at once."""
    trainer_cohort_or_404(cohort_id)
    with write() as db:
        code = new_join_code()
        while join_code_taken(db, code):
            code = new_join_code()
        db["cohorts"].update(cohort_id, {"join_code": code})
    flash(_("New join code: %(code)s. The old code no longer works.", code=code), "success")
    return redirect(url_for("trainer.settings", cohort_id=cohort_id))


def _result_labels() -> ResultLabels:
    return ResultLabels(
        name=_("Trainee"),
        email=_("Email"),
        pages_read=_("Pages read (of %(total)s)", total=_pages_total()),
        quiz_best=_("Quiz best score (%)"),
        quiz_passed=_("Quiz passed"),
        status=_("Workshop status"),
        version=_("Version"),
        total=_("Total"),
        yes=_("Yes"),
        no=_("No"),
        with_points=_("%(label)s (%(points)s)"),
        quiz_best_at=_("Quiz best score on (UTC)"),
        quiz_attempts=_("Quiz attempts"),
        overall_comment=_("Overall comment"),
        released_at=_("Grade released on (UTC)"),
    )


@bp.route("/cohorts/<int:cohort_id>/results.csv")
@role_required("trainer")
def export_results(cohort_id: int) -> Any:
    """Download the cohort's results with one column per rubric criterion."""
    cohort = trainer_cohort_or_404(cohort_id)
    header, table = _results_table(cohort_id)
    filename = export_filename(cohort["name"], _("results"), day=utc_today())
    return csv_response(csv_bytes(header, table), filename)


@bp.route("/cohorts/<int:cohort_id>/results.xlsx")
@role_required("trainer")
def export_workbook(cohort_id: int) -> Any:
    """Download the results and the quiz attempts as one Excel workbook, a sheet each."""
    from courseware.quiz.views import attempts_export_table  # the quiz area's table

    cohort = trainer_cohort_or_404(cohort_id)
    data = workbook_bytes([
        (_("Results"), *_results_table(cohort_id)),
        (_("Quiz attempts"), *attempts_export_table(cohort)),
    ])
    filename = export_filename(cohort["name"], _("results"), day=utc_today(), extension="xlsx")
    return download_response(data, filename, XLSX_TYPE)


def _results_table(cohort_id: int) -> tuple[list[Any], list[list[Any]]]:
    rubric = _rubric()
    db = get_db()
    rows = cohort_progress(db, cohort_id, _pages_total())
    grades = grades_of_cohort(db, cohort_id)
    best_dates = best_score_dates(db, cohort_id)
    results = []
    for row in sort_progress(rows, "name"):
        grade = grades.get(row.submission_id) if row.submission_id is not None else None
        released = grade is not None and grade.is_released
        told = grade is not None and grade.is_visible_to_trainee
        results.append(
            ResultRow(
                name=row.name,
                email=row.email,
                pages_read=row.pages_read,
                quiz_best_percent=row.quiz_best_percent,
                quiz_passed=row.quiz_passed,
                status_label=str(TRAINER_STATUS_LABELS[row.status]),
                version=row.version,
                levels=grade.sheet.levels if released and grade else {},
                graded=released,
                quiz_best_at=best_dates.get(row.user_id),
                quiz_attempts=row.quiz_attempts,
                # What the trainee has been told: the comment of returned work too.
                overall_comment=grade.sheet.overall_comment if told and grade else "",
                released_at=grade.decided_at if released and grade else None,
            )
        )
    return cohort_results_table(rubric, results, _result_labels())


@dataclass
class GradingOutcome:
    """What happened to a grading request: what was stored, what went wrong."""

    saved: StoredGrade | None = None
    problems: list[GradeProblem] = field(default_factory=list)
    conflict: StoredGrade | None = None
    decided: bool = False
    needs_confirmation: bool = False


def _grade(
    cohort_id: int,
    submission_id: int,
    action: GradingAction,
    sheet: GradeSheet,
    expected_revision: int,
    confirmed: bool = False,
) -> GradingOutcome:
    """Save the sheet, then release or return if asked and confirmed; the draft is kept even when
    that fails."""
    rubric = _rubric()
    outcome = GradingOutcome()
    with write() as db:
        submission = submission_in_cohort_or_404(db, cohort_id, submission_id)
        latest = is_latest_version(db, submission)
        state = action_problems(
            GradingAction.SAVE_DRAFT, rubric=rubric, sheet=sheet,
            submission_status=submission.status, is_latest_version=latest,
        )
        if state:
            outcome.problems.extend(state)
            return outcome
        try:
            outcome.saved = save_sheet(
                db, submission=submission, rubric=rubric, sheet=sheet,
                expected_revision=expected_revision, trainer_id=current_user.id,
            )
        except GradeConflict as conflict:
            outcome.conflict = conflict.stored
            return outcome
        if action is GradingAction.SAVE_DRAFT:
            return outcome
        decision = action_problems(
            action, rubric=rubric, sheet=sheet,
            submission_status=submission.status, is_latest_version=latest,
        )
        if decision:
            outcome.problems.extend(decision)
            return outcome
        if not confirmed:
            outcome.needs_confirmation = True
            return outcome
        record_decision(db, submission_id=submission.id,
                        outcome=status_after(action, submission.status),
                        trainer_id=current_user.id)
        outcome.decided = True
    return outcome


def _posted_sheet(rubric: Rubric) -> tuple[GradeSheet, tuple[GradeProblem, ...]]:
    form = request.form
    levels = {cid: form.get(f"level-{cid}") for cid in rubric.ids}
    comments = {cid: form.get(f"comment-{cid}", "") for cid in rubric.ids}
    return sheet_from_input(rubric, levels, comments, form.get(f"comment-{OVERALL_FIELD}", ""))


def _posted_revision(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError, OverflowError):  # OverflowError: JSON Infinity
        return -1  # never a stored revision, so a mangled form is treated as stale


def _row_id(raw: str | None) -> int | None:
    """Return a posted row id, or None for anything that cannot be one."""
    if raw and raw.isascii() and raw.isdecimal() and len(raw) <= 9:
        return int(raw)
    return None


def _with_bank_text(sheet: GradeSheet, target: str, text: str) -> GradeSheet:
    """Append a bank comment to the target's comment, on a new line."""
    current = sheet.overall_comment if target == OVERALL_FIELD else sheet.comment(target)
    joined = f"{current}\n{text}" if current and not current.endswith(("\n", " ")) else current + text
    if target == OVERALL_FIELD:
        return GradeSheet(sheet.levels, sheet.comments, joined)
    return GradeSheet(sheet.levels, {**sheet.comments, target: joined}, sheet.overall_comment)


@bp.route("/cohorts/<int:cohort_id>/submissions/<int:submission_id>/", methods=["GET", "POST"])
@role_required("trainer")
def grade(cohort_id: int, submission_id: int) -> Any:
    """Grade one submission: the work beside the rubric, levels, comments, release or return."""
    cohort = trainer_cohort_or_404(cohort_id)
    db = get_db()
    submission = submission_in_cohort_or_404(db, cohort_id, submission_id)
    rubric = _rubric()
    if request.method == "GET":
        stored = load_grade(db, submission.id)
        sheet = stored.sheet if stored else GradeSheet()
        carried_from = None
        if stored is None and submission.status == SUBMITTED:
            # A resubmission starts from the levels and comments of the version returned.
            carried = carried_over(grades_of_trainee(db, submission.user_id).values(),
                                   submission.version)
            if carried is not None:
                sheet, carried_from = carried.sheet, carried.version
        confirm = request.args.get("confirm")
        return _render_grading(cohort, submission, sheet, stored, revision=_revision(stored),
                               carried_from=carried_from,
                               confirm=confirm if confirm in CONFIRMABLE else None)

    sheet, input_problems = _posted_sheet(rubric)
    expected = _posted_revision(request.form.get("revision"))
    action_name = request.form.get("action", GradingAction.SAVE_DRAFT.value)
    # "confirm-release" and "confirm-return" come from the confirmation the first press asks.
    confirmed = action_name.startswith(CONFIRM_PREFIX)
    try:
        action = GradingAction(action_name.removeprefix(CONFIRM_PREFIX))
    except ValueError:
        action = GradingAction.SAVE_DRAFT
    notice = None

    # "criterion:id" puts a saved comment into that criterion's box (any comment fits any
    # criterion); a bare id, into the box it was saved from.
    field_name, _colon, raw_id = request.form.get("bank_insert", "").rpartition(":")
    insert_id = _row_id(raw_id)
    if insert_id is not None:
        entry = bank_entry(db, current_user.id, insert_id, cohort_id)
        into = field_name if field_name in (*rubric.ids, OVERALL_FIELD) else None
        if entry is not None and bank_problem(rubric.ids, entry.target, entry.text) is None:
            sheet = _with_bank_text(sheet, into or entry.target, entry.text)
        action = GradingAction.SAVE_DRAFT
    bank_target = request.form.get("bank_add", "")
    if bank_target:
        action = GradingAction.SAVE_DRAFT
        notice = _add_bank_comment(rubric, sheet, bank_target, input_problems)

    if input_problems:
        stored = load_grade(db, submission.id)
        return _render_grading(cohort, submission, sheet, stored, revision=expected,
                               errors=field_errors(input_problems), status=422)
    outcome = _grade(cohort_id, submission_id, action, sheet, expected, confirmed)
    if outcome.conflict is not None:
        # Keep the trainer's own text on the page and arm the next save to replace theirs.
        return _render_grading(cohort, submission, sheet, outcome.conflict,
                               revision=outcome.conflict.revision, conflict=outcome.conflict,
                               status=409)
    if outcome.problems:
        stored = outcome.saved or load_grade(db, submission.id)
        return _render_grading(cohort, submission, sheet, stored, revision=_revision(stored),
                               errors=field_errors(outcome.problems), status=422)
    if outcome.needs_confirmation:
        return redirect(url_for("trainer.grade", cohort_id=cohort_id, submission_id=submission_id,
                                confirm=action.value, _anchor="confirm"))
    if outcome.decided:
        name = _trainee(db, submission.user_id)["name"]
        if action is GradingAction.RELEASE:
            flash(_("Grade released to %(name)s.", name=name), "success")
        else:
            flash(_("Returned to %(name)s for revision.", name=name), "success")
    elif notice:
        flash(notice[0], notice[1])
    else:
        flash(_("Draft saved."), "success")
    return redirect(url_for("trainer.grade", cohort_id=cohort_id, submission_id=submission_id))


def _add_bank_comment(
    rubric: Rubric, sheet: GradeSheet, target: str, input_problems: tuple[GradeProblem, ...]
) -> tuple[str, str] | None:
    text = sheet.overall_comment if target == OVERALL_FIELD else sheet.comment(target)
    problem = bank_problem(rubric.ids, target, text)
    if problem == "unknown_target":
        return None
    if problem:
        return bank_problem_message(problem), "error"
    if input_problems:
        return None
    with write() as db:
        _entry, created = add_to_bank(db, current_user.id, target, text)
    return bank_saved_message(created), "success"


def _revision(stored: StoredGrade | None) -> int:
    return stored.revision if stored else 0


def _trainee(db: Any, user_id: int) -> dict[str, Any]:
    rows = fetch_all(db, "SELECT id, name, email FROM users WHERE id = ?", [user_id])
    return rows[0] if rows else {"id": user_id, "name": "", "email": ""}


def _render_grading(
    cohort: dict[str, Any],
    submission: Submission,
    sheet: GradeSheet,
    stored: StoredGrade | None,
    *,
    revision: int,
    errors: dict[str, str] | None = None,
    conflict: StoredGrade | None = None,
    status: int = 200,
    carried_from: int | None = None,
    confirm: str | None = None,
) -> tuple[str, int]:
    db = get_db()
    rubric = _rubric()
    case = case_in(current_language())
    latest = is_latest_version(db, submission)
    editable = latest and submission.status == SUBMITTED
    previous_id, next_id = adjacent_ungraded(grading_queue(db, cohort["id"]), submission.id)
    history_grades = grades_of_trainee(db, submission.user_id)
    history = [
        {**version, "grade": history_grades.get(version["id"])}
        for version in versions_of_trainee(db, submission.user_id)
        if version["id"] != submission.id
    ]
    return render_template(
        "trainer/grade.html",
        cohort=cohort,
        submission=submission,
        trainee=_trainee(db, submission.user_id),
        rubric=rubric,
        sheet=sheet,
        stored=stored,
        revision=revision,
        total=rubric_total(rubric, sheet.levels),
        errors=errors or {},
        conflict=conflict,
        editable=editable,
        is_latest=latest,
        previous_id=previous_id,
        next_id=next_id,
        history=history,
        bank=bank_entries(db, current_user.id, cohort["id"]),
        criterion_titles={c.id: c.title for c in rubric.criteria},
        carried_from=carried_from,
        confirm=confirm if editable else None,
        undo_until=_undo_until(stored),
        undo_minutes=current_app.config["UNDO_WINDOW_SECONDS"] // 60,
        changes=_changes_since_previous(db, submission, case),
        change_fields=_change_field_labels(),
        text_diff=text_diff,
        **review_context(submission.workshop, case, cohort["max_key_accounts"]),
        status_labels=TRAINER_STATUS_LABELS,
        percent_of=percent_of,
    ), status


def _undo_until(stored: StoredGrade | None) -> str | None:
    """Return until when the release or return can be undone, or None when it cannot."""
    if stored is None or stored.decided_at is None:
        return None
    if not stored.can_undo(decisions_settled_before()):
        return None
    return undo_deadline(stored.decided_at, current_app.config["UNDO_WINDOW_SECONDS"])


@bp.route("/cohorts/<int:cohort_id>/submissions/<int:submission_id>/undo", methods=["POST"])
@role_required("trainer")
def undo(cohort_id: int, submission_id: int) -> Any:
    """Take back a release or return within its window, before the trainee sees it."""
    trainer_cohort_or_404(cohort_id)
    with write() as db:
        submission = submission_in_cohort_or_404(db, cohort_id, submission_id)
        stored = load_grade(db, submission.id)
        if (stored is None or not stored.can_undo(decisions_settled_before())
                or not is_latest_version(db, submission)):
            flash(_("This can no longer be undone: the trainee can already see it."), "error")
        else:
            undo_decision(db, submission.id)
            flash(_("Undone. The trainee saw nothing; the work is waiting to be graded again."),
                  "success")
    return redirect(url_for("trainer.grade", cohort_id=cohort_id, submission_id=submission_id))


def _changes_since_previous(db: Any, submission: Submission, case: Case) -> dict[str, Any] | None:
    """Return what changed since the trainee's previous version, or None for a first version."""
    previous = previous_submission(db, submission)
    if previous is None:
        return None
    names = ChangeNames(
        judgement=_("Judgement"), top_n=_("Top N"), min_score=_("Minimum score"),
        figure_names={figure.id: figure.label for figure in case.figures},
        direction_names={"higher": _("higher is better"), "lower": _("lower is better")},
        candidate_names={candidate.id: candidate.name for candidate in case.candidates},
        frequency_names={key: str(label) for key, label in FREQUENCY_LABELS.items()},
        responsibility_names={key: str(label) for key, label in RESPONSIBILITY_LABELS.items()},
    )
    changes = workshop_changes(
        previous.workshop, submission.workshop,
        evaluate(previous.workshop, case.candidates).key_account_ids,
        evaluate(submission.workshop, case.candidates).key_account_ids, names)
    return {"previous": previous, "fields": changes}


def _change_field_labels() -> dict[str, str]:
    return {
        "name": _("Name"), "description": _("Description"), "weight": _("Weight (%)"),
        "measure": _("Measured by"), "thresholds": _("Thresholds for 2 to 5 points"),
        "anchors": _("Judgement anchors (levels 1 to 5)"), "scores": _("Judgement scores"),
        "added": _("Added"), "removed": _("Removed"), "cutoff": _("Cut-off"),
        "key_accounts": _("Key accounts"), "justification": _("Justification"),
        "definition": _("Definition or formula"), "unit": _("Unit"), "target": _("Target"),
        "frequency": _("Review frequency"), "data_source": _("Data source"),
        "responsibility": _("Responsibility monitored"),
        "criteria": _("Selection criteria"), "kpis": _("KPIs"),
    }


def _json_error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    return jsonify({"ok": False, "message": message, **extra}), status


@bp.route(
    "/cohorts/<int:cohort_id>/submissions/<int:submission_id>/autosave", methods=["POST"]
)
@accepts_json
@role_required("trainer")
def autosave(cohort_id: int, submission_id: int) -> Any:
    """Save the grading draft sent by grading.js; report conflicts instead of overwriting."""
    trainer_cohort_or_404(cohort_id)
    submission_in_cohort_or_404(get_db(), cohort_id, submission_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _json_error(400, _("The grade could not be read. Reload the page and try again."))
    rubric = _rubric()
    levels = payload.get("levels") if isinstance(payload.get("levels"), dict) else {}
    comments = payload.get("comments") if isinstance(payload.get("comments"), dict) else {}
    sheet, problems = sheet_from_input(rubric, levels, comments, payload.get("overall_comment"))
    if problems:
        return _json_error(422, _("Not saved: check the highlighted fields."),
                           errors=field_errors(problems))
    outcome = _grade(cohort_id, submission_id, GradingAction.SAVE_DRAFT, sheet,
                     _posted_revision(payload.get("revision")))
    if outcome.conflict is not None:
        return _json_error(409, _conflict_message(outcome.conflict),
                           stored_revision=outcome.conflict.revision)
    if outcome.problems or outcome.saved is None:
        return _json_error(409, sentence_gap().join(problem_message(p) for p in outcome.problems))
    saved = outcome.saved
    return jsonify({
        "ok": True,
        "revision": saved.revision,
        "saved_at": saved.saved_at,
        "saved_label": _("Last saved at %(time)s", time=when_text(saved.saved_at)),
        "total": saved.total,
    })


def _conflict_message(stored: StoredGrade) -> str:
    return _(
        "%(name)s saved this grade at %(time)s while you were working. Your text is still on "
        "this page but has not been saved: press “Save draft” to compare both versions.",
        name=stored.saved_by_name or _("Another trainer"),
        time=when_text(stored.saved_at),
    )


@bp.route("/comment-bank", methods=["POST"])
@accepts_json
@role_required("trainer")
def add_comment_to_bank() -> Any:
    """Save a comment to the trainer's bank (from grading.js); answer with the entry."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _json_error(400, _("The comment could not be read. Reload the page and try again."))
    target, text = payload.get("target"), payload.get("text")
    problem = bank_problem(_rubric().ids, target, text)
    if problem:
        return _json_error(422, bank_problem_message(problem))
    with write() as db:
        entry, created = add_to_bank(db, current_user.id, target, text)
    return jsonify({"ok": True, "id": entry.id, "text": entry.text, "created": created,
                    "message": bank_saved_message(created)})


@bp.route("/comment-bank/")
@role_required("trainer")
def comment_bank() -> Any:
    """List the trainer's saved comments, all or one criterion's, each to edit or delete."""
    return _render_bank(request.args.get("target", ""), _safe_back(request.args.get("back")))


def _render_bank(shown: str, back: str | None, *, error: tuple[int, str, str] | None = None,
                 status: int = 200) -> tuple[str, int]:
    targets = {criterion.id: criterion.title for criterion in _rubric().criteria}
    targets[OVERALL_FIELD] = _("Overall comment")
    shown = shown if shown in targets else ""
    entries = bank_entries(get_db(), current_user.id)
    groups = [(target, title, entries[target]) for target, title in targets.items()
              if (not shown or shown == target) and entries.get(target)]
    # error: (entry id, message, the text as typed), shown in place of the stored text.
    return render_template("trainer/comment_bank.html", targets=targets, shown=shown,
                           groups=groups, back=back, error=error), status


def _safe_back(raw: str | None) -> str | None:
    """Return a path on this site to go back to (a grading page), or None."""
    if raw and raw.startswith("/") and not raw.startswith(("//", "/\\")):
        return raw
    return None


@bp.route("/comment-bank/<int:entry_id>", methods=["POST"])
@role_required("trainer")
def edit_bank_entry(entry_id: int) -> Any:
    """Save a comment's new text, or delete it, then show the bank again."""
    shown = request.form.get("target", "")
    back = _safe_back(request.form.get("back"))
    with write() as db:
        if request.form.get("action") == "delete":
            if delete_bank_entry(db, current_user.id, entry_id):
                flash(_("Comment deleted from your comment bank."), "success")
            else:
                flash(_("This comment is no longer in your comment bank."), "error")
        else:
            entry = bank_entry(db, current_user.id, entry_id)
            text = request.form.get("text", "")
            problem = ("missing" if entry is None
                       else bank_problem(_rubric().ids, entry.target, text))
            problem = problem or update_bank_entry(db, current_user.id, entry_id, text)
            if problem is None:
                flash(_("Comment saved."), "success")
            elif problem == "missing":
                flash(_("This comment is no longer in your comment bank."), "error")
            else:
                message = (bank_saved_message(False) if problem == "duplicate"
                           else bank_problem_message(problem))
                return _render_bank(shown, back, error=(entry_id, message, text), status=422)
    return redirect(url_for("trainer.comment_bank", target=shown or None, back=back))


@bp.route("/cohorts/<int:cohort_id>/submissions/<int:submission_id>/export.csv")
@role_required("trainer")
def export_submission(cohort_id: int, submission_id: int) -> Any:
    """Download one submission: whose, its criteria, weights, scores, KPIs and the grade."""
    cohort = trainer_cohort_or_404(cohort_id)  # 404 unless the trainer runs this cohort
    db = get_db()
    submission = submission_in_cohort_or_404(db, cohort_id, submission_id)
    person = _trainee(db, submission.user_id)
    rows = _submission_table(db, person, submission, case_in(current_language()))
    filename = export_filename(cohort["name"], person["name"],
                               _("v%(version)s", version=submission.version), day=utc_today())
    return csv_response(csv_bytes(rows[0], rows[1:]), filename)


def _submission_table(db: Any, person: dict[str, Any], submission: Submission,
                      case: Case) -> list[list[Any]]:
    """Return one version's rows: the heading that names it, the work, the grade as saved."""
    stored = load_grade(db, submission.id)
    heading = SubmissionHeading(person["name"], person["email"], submission.version,
                                submission.submitted_at,
                                str(TRAINER_STATUS_LABELS[submission.status]))
    return [
        *heading_rows(heading, HeadingLabels(
            trainee=_("Trainee"), email=_("Email"), version=_("Version"),
            submitted=_("Submitted (UTC)"), status=_("Status"))),
        *submission_rows(submission.workshop, evaluate(submission.workshop, case.candidates),
                         {candidate.id: candidate.name for candidate in case.candidates},
                         _submission_labels(case)),
        *grade_rows(_rubric(), stored.sheet if stored else None, GradeLabels(
            grade=_("Grade"), criterion=_("Rubric criterion"), points=_("Points"),
            comment=_("Comment"), total=_("Total"), overall_comment=_("Overall comment"))),
    ]


def _trainee_tables(db: Any, cohort_id: int,
                    person: dict[str, Any]) -> list[tuple[int, list[list[Any]]]]:
    """Return (version, table) for each version of the trainee's workshop, oldest first."""
    case = case_in(current_language())
    return [(version["version"], _submission_table(
                db, person, submission_in_cohort_or_404(db, cohort_id, version["id"]), case))
            for version in reversed(versions_of_trainee(db, person["id"]))]


def _trainee_export_name(cohort: dict[str, Any], person: dict[str, Any], extension: str) -> str:
    return export_filename(cohort["name"], person["name"], _("submissions"), day=utc_today(),
                           extension=extension)


@bp.route("/cohorts/<int:cohort_id>/trainees/<int:trainee_id>/submissions.<any(csv, xlsx):kind>")
@role_required("trainer")
def export_trainee_submissions(cohort_id: int, trainee_id: int, kind: str) -> Any:
    """Download every version a trainee submitted as one named file: CSV, or a sheet each."""
    cohort = trainer_cohort_or_404(cohort_id)
    db = get_db()
    person = trainee_in_cohort_or_404(db, cohort_id, trainee_id)
    tables = _trainee_tables(db, cohort_id, person)
    if not tables:
        flash(_("%(name)s has not submitted the workshop yet: there is nothing to download.",
                name=person["name"]), "error")
        return redirect(url_for("trainer.trainee", cohort_id=cohort_id, trainee_id=trainee_id))
    if kind == "xlsx":
        data = workbook_bytes([(_("v%(version)s", version=version), table[0], table[1:])
                               for version, table in tables])
        return download_response(data, _trainee_export_name(cohort, person, "xlsx"), XLSX_TYPE)
    return csv_response(_versions_csv(tables), _trainee_export_name(cohort, person, "csv"))


def _versions_csv(tables: list[tuple[int, list[list[Any]]]]) -> bytes:
    """Return the versions one after the other, two blank lines between them."""
    rows = [row for index, (_version, table) in enumerate(tables)
            for row in ([[], []] if index else []) + table]
    return csv_bytes(rows[0], rows[1:])


@bp.route("/cohorts/<int:cohort_id>/submissions.zip")
@role_required("trainer")
def export_all_submissions(cohort_id: int) -> Any:
    """Download a zip holding one named CSV per trainee with every version they submitted."""
    cohort = trainer_cohort_or_404(cohort_id)
    db = get_db()
    files = []
    for row in sort_progress(cohort_progress(db, cohort_id, _pages_total()), "name"):
        if row.version is None:
            continue
        person = {"id": row.user_id, "name": row.name, "email": row.email}
        files.append((_trainee_export_name(cohort, person, "csv"),
                      _versions_csv(_trainee_tables(db, cohort_id, person))))
    filename = export_filename(cohort["name"], _("submissions"), day=utc_today(), extension="zip")
    return download_response(zip_bytes(files), filename, "application/zip")


def _submission_labels(case: Case) -> SubmissionLabels:
    return SubmissionLabels(
        criteria=_("Selection criteria"), criterion=_("Criterion"), description=_("Description"),
        weight=_("Weight (%)"), measure=_("Measured by"), figure=_("Figure"),
        judgement=_("Judgement"), thresholds=_("Thresholds for 2 to 5 points"),
        anchors=_("Judgement anchors (levels 1 to 5)"),
        ranking=_("Ranking"), rank=_("Rank"), candidate=_("Customer"),
        score=_("Weighted score"), key_account=_("Key account"), yes=_("Yes"),
        cutoff=_("Cut-off"), top_n=_("Top N"), min_score=_("Minimum score"),
        justification=_("Justification"), kpis=_("KPIs"), kpi=_("KPI"),
        definition=_("Definition or formula"), unit=_("Unit"), target=_("Target"),
        frequency=_("Review frequency"), data_source=_("Data source"),
        responsibility=_("Responsibility monitored"),
        figure_names={figure.id: figure.label for figure in case.figures},
        frequency_names={key: str(label) for key, label in FREQUENCY_LABELS.items()},
        responsibility_names={key: str(label) for key, label in RESPONSIBILITY_LABELS.items()},
        figure_named=_("%(label)s: %(figure)s"),
    )
