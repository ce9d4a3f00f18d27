"""The live session's pages: the trainer's panel and projector, the phones, the state they poll."""

from __future__ import annotations

import re
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from courseware.auth import attempts, guard
from courseware.auth.access import role_required, trainer_cohort_or_404
from courseware.db import get_db, utc_today, write
from courseware.downloads import csv_response
from courseware.i18n import current_language
from courseware.live import store
from courseware.live.messages import answer_problem_message, question_problem_message
from courseware.live.questions import (
    CRITERIA_SOURCE,
    LANGS,
    LiveQuestion,
    Written,
    answer_problem,
    criteria_question,
    discussion_questions,
    from_bank,
    in_lang,
    results,
    written_question,
)
from courseware.live.record import answer_text
from courseware.loaded_course import get_course
from courseware.request_checks import accepts_json
from courseware.templating import sentence_gap
from courseware.trainer.export import csv_bytes, export_filename
from courseware.workshop.presentation import case_in

bp = Blueprint("live", __name__, url_prefix="/<lang>/live")

MAX_NICKNAME = 40
# A phone's id for one answer: what crypto.randomUUID() or its fallback in live.js makes.
CLIENT_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
GUESTS_KEY = "live_guests"  # the Flask session's {session id: participant id} for guests


# The trainer's side ---------------------------------------------------------------------

def _trainer_session_or_404(session_id: int) -> dict[str, Any]:
    """The session if the signed-in trainer runs its cohort; 404 otherwise."""
    row = store.session_row(get_db(), session_id)
    if row is None:
        abort(404)
    row["cohort"] = trainer_cohort_or_404(row["cohort_id"])
    return row


@bp.route("/cohorts/<int:cohort_id>/", methods=["GET", "POST"])
@role_required("trainer")
def sessions(cohort_id: int) -> Any:
    """The cohort's live sessions; a post starts a new one."""
    cohort = trainer_cohort_or_404(cohort_id)
    if request.method == "POST":
        with write() as db:
            session_id = store.start_session(db, cohort_id=cohort_id, trainer_id=current_user.id,
                                             allow_guests=request.form.get("allow_guests") == "1")
        return redirect(url_for("live.panel", session_id=session_id))
    return render_template("live/sessions.html", cohort=cohort,
                           sessions=store.sessions_of_cohort(get_db(), cohort_id))


def _bank_questions() -> list[tuple[str, LiveQuestion]]:
    quiz = get_course().areas["quiz"]
    en, zh = quiz.bank("en"), quiz.bank("zh")
    return [(f"bank:{question.id}", from_bank({"en": question, "zh": zh.get(question.id)}))
            for question in en.questions if question.is_choice]


def _discussion() -> list[tuple[str, LiveQuestion]]:
    pages = {lang: next((page for page in get_course().pages[lang] if page.id == "discussion"),
                        None) for lang in LANGS}
    if any(page is None for page in pages.values()):
        return []
    found = discussion_questions({lang: str(page.html) for lang, page in pages.items()})
    return [(f"discussion:{n + 1}", question) for n, question in enumerate(found)]


def _criteria() -> list[tuple[str, LiveQuestion]]:
    """How the room would weigh the case's figures: the workshop debrief shows the answers."""
    prompt = {}
    for lang in LANGS:
        with force_locale(lang):
            prompt[lang] = _("How much should each criterion weigh?")
    return [(CRITERIA_SOURCE, criteria_question(
        prompt, {lang: case_in(lang).figures for lang in LANGS}))]


def _ready_made() -> dict[str, LiveQuestion]:
    return dict(_discussion() + _criteria() + _bank_questions())


@bp.route("/sessions/<int:session_id>/")
@role_required("trainer")
def panel(session_id: int) -> Any:
    """The trainer's control panel: questions to add, open, reveal; the room's answers."""
    live = _trainer_session_or_404(session_id)
    db = get_db()
    questions = store.questions_of_session(db, session_id)
    lang = current_language()
    return render_template(
        "live/panel.html", live=live, cohort=live["cohort"], questions=questions,
        discussion=_discussion(), criteria=_criteria(), bank=_bank_questions(), lang=lang, in_lang=in_lang,
        kind_labels=_kind_labels(), labels=_result_labels(),
        state_url=url_for("live.projector_state", session_id=session_id),
    )


def _kind_labels() -> dict[str, str]:
    return {"single": _("Single choice"), "multiple": _("Multiple choice"),
            "text": _("Open text"), "points": _("100 points"), "ranking": _("Ranking")}


def _result_labels() -> dict[str, str]:
    """The words live.js writes into the results, in the page's language."""
    return {
        "answers": _("Answers: %(count)s"), "option": _("Option"), "count": _("Answers"),
        "mean": _("Mean points"), "spread": _("Spread (standard deviation)"),
        "range": _("Lowest–highest"), "mean_rank": _("Average rank"),
        "agreement": _("Agreement of the rankings (Kendall's W): %(w)s"),
        "no_agreement": _("Agreement shows from two rankings on."),
        "answer": _("Answer"), "hide": _("Hide"), "correct": _("Correct answer"),
        "results": _("The room's results"), "no_answers": _("No answers yet."),
        "saved": _("Answer received."),
        "queued": _("Saved on this phone: it is sent when you are back online."),
        "sending": _("Sending…"), "closed": _("This question is closed."),
        "waiting": _("Waiting for the trainer to open a question."),
        "ended": _("The trainer has ended this session. Thank you!"),
        "opened": _("Question %(number)s is open."),
        "revealed": _("The results of question %(number)s are shown."),
        "total": _("Points given: %(sum)s of 100"), "up": _("Move up"), "down": _("Move down"),
        "send": _("Send answer"), "change": _("Change answer"), "explanation": _("Explanation"),
        "refused": _("Not sent: %(reason)s"), "your_answer": _("Your answer"),
        "position": _("Rank"), "closed_unsent": _("The question closed before your answer arrived."),
    }


def _problem(message: str) -> Any:
    flash(message, "error")
    return None


@bp.route("/sessions/<int:session_id>/questions", methods=["POST"])
@role_required("trainer")
def add_question(session_id: int) -> Any:
    """Add a ready-made question (discussion or quiz bank) or one the trainer wrote."""
    live = _trainer_session_or_404(session_id)
    back = redirect(url_for("live.panel", session_id=session_id) + "#add")
    if live["ended_at"]:
        _problem(_("This session has ended: start a new one to ask more questions."))
        return back
    source = request.form.get("source", "")
    if source == "written":
        form = request.form
        lines = {lang: form.get(f"options_{lang}", "").splitlines() for lang in LANGS}
        count = max(len(lines["en"]), len(lines["zh"]))
        options = [{lang: (lines[lang][n] if n < len(lines[lang]) else "") for lang in LANGS}
                   for n in range(count)]
        correct = [int(value) - 1 for value in form.getlist("correct")
                   if value.isdecimal() and len(value) < 4]
        made = written_question(Written(
            kind=form.get("kind", ""), prompt={lang: form.get(f"prompt_{lang}", "") for lang in LANGS},
            options=options, correct=correct,
            explanation={lang: form.get(f"explanation_{lang}", "") for lang in LANGS}))
        if isinstance(made, str):
            _problem(question_problem_message(made))
            return back
        question = made
    else:
        found = _ready_made().get(source)
        if found is None:
            _problem(_("Choose a question to add."))
            return back
        question = found
    with write() as db:
        store.add_question(db, session_id, question, source)
    flash(_("Question added."), "success")
    return back


def _action(session_id: int, question_id: int, act: Any) -> Any:
    live = _trainer_session_or_404(session_id)
    with write() as db:
        if store.question_of_session(db, session_id, question_id) is None:
            abort(404)
        if live["ended_at"]:
            flash(_("This session has ended."), "error")
        else:
            act(db, session_id, question_id)
    return redirect(url_for("live.panel", session_id=session_id))


@bp.route("/sessions/<int:session_id>/questions/<int:question_id>/open", methods=["POST"])
@role_required("trainer")
def open_question(session_id: int, question_id: int) -> Any:
    return _action(session_id, question_id, store.open_question)


@bp.route("/sessions/<int:session_id>/questions/<int:question_id>/close", methods=["POST"])
@role_required("trainer")
def close_question(session_id: int, question_id: int) -> Any:
    return _action(session_id, question_id, store.close_question)


@bp.route("/sessions/<int:session_id>/questions/<int:question_id>/reveal", methods=["POST"])
@role_required("trainer")
def reveal_question(session_id: int, question_id: int) -> Any:
    return _action(session_id, question_id, store.reveal_question)


@bp.route("/sessions/<int:session_id>/settings", methods=["POST"])
@role_required("trainer")
def settings(session_id: int) -> Any:
    """Guests allowed or not; the projector's language."""
    _trainer_session_or_404(session_id)
    lang = request.form.get("projector_lang")
    with write() as db:
        if lang in ("en", "zh", "both"):
            store.set_projector_lang(db, session_id, lang)
        if "allow_guests" in request.form:
            store.set_guests(db, session_id, request.form["allow_guests"] == "1")
    return redirect(url_for("live.panel", session_id=session_id))


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@role_required("trainer")
def end(session_id: int) -> Any:
    _trainer_session_or_404(session_id)
    with write() as db:
        store.end_session(db, session_id)
    flash(_("The session has ended; its join code opens nothing now."), "success")
    return redirect(url_for("live.panel", session_id=session_id))


@bp.route("/sessions/<int:session_id>/hide", methods=["POST"])
@accepts_json
@role_required("trainer")
def hide(session_id: int) -> Any:
    """Hide open answers from the board (JSON {answer_ids, hidden})."""
    _trainer_session_or_404(session_id)
    payload = request.get_json(silent=True)
    ids = payload.get("answer_ids") if isinstance(payload, dict) else None
    if not isinstance(ids, list) or not ids or not all(
            isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**62
            for value in ids):
        return jsonify({"ok": False, "message": _("Choose an answer to hide.")}), 400
    hidden = payload.get("hidden", True) is not False
    with write() as db:
        changed = sum(store.hide_answer(db, session_id, answer_id, hidden) for answer_id in ids)
    if not changed:
        return jsonify({"ok": False, "message": _("That answer is not in this session.")}), 404
    return jsonify({"ok": True})


@bp.route("/sessions/<int:session_id>/projector")
@role_required("trainer")
def projector(session_id: int) -> Any:
    """The room's screen: join code, QR code, the open question, then its results."""
    live = _trainer_session_or_404(session_id)
    join_url = url_for("live.join", code=live["code"], _external=True)
    qr = segno.make(join_url, error="m")
    return render_template(
        "live/projector.html", live=live, join_url=join_url,
        qr_svg=qr.svg_inline(scale=1, omitsize=True, border=2, dark="#000", light="#fff"),
        labels=_result_labels(), labels_zh=_labels_in("zh"), labels_en=_labels_in("en"),
        state_url=url_for("live.projector_state", session_id=session_id),
    )


def _labels_in(lang: str) -> dict[str, str]:
    with force_locale(lang):
        return _result_labels()


@bp.route("/sessions/<int:session_id>/state")
@role_required("trainer")
def projector_state(session_id: int) -> Any:
    """What the projector and the panel show, with live results; 304 when nothing changed."""
    live = _trainer_session_or_404(session_id)
    etag = f's{session_id}-{live["version"]}-{live["answers_version"]}'
    if _unchanged(etag):
        return _not_modified(etag)
    db = get_db()
    state = _public_state(db, live, trainer=True)
    return _state_response(state, etag)


@bp.route("/sessions/<int:session_id>/answers.csv")
@role_required("trainer")
def export(session_id: int) -> Any:
    """The trainees' answers of the session; guests' answers are not in it."""
    live = _trainer_session_or_404(session_id)
    lang = current_language()
    rows = store.trainee_answers_of_session(get_db(), session_id)
    header = [_("Name"), _("Email"), _("Question"), _("Question text"), _("Answer"), _("Answered at")]
    lines = [[row["name"], row["email"], row["position"], in_lang(row["question"].prompt, lang),
              answer_text(row["question"], row["answer"], lang), row["answered_at"]]
             for row in rows]
    name = export_filename(live["cohort"]["name"], _("live session"), str(session_id), day=utc_today())
    return csv_response(csv_bytes(header, lines), name)


# The state both sides poll ---------------------------------------------------------------

def _unchanged(etag: str) -> bool:
    return request.if_none_match.contains(etag)


def _not_modified(etag: str) -> Response:
    response = Response(status=304)
    _no_shared_cache(response, etag)
    return response


def _no_shared_cache(response: Response, etag: str) -> None:
    # The state names the viewer's own answer: a proxy keeps none of it, a browser asks again.
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(etag)


def _state_response(state: dict[str, Any], etag: str) -> Response:
    response = jsonify(state)
    _no_shared_cache(response, etag)
    return response


def _question_state(db: Any, stored: store.StoredQuestion, *, trainer: bool,
                    number: int) -> dict[str, Any]:
    question = stored.question
    show_answer = stored.revealed
    data: dict[str, Any] = {
        "id": stored.id, "number": number, "kind": stored.kind, "state": stored.state,
        "revealed": stored.revealed, "prompt": dict(question.prompt),
        "options": [{"id": option.id, "text": dict(option.text),
                     **({"correct": option.correct} if show_answer else {})}
                    for option in question.options],
    }
    if show_answer:
        data["explanation"] = dict(question.explanation or {})
    if trainer or show_answer:
        answers = store.answers_of_question(db, stored.id)
        data["results"] = results(question, [(row["id"], row["answer"]) for row in answers])
        if not trainer and "groups" in data["results"]:
            for group in data["results"]["groups"]:
                group.pop("answer_ids")
    return data


def _public_state(db: Any, live: dict[str, Any], *, trainer: bool) -> dict[str, Any]:
    state: dict[str, Any] = {
        "version": live["version"], "ended": bool(live["ended_at"]),
        "projector_lang": live["projector_lang"], "question": None,
    }
    if trainer:
        state["answers_version"] = live["answers_version"]
    if live["current_question_id"] and not live["ended_at"]:
        questions = store.questions_of_session(db, live["id"])
        for number, stored in enumerate(questions, start=1):
            if stored.id == live["current_question_id"]:
                state["question"] = _question_state(db, stored, trainer=trainer, number=number)
    return state


# The phones' side ------------------------------------------------------------------------

@bp.route("/join", methods=["GET", "POST"])
def join() -> Any:
    """Enter a session's code (the QR code fills it in); a guest also gives a nickname."""
    code = store.normal_session_code(request.values.get("code", ""))
    nickname = " ".join(request.form.get("nickname", "").split())
    error, status, sign_in = None, 200, False
    if request.method == "POST" or code:
        address, moment = guard.client_address(), guard.now()
        with write() as db:
            wait = guard.rate_limited(db, attempts.JOIN_CODE, address, moment)
            live = None if wait else store.running_session_by_code(db, code)
            if wait:
                error, status = (_("Too many wrong join codes from your network.")
                                 + sentence_gap() + guard.try_again_in(wait)), 429
            elif live is None:
                if code:
                    guard.spend(db, attempts.JOIN_CODE, address, moment)
                error = _("No running session has this code. Check it on the projector.")
            elif _trainee_of(live):
                store.participant_of_user(db, live["id"], current_user.id)
                return redirect(url_for("live.phone", code=live["code"]))
            elif _guest_participant(db, live) is not None:
                return redirect(url_for("live.phone", code=live["code"]))
            elif not live["allow_guests"]:
                if current_user.is_authenticated:
                    error = _("This session is for another cohort's trainees.")
                else:
                    # Signed in, the trainee comes back here and joins at once.
                    session["next"] = url_for("live.join", code=live["code"])
                    error = _("This session is for the cohort's trainees: sign in to join.")
                    sign_in = True
            elif request.method == "POST" and "nickname" in request.form:
                if not nickname:
                    error = _("Give a nickname for the room to know you by.")
                elif len(nickname) > MAX_NICKNAME:
                    error = _("Keep the nickname to %(count)s characters.", count=MAX_NICKNAME)
                else:
                    guest = store.add_guest(db, live["id"], nickname)
                    guests = dict(session.get(GUESTS_KEY, {}))
                    guests[str(live["id"])] = guest
                    session[GUESTS_KEY] = guests
                    return redirect(url_for("live.phone", code=live["code"]))
            else:
                return render_template("live/join.html", code=live["code"], ask_nickname=True,
                                       error=None, nickname="")
    return render_template("live/join.html", code=code, ask_nickname=False, error=error,
                           nickname=nickname, sign_in=sign_in), status


def _trainee_of(live: dict[str, Any]) -> bool:
    return (current_user.is_authenticated and current_user.role == "trainee"
            and current_user.cohort_id == live["cohort_id"])


def _guest_participant(db: Any, live: dict[str, Any]) -> int | None:
    guest = session.get(GUESTS_KEY, {}).get(str(live["id"]))
    if isinstance(guest, int) and store.participant(db, live["id"], guest) is not None:
        return guest
    return None


def _participant_or_404(code: str, live: dict[str, Any] | None = None) -> tuple[dict[str, Any], int]:
    """The running session of this code and the viewer's place in it; 404 for anyone else."""
    db = get_db()
    live = live or store.running_session_by_code(db, code)
    if live is None:
        abort(404)
    if _trainee_of(live):
        row = db.execute("SELECT id FROM live_participants WHERE session_id = ? AND user_id = ?",
                         [live["id"], current_user.id]).fetchone()
        if row:
            return live, row[0]
        with write() as db:
            return live, store.participant_of_user(db, live["id"], current_user.id)
    guest = _guest_participant(db, live)
    if guest is None:
        abort(404)
    return live, guest


@bp.route("/s/<code>/")
def phone(code: str) -> Any:
    """The phone's page: live.js fills it from the state and sends the answers."""
    live, participant_id = _participant_or_404(code)
    guest = store.participant(get_db(), live["id"], participant_id)
    return render_template(
        "live/phone.html", live=live, participant_id=participant_id,
        nickname=guest["nickname"] if guest else None, labels=_result_labels(),
        state_url=url_for("live.phone_state", code=live["code"]),
        answer_url=url_for("live.answer", code=live["code"]),
    )


@bp.route("/s/<code>/state")
def phone_state(code: str) -> Any:
    """The open question, the phone's own answer and, once revealed, the results; 304 if unchanged."""
    db = get_db()
    live = store.running_session_by_code(db, code)
    if live is None:
        # An ended session's code opens nothing; the phone says the session is over.
        return jsonify({"ended": True, "question": None, "version": 0}), 410
    live, participant_id = _participant_or_404(code, live)
    question_id = live["current_question_id"]
    mine = store.my_answer(db, question_id, participant_id) if question_id else None
    etag = f'p{participant_id}-{live["version"]}-{mine["client_id"] if mine else "-"}'
    if _unchanged(etag):
        return _not_modified(etag)
    state = _public_state(db, live, trainer=False)
    state["mine"] = mine if state["question"] else None
    return _state_response(state, etag)


@bp.route("/s/<code>/answer", methods=["POST"])
@accepts_json
def answer(code: str) -> Any:
    """Store a phone's answer once (JSON {question_id, client_id, answer})."""
    live, participant_id = _participant_or_404(code)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _answer_refused(400, "shape")
    question_id, client_id = payload.get("question_id"), payload.get("client_id")
    if (not isinstance(question_id, int) or isinstance(question_id, bool)
            or not isinstance(client_id, str) or not CLIENT_ID.fullmatch(client_id)):
        return _answer_refused(400, "shape")
    db = get_db()
    stored = store.question_of_session(db, live["id"], question_id) if 0 < question_id < 2**62 else None
    if stored is None:
        return _answer_refused(404, "unknown_question")
    problem = answer_problem(stored.question, payload.get("answer"))
    if problem:
        return _answer_refused(422, problem)
    with write() as db:
        stored = store.question_of_session(db, live["id"], question_id)  # as of the lock
        outcome = store.record_answer(db, live["id"], stored, participant_id, client_id,
                                      payload["answer"])
    if outcome == "closed":
        return _answer_refused(409, "closed")
    return jsonify({"ok": True, "client_id": client_id, "outcome": outcome})


def _answer_refused(status: int, problem: str) -> tuple[Response, int]:
    return jsonify({"ok": False, "problem": problem,
                    "message": answer_problem_message(problem)}), status
