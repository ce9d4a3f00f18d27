"""Taking, retaking and reviewing the quiz; the trainer's statistics for a cohort."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from courseware import render_cache
from courseware.auth.access import role_required, trainer_cohort_or_404
from courseware.content import ContentError
from courseware.db import WriteFailed, get_db, utc_today, write
from courseware.downloads import csv_response
from courseware.errors import ERROR_MESSAGES, error_page, not_stored_message
from courseware.i18n import LANGUAGES, current_language, other_language
from courseware.loaded_course import get_course
from courseware.lti.passback import queue_quiz_best
from courseware.quiz import store
from courseware.quiz.bank import QuestionBank, Quiz
from courseware.quiz.chart import Bar, bar_chart_svg
from courseware.quiz.export import AttemptLabels, AttemptLine, attempts_table
from courseware.quiz.forms import AttemptForm, StartForm, read_answers
from courseware.quiz.scoring import (
    DEFAULT_PASS_MARK,
    Answer,
    AnswerProblem,
    answered_count,
    find_problems,
    grade_attempt,
    regrade,
    saved_answer_problem,
)
from courseware.quiz.statistics import ScoredAttempt, question_statistics
from courseware.request_checks import accepts_json
from courseware.trainer.cohorts import cohorts_of_trainer
from courseware.trainer.export import csv_bytes, export_filename

bp = Blueprint("quiz", __name__, url_prefix="/<lang>/quiz")

# Problems a trainee can cause by leaving something out; any other problem means the form
# was altered, and gets a 400 instead of a message next to the question.
FIELD_MESSAGES = {
    AnswerProblem.MISSING: _l("Answer this question."),
    AnswerProblem.INCOMPLETE: _l("Choose a match for every item."),
}
# One answer's JSON is a few hundred bytes: a body beyond this is refused unread.
MAX_ANSWER_BYTES = 16 * 1024


def get_quiz() -> Quiz:
    """Return the quiz loaded with the course content at start-up."""
    return get_course().areas["quiz"]


@bp.record_once
def _check_pages_exist(state: Any) -> None:
    # The content loader validates each area's file on its own; only here are both the
    # pages and the quiz loaded, so this is where a question naming a missing page is caught.
    course = state.app.extensions["courseware.course"]
    unknown = sorted(course.areas["quiz"].page_ids - set(course.page_ids()))
    if unknown:
        raise ContentError("content/en/quiz.yaml", f"questions name unknown pages {unknown}")


@bp.route("/")
@role_required()
def index() -> Any:
    db = get_db()
    if current_user.is_trainer:
        return render_template("quiz/trainer_index.html", cohorts=cohorts_of_trainer(db, current_user.id))
    attempts = store.submitted_attempts(db, current_user.id)
    best = max(attempts, key=lambda a: (a.percent, -a.id), default=None)
    return render_template(
        "quiz/index.html",
        attempts=attempts,
        best=best,
        pass_mark=_pass_mark(),
        in_progress=store.open_attempt(db, current_user.id),
        question_count=len(get_quiz().bank(current_language()).questions),
        form=StartForm(),
    )


@bp.route("/start", methods=["POST"])
@role_required("trainee")
def start() -> Any:
    if not StartForm().validate_on_submit():
        abort(400)
    with write() as db:
        attempt = store.start_attempt(db, current_user.id)
    return redirect(url_for(".take", attempt_id=attempt.id))


@bp.route("/attempt/<int:attempt_id>", methods=["GET", "POST"])
@role_required("trainee")
def take(attempt_id: int) -> Any:
    attempt = _own_attempt_or_404(attempt_id, current_user.id)
    if attempt.is_submitted:
        if request.method == "POST":
            flash(_("This attempt was already submitted. Here is its review."), "info")
        return redirect(url_for(".review", attempt_id=attempt.id))
    bank = get_quiz().bank(current_language())
    if request.method == "GET":
        answers = store.stored_answers(get_db(), attempt.id)
        return render_template("quiz/take.html",
                               **_take_context(AttemptForm(), attempt, bank, answers, {}))
    form = AttemptForm()
    if not form.validate_on_submit() or form.token.data != attempt.token:
        return error_page(400, _("This quiz form is out of date. Open the quiz again."))
    answers = read_answers(request.form)
    problems = find_problems(bank, answers)
    if any(problem not in FIELD_MESSAGES for problem in problems.values()):
        return error_page(
            400,
            _("The answers named a question or option that is not in the quiz. "
              "Open the quiz again and answer from there."),
        )  # fmt: skip
    seq = change_count(request.form.get("seq", ""))
    try:
        switch_to = request.form.get("switch_to")
        if switch_to is not None:
            return _save_and_switch(attempt, answers, switch_to, seq)
        if request.form.get("save") is not None:
            return _save_and_switch(
                attempt, answers, current_language(), seq,
                notice=_("Your answers are saved. You can leave now and carry on with this "
                         "attempt later."))
        if not problems:
            return _submit(attempt, answers, bank)
        with write() as db:
            # Keep what was answered so far even if the trainee reloads instead of fixing.
            if store.is_open(db, attempt.id):
                store.save_answers(db, attempt.id, answers, seq)
    except WriteFailed as failure:
        # The page comes back with every answer as posted.
        return render_template("quiz/take.html", notice=not_stored_message(failure),
                               **_take_context(form, attempt, bank, answers, {})), 503
    return render_template("quiz/take.html",
                           **_take_context(form, attempt, bank, answers, problems))


def _take_context(form: AttemptForm, attempt: store.Attempt, bank: QuestionBank,
                  answers: dict[str, Any],
                  problems: dict[str, AnswerProblem]) -> dict[str, Any]:
    form.token.data = attempt.token
    messages = {qid: str(FIELD_MESSAGES[problem]) for qid, problem in problems.items()}
    return {
        "form": form,
        "attempt": attempt,
        "questions_html": render_cache.quiz_questions(bank, attempt.token, answers, messages),
        "problems": messages,
        "pass_mark": _pass_mark(),
        "other_language": other_language(),
        "answered": answered_count(bank, answers),
        "total": len(bank.questions),
    }


class UnreadableAnswer(Exception):
    """The body of an answer save is not the JSON object the page's script sends."""


def _json_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer the view's HTTP errors (403, 404...) as JSON, as its own refusals are."""

    @wraps(view)
    def answered(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except HTTPException as error:
            code = error.code or 500
            word = {403: "forbidden", 404: "not_found"}.get(code, "invalid")
            hint = ERROR_MESSAGES.get(code, ERROR_MESSAGES[400])[1]
            return jsonify(status=word, message=str(hint)), code

    return answered


@bp.route("/attempt/<int:attempt_id>/answers", methods=["POST"])
@accepts_json
@_json_errors
@role_required("trainee")
def save_answer(attempt_id: int) -> Any:
    """Save one question's answer as the trainee chooses it (the page's script sends JSON)."""
    user = current_user._get_current_object()  # one lookup, not one per attribute
    attempt = _own_attempt_or_404(attempt_id, user.id)
    try:
        token, question_id, answer, seq = _posted_answer()
    except UnreadableAnswer:
        return jsonify(status="invalid", message=_(
            "Not saved: the answer could not be read. Reload the page and answer again.")), 400
    bank = get_quiz().bank(current_language())
    if saved_answer_problem(bank, question_id, answer) is not None:
        return jsonify(status="invalid", message=_(
            "Not saved: the answer names a question or option that is not in the quiz. Reload "
            "the page and answer from there.")), 400
    try:
        with write() as db:
            answers = store.save_answer(db, attempt.id, token, question_id, answer, seq)
    except store.AnswerRefused as refusal:
        if refusal.reason == "missing":
            abort(404)
        if refusal.reason == "submitted":
            return jsonify(
                status="submitted",
                message=_("Not saved: this attempt was already submitted. Open its review to "
                          "see your score and the right answers."),
                review_url=url_for(".review", attempt_id=attempt.id)), 409
        return jsonify(status="stale",
                       message=_("This quiz form is out of date. Open the quiz again.")), 409
    return jsonify(status="saved", answered=answered_count(bank, answers),
                   total=len(bank.questions))


def _posted_answer() -> tuple[str, str, Answer, int]:
    """Return the token, question id, answer and change count of the posted JSON.

    The body is `{"token": str, "question": str, "answer": [option id, ...] or {item id:
    option id}, "seq": str}`; blank ids are skipped, as the form skips a blank choice.
    Raises UnreadableAnswer when the body is anything else.
    """
    if not request.is_json or (request.content_length or 0) > MAX_ANSWER_BYTES:
        raise UnreadableAnswer
    try:
        body = request.get_data(cache=False)
        posted = json.loads(body) if len(body) <= MAX_ANSWER_BYTES else None
    except (RequestEntityTooLarge, ValueError, RecursionError):
        raise UnreadableAnswer from None
    if not isinstance(posted, dict):
        raise UnreadableAnswer
    token, question_id, given = posted.get("token"), posted.get("question"), posted.get("answer")
    if type(token) is not str or type(question_id) is not str:
        raise UnreadableAnswer
    if type(given) is list and all(type(value) is str for value in given):
        strings = [token, question_id, *given]
        answer = Answer.choice(*filter(None, given))
    elif type(given) is dict and all(type(value) is str for value in given.values()):
        strings = [token, question_id, *given, *given.values()]
        answer = Answer.matching({item: option for item, option in given.items() if option})
    else:
        raise UnreadableAnswer
    try:
        # JSON can carry lone surrogates ("\udc80"), which no page or database can hold.
        "".join(strings).encode()
    except UnicodeEncodeError:
        raise UnreadableAnswer from None
    seq = posted.get("seq", "")
    return token, question_id, answer, change_count(seq if type(seq) is str else "")


@bp.route("/attempt/<int:attempt_id>/review")
@role_required("trainee")
def review(attempt_id: int) -> Any:
    attempt = _own_attempt_or_404(attempt_id, current_user.id)
    if not attempt.is_submitted:
        return redirect(url_for(".take", attempt_id=attempt.id))
    bank = get_quiz().bank(current_language())
    grade = regrade(bank, store.stored_answers(get_db(), attempt.id), _pass_mark())
    pages = {page.id: page for page in get_course().pages[current_language()]}
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        bank=bank,
        grade=grade,
        pass_mark=_pass_mark(),
        pages=pages,
        form=StartForm(),
    )


@bp.route("/cohort/<int:cohort_id>/attempts/<int:attempt_id>")
@role_required("trainer")
def trainee_review(cohort_id: int, attempt_id: int) -> Any:
    """Show a trainer the review of an attempt by one of their cohort's trainees."""
    cohort = trainer_cohort_or_404(cohort_id)
    db = get_db()
    attempt = store.attempt_in_cohort(db, attempt_id, cohort_id)
    if attempt is None:
        abort(404)
    bank = get_quiz().bank(current_language())
    grade = regrade(bank, store.stored_answers(db, attempt.id), cohort["pass_mark"])
    trainee = db.execute("SELECT id, name FROM users WHERE id = ?", [attempt.user_id]).fetchone()
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        bank=bank,
        grade=grade,
        pass_mark=cohort["pass_mark"],
        pages={page.id: page for page in get_course().pages[current_language()]},
        cohort=cohort,
        trainee={"id": trainee[0], "name": trainee[1]},
    )


@bp.route("/cohort/<int:cohort_id>/attempts.csv")
@role_required("trainer")
def export_attempts(cohort_id: int) -> Any:
    """Download every graded attempt of the cohort, one row each, with per-question points."""
    cohort = trainer_cohort_or_404(cohort_id)
    header, rows = attempts_export_table(cohort)
    filename = export_filename(cohort["name"], _("quiz attempts"), day=utc_today())
    return csv_response(csv_bytes(header, rows), filename)


def attempts_export_table(cohort: dict[str, Any]) -> tuple[list[Any], list[list[Any]]]:
    """Return the cohort's attempts export (the CSV's, and the workbook's sheet) in the page's
    language."""
    cohort_id = cohort["id"]
    db = get_db()
    bank = get_quiz().bank(current_language())
    answers = {attempt.attempt_id: attempt.answers for attempt in store.cohort_attempts(db, cohort_id)}
    lines, counted = [], {}
    for attempt, name, email in store.cohort_attempt_details(db, cohort_id):
        grade = regrade(bank, answers.get(attempt.id, {}), cohort["pass_mark"])
        counted[attempt.user_id] = counted.get(attempt.user_id, 0) + 1
        lines.append(AttemptLine(
            name=name, email=email, number=counted[attempt.user_id],
            submitted_at=attempt.submitted_at or "", lang=attempt.lang or "",
            percent=grade.percent, passed=grade.passed,
            points=[float(grade.result(question.id).score) for question in bank.questions],
        ))
    headings = [_("Q%(number)s", number=number) for number in range(1, len(bank.questions) + 1)]
    header, rows = attempts_table(headings, lines, AttemptLabels(
        name=_("Trainee"), email=_("Email"), attempt=_("Attempt"), submitted=_("Submitted (UTC)"),
        language=_("Language"), percent=_("Score (%)"), passed=_("Passed"), yes=_("Yes"),
        no=_("No"),
    ))
    return header, rows


@bp.route("/cohort/<int:cohort_id>")
@role_required("trainer")
def statistics(cohort_id: int) -> Any:
    cohort = trainer_cohort_or_404(cohort_id)
    db = get_db()
    bank = get_quiz().bank(current_language())
    attempts = [
        ScoredAttempt(row.attempt_id, row.user_id, regrade(bank, row.answers, cohort["pass_mark"]))
        for row in store.cohort_attempts(db, cohort_id)
    ]
    stats = question_statistics(bank, attempts)
    chart = bar_chart_svg(
        [
            Bar(
                label=_("Q%(number)s", number=number),
                value=item.facility,
                caption=_percent(item.facility),
            )
            for number, item in enumerate(stats, start=1)
        ],
        title=_("Facility index per question: share of the marks earned"),
        width=400,
        label_width=80,
        caption_width=60,
        bar_height=22,
    )
    return render_template(
        "quiz/statistics.html",
        cohort=cohort,
        bank=bank,
        stats=stats,
        chart=chart,
        attempt_count=len(attempts),
        trainees=store.cohort_trainees(db, cohort_id),
        summaries=store.best_scores(db, cohort_id),
    )


def _submit(attempt: store.Attempt, answers: dict[str, Answer], bank: QuestionBank) -> Any:
    grade = grade_attempt(bank, answers, _pass_mark())
    with write() as db:
        recorded = store.record_submission(db, attempt.id, attempt.token, answers, grade, current_language())
        if recorded:
            queue_quiz_best(db, current_user.id)
    if not recorded:
        flash(_("This attempt was already submitted. Here is its review."), "info")
    return redirect(url_for(".review", attempt_id=attempt.id))


def _save_and_switch(attempt: store.Attempt, answers: dict[str, Answer], lang: str,
                     seq: int, notice: str | None = None) -> Any:
    """Save the posted answers and open the attempt again in `lang`, with the notice if any."""
    if lang not in LANGUAGES:
        abort(400)
    with write() as db:
        if not store.is_open(db, attempt.id):
            flash(_("This attempt was already submitted. Here is its review."), "info")
            return redirect(url_for(".review", attempt_id=attempt.id, lang=lang))
        store.save_answers(db, attempt.id, answers, seq)
    if notice:
        flash(notice, "success")
    return redirect(url_for(".take", attempt_id=attempt.id, lang=lang))


def change_count(value: str) -> int:
    """The page's count of changes a save carries (its clock in ms); 0 when it names none."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 16 else 0


def _own_attempt_or_404(attempt_id: int, user_id: int) -> store.Attempt:
    attempt = store.attempt_of(get_db(), attempt_id, user_id)
    if attempt is None:
        abort(404)
    return attempt


def _pass_mark() -> int:
    pass_mark = current_user.pass_mark
    return DEFAULT_PASS_MARK if pass_mark is None else pass_mark


@bp.context_processor
def _number_formats() -> dict[str, Any]:
    return {"number": number, "percent": _percent}


def number(value: float | Fraction) -> str:
    """Return a score for display: at most two decimals, no trailing zeros."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"
