"""`make capacity` in short: what it plans, what it calls a held N, that it catches a lost write,
that a failing workshop tab never stops a quiz, and a run of 120 trainees under gunicorn."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, Response, abort, request
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.serving import make_server

from bench import seed
from bench.capacity import (
    ANSWER_SAVE,
    UNREADABLE,
    WORKSHOP_AUTOSAVE,
    WORKSHOP_PAGE,
    AnswerWrite,
    Ledger,
    Settings,
    TypeFigures,
    answer_key,
    attempt_questions,
    choose,
    drive_in_own_thread,
    form_answers,
    hidden_field,
    main,
    make_plan,
    missing_writes,
    run_capacity,
    type_figures,
    verdict,
)
from courseware.auth.users import create_user
from courseware.db import connect
from courseware.loaded_course import get_course
from tests.conftest import TRAINEE
from tests.support.servers import QUICK_SHUTDOWN


def bank_sizes(app: Flask) -> dict[str, int]:
    with app.app_context():
        quiz = get_course().areas["quiz"]
        return {lang: len(quiz.bank(lang).questions) for lang in ("en", "zh")}


def test_the_plan_signs_everyone_in_then_starts_the_quiz_within_ten_seconds(app: Flask):
    settings = Settings(trainees=1000, signin_window=600, start_window=10, think_min=30,
                        think_max=90, workshop_share=0.2, seed=7)
    plan = make_plan(settings)
    sign_ins = sorted(trainee.sign_in_at for trainee in plan.trainees)
    assert sign_ins[0] == 0 and sign_ins[-1] < 600
    assert all(600 < plan.start_moment <= trainee.start_at < plan.start_moment + 10
               for trainee in plan.trainees)
    # One think time before each of the bank's questions, in the trainee's language.
    sizes = bank_sizes(app)
    assert all(len(trainee.thinks) == sizes[trainee.lang]
               and all(30 <= think <= 90 for think in trainee.thinks)
               for trainee in plan.trainees)
    assert sum(trainee.lang == "zh" for trainee in plan.trainees) == 500
    assert sum(bool(trainee.autosave_gaps) for trainee in plan.trainees) == 200
    assert plan.duration < plan.deadline
    assert make_plan(settings) == plan  # the seed decides everything


def test_windows_longer_than_moodles_test_are_refused_before_anything_runs(capsys):
    assert main(["--trainees", "10", "--signin-window", "601"]) == 2
    assert "--signin-window" in capsys.readouterr().err
    assert main(["--trainees", "10", "--start-window", "11"]) == 2
    assert "--start-window" in capsys.readouterr().err


def _figures(p95: float, errors: int = 0) -> TypeFigures:
    return TypeFigures(ANSWER_SAVE, 10, 100.0, p95, p95, p95, errors, {})


def test_n_holds_only_with_every_p95_under_500_ms_no_error_and_no_lost_write():
    assert verdict([_figures(499.0)], [], [])
    assert not verdict([_figures(500.0)], [], [])
    assert not verdict([_figures(100.0, errors=1)], [], [])
    assert not verdict([_figures(100.0)], ["trainee: question q"], [])
    assert not verdict([_figures(100.0)], [], ["Traceback (most recent call last):"])
    assert not verdict([_figures(100.0)], [], [], stopped_at_deadline=1)


def test_the_checker_names_an_acknowledged_answer_the_database_lost(trainee_client: FlaskClient,
                                                                    app: Flask):
    path = trainee_client.post("/en/quiz/start").headers["Location"]
    html = trainee_client.get(path).get_data(as_text=True)
    questions = attempt_questions(html)
    rng = random.Random(3)
    answers = {question.id: choose(question, rng) for question in questions}
    fields = [("token", hidden_field(html, "token")), *form_answers(questions, answers)]
    assert trainee_client.post(path, data=MultiDict(fields)).headers["Location"].endswith(
        f"{path}/review")
    attempt_id = int(path.rsplit("/", 1)[1])
    ledger = Ledger(0, TRAINEE["email"], attempt_id=attempt_id, submitted=True,
                    answer_writes=[AnswerWrite(qid, answer_key(value), True)
                                   for qid, value in answers.items()])
    database = Path(app.config["DATABASE"])
    assert missing_writes(database, [ledger]) == []

    lost = questions[0].id
    db = connect(str(database))
    db.execute("DELETE FROM quiz_answers WHERE attempt_id = ? AND question_id = ?",
               [attempt_id, lost])
    db.execute("UPDATE quiz_attempts SET submitted_at = NULL, percent = NULL WHERE id = ?",
               [attempt_id])
    db.close()
    assert missing_writes(database, [ledger]) == [
        f"{TRAINEE['email']}: attempt {attempt_id} question {lost}",
        f"{TRAINEE['email']}: submitted attempt {attempt_id}"]


@pytest.fixture
def app(own_app: Flask) -> Flask:
    """A test here adds request hooks to its app, so each has an app of its own."""
    return own_app


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The test app on a loopback port, as the runner reaches gunicorn."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs=QUICK_SHUTDOWN, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_a_failing_workshop_tab_is_counted_and_never_stops_the_quiz(app: Flask, served: str):
    emails = ["en-trainee@example.com", "zh-trainee@example.com"]  # trainees 0 and 1
    with app.app_context():
        db = connect(app.config["DATABASE"])
        for email in emails:
            create_user(db, email=email, name=email, role="trainee", password=seed.PASSWORD,
                        cohort_id=app.config["SEEDED_IDS"]["cohort"])
        db.close()

    @app.before_request
    def _english_workshop_page_fails() -> None:
        if request.method == "GET" and request.path == "/en/workshop/":
            abort(500)

    @app.after_request
    def _chinese_autosave_unreadable(response: Response) -> Response:
        if request.path == "/zh/workshop/autosave":
            return Response("<p>Saved</p>", 200, mimetype="text/html")
        return response

    settings = Settings(trainees=2, signin_window=0.1, start_window=0.1, start_gap=0.5,
                        think_min=0.05, think_max=0.05, workshop_share=1, workshop_interval=0.1)
    plan = make_plan(settings)
    run, trainees, stopped = drive_in_own_thread(plan, served, emails)
    figures = {figure.kind: figure for figure in type_figures(run.tally)}
    assert stopped == 0
    assert all(trainee.ledger.finished and trainee.ledger.submitted for trainee in trainees)
    sizes = bank_sizes(app)
    assert figures[ANSWER_SAVE].count == sizes["en"] + sizes["zh"]
    assert figures[ANSWER_SAVE].errors == figures["review"].errors == 0
    assert figures[WORKSHOP_PAGE].error_reasons == {"HTTP 500": 1}
    autosaves = figures[WORKSHOP_AUTOSAVE]
    assert autosaves.count > 0 and autosaves.error_reasons == {UNREADABLE: autosaves.count}
    assert not verdict(list(figures.values()), [], [])


@pytest.mark.load
def test_120_trainees_taking_the_quiz_at_once_see_no_error_and_lose_no_write(tmp_path: Path,
                                                                             app: Flask):
    # Sign-ins hash passwords on purpose slowly: 120 in 6 s keep two cores busy enough.
    settings = Settings(trainees=120, signin_window=6, start_window=2, start_gap=2,
                        think_min=0.1, think_max=0.3, workshop_share=0.2, request_timeout=60)
    result = run_capacity(settings, tmp_path / "run")
    figures = {figure.kind: figure for figure in result.figures}
    summary = "\n".join(f"{figure.kind}: {figure.count} sent, errors {figure.error_reasons}"
                        for figure in result.figures) + "\n" + "\n".join(result.examples)
    assert result.errors == 0, summary
    assert result.missing == [], result.missing[:10]
    assert result.log_alarms == [], result.log_alarms[:10]
    assert result.integrity == "ok"
    assert result.stopped_at_deadline == 0
    assert result.trainees_finished == 120
    sizes = bank_sizes(app)
    assert figures[ANSWER_SAVE].count == 60 * sizes["en"] + 60 * sizes["zh"]
    assert figures[WORKSHOP_AUTOSAVE].count > 0 and figures["review"].count == 120
    # Each type's time in gunicorn's worker comes from its access log, and is within what
    # the trainee waited: the rest of the wait is the queue.
    for figure in result.figures:
        assert figure.app_p50 <= figure.p50 and figure.app_p95 <= figure.p95, figure
    # With nothing failing, the verdict turns on latency alone.
    assert result.held == all(figure.p95 < 500 for figure in result.figures if figure.count)
