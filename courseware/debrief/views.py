"""The room's workshop debrief on the projector: a cohort's trainers only, anonymised by default."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from courseware.auth.access import role_required, trainer_cohort_or_404
from courseware.db import get_db, write
from courseware.debrief.chart import frequency_chart, strip_chart
from courseware.debrief.room import JUDGEMENT, distribution_summary, room_debrief
from courseware.debrief.store import (
    SOURCES,
    SUBMITTED,
    RoomWorkshop,
    reference_submission_id,
    room_workshops,
    set_reference,
)
from courseware.i18n import LANGUAGES, current_language
from courseware.live.questions import CRITERIA_SOURCE, in_lang
from courseware.live.store import StoredQuestion, latest_points_answers
from courseware.workshop import messages
from courseware.workshop.case import Case
from courseware.workshop.chart import score_chart
from courseware.workshop.presentation import case_in, review_context
from courseware.workshop.scoring import evaluate
from courseware.workshop.store import load_submission

bp = Blueprint("debrief", __name__, url_prefix="/<lang>/trainer/cohorts/<int:cohort_id>/debrief")
BOTH = "both"
MAX_ID = 2 ** 63 - 1  # SQLite's largest integer


def _options() -> dict[str, Any]:
    """Return the page's display options from the query string, unknown values ignored."""
    source = request.args.get("source", SUBMITTED)
    return {
        "source": source if source in SOURCES else SUBMITTED,
        "names": request.args.get("names") == "1",
        "show": BOTH if request.args.get("show") == BOTH else "",
    }


@bp.route("/")
@role_required("trainer")
def room(cohort_id: int) -> Any:
    """Show what the room's workshops say together, in one language or both side by side."""
    cohort = trainer_cohort_or_404(cohort_id)
    options = _options()
    db = get_db()
    entries = room_workshops(db, cohort_id, options["source"])
    reference_id = reference_submission_id(db, cohort_id)
    reference = load_submission(db, reference_id) if reference_id else None
    live = latest_points_answers(db, cohort_id, CRITERIA_SOURCE)
    languages = LANGUAGES if options["show"] == BOTH else (current_language(),)
    panels = []
    for lang in languages:
        # Each language's panel says everything in its own words and the case's own names.
        with force_locale(lang):
            context = _room_context(entries, case_in(lang), reference, cohort, options, lang)
            context["live"] = _live_context(live, lang)
            panels.append((lang, _rendered("debrief/_room.html", context)))
    return render_template(
        "debrief/room.html", cohort=cohort, options=options, panels=panels,
        entries=entries, labels=_trainee_labels(entries, options["names"]),
        submitted=[entry for entry in entries if entry.submission_id is not None],
        reference_id=reference.id if reference else None,
    )


@bp.route("/reference", methods=["POST"])
@role_required("trainer")
def reference(cohort_id: int) -> Any:
    """Mark one of the cohort’s submitted versions as the reference solution, or clear it."""
    trainer_cohort_or_404(cohort_id)
    back = {key: value for key, value in (
        ("source", request.form.get("source")), ("names", request.form.get("names")),
        ("show", request.form.get("show"))) if value}
    if request.form.get("action") == "clear":
        with write() as db:
            set_reference(db, cohort_id, None, current_user.id)
        flash(_("The reference solution is cleared."), "success")
        return redirect(url_for("debrief.room", cohort_id=cohort_id, **back))
    submission_id = _whole(request.form.get("submission"))
    with write() as db:
        submission = load_submission(db, submission_id) if submission_id else None
        if submission is None or submission.cohort_id != cohort_id:
            flash(_("Choose one of the cohort’s submitted workshops as the reference."), "error")
        else:
            set_reference(db, cohort_id, submission.id, current_user.id)
            flash(_("Reference solution set."), "success")
    return redirect(url_for("debrief.room", cohort_id=cohort_id, **back))


@bp.route("/exemplars")
@role_required("trainer")
def exemplars(cohort_id: int) -> Any:
    """Show two of the room's workshops side by side, read-only, anonymised by default."""
    cohort = trainer_cohort_or_404(cohort_id)
    options = _options()
    entries = room_workshops(get_db(), cohort_id, options["source"])
    labels = _trainee_labels(entries, options["names"])
    by_user = {entry.user_id: entry for entry in entries}
    chosen = [by_user.get(_whole(request.args.get(side)) or 0) for side in ("a", "b")]
    problem = None
    if len(entries) < 2:
        problem = _("Two workshops are needed to compare; the room has %(count)s.",
                    count=len(entries))
    elif None in chosen or chosen[0] is chosen[1]:
        problem = _("Choose two different workshops to show side by side.")
    case = case_in(current_language())
    shown = [] if problem else [
        {"label": labels[entry.user_id], "prefix": f"ex{index}-",
         **review_context(entry.workshop, case, cohort["max_key_accounts"])}
        for index, entry in enumerate(chosen)]
    # A pick that names no workshop of the room is bad input: said on the page, with a 422.
    asked = "a" in request.args or "b" in request.args
    return render_template("debrief/exemplars.html", cohort=cohort, options=options,
                           entries=entries, labels=labels, shown=shown, problem=problem,
                           chosen=[entry.user_id if entry else None for entry in chosen]), \
        422 if problem and asked else 200


def _rendered(template: str, context: dict[str, Any]) -> Markup:
    """Return a rendered template to place inside another page."""
    return Markup(render_template(template, **context))  # noqa: S704 # nosec B704: autoescaped output


def _room_context(entries: Sequence[RoomWorkshop], case: Case, reference: Any,
                  cohort: dict[str, Any], options: dict[str, Any], lang: str) -> dict[str, Any]:
    debrief = room_debrief([entry.workshop for entry in entries], case.candidates, case.figures)
    names = {candidate.id: candidate.name for candidate in case.candidates}
    key_labels = _key_labels(case)
    context: dict[str, Any] = {
        "lang": lang, "debrief": debrief, "names": names, "key_labels": key_labels,
        "options": options, "cohort": cohort, "labels": messages,
        "enough": debrief.size >= 2,
    }
    if not context["enough"]:
        return context
    pooled = debrief.pooled_workshop
    context.update(
        strip=strip_chart(debrief.weights.spreads, key_labels, debrief.weights.pooled),
        frequency=frequency_chart(debrief.frequencies, names),
        room_chart=score_chart(debrief.pooled.ranking, names, pooled.cutoff),
        room_ranks={line.candidate_id: line.rank for line in debrief.pooled.ranking},
        reference=_reference_context(reference, case),
    )
    return context


def _live_context(live: tuple[StoredQuestion, list[dict[str, Any]]] | None, lang: str
                  ) -> dict[str, Any] | None:
    """The room's weights from the live 100-point question, drawn like the workshops' weights."""
    if live is None:
        return None
    stored, answers = live
    question = stored.question
    summary = distribution_summary([answer["answer"] for answer in answers], question.option_ids)
    labels = {option.id: in_lang(option.text, lang) for option in question.options}
    return {"prompt": in_lang(question.prompt, lang), "summary": summary, "labels": labels,
            "strip": strip_chart(summary.spreads, labels, summary.pooled)}


def _reference_context(reference: Any, case: Case) -> dict[str, Any] | None:
    if reference is None:
        return None
    result = evaluate(reference.workshop, case.candidates)
    return {"key_account_ids": result.key_account_ids,
            "ranks": {line.candidate_id: line.rank for line in result.ranking}}


def _key_labels(case: Case) -> dict[str, str]:
    labels = {figure.id: figure.label for figure in case.figures}
    labels[JUDGEMENT] = _("Judgement")
    return labels


def _trainee_labels(entries: Sequence[RoomWorkshop], names: bool) -> dict[int, str]:
    """Return what the page calls each trainee: their name, or a number in joining order."""
    return {entry.user_id: entry.name if names else _("Trainee %(number)s", number=index)
            for index, entry in enumerate(entries, start=1)}


def _whole(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None

