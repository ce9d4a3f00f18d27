"""`make capacity` in short: its plan, its arithmetic, its reading of the pages, and a run of
200 trainees under gunicorn with think times cut to tenths of a second."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from bench.capacity import (
    ANSWER_SAVE,
    AnswerWrite,
    Ledger,
    Settings,
    TypeFigures,
    allowed_answers,
    answer_key,
    attempt_questions,
    choose,
    form_answers,
    hidden_field,
    make_plan,
    missing_writes,
    percentile,
    run_capacity,
    verdict,
)
from courseware.loaded_course import get_course
from tests.conftest import TRAINEE


def test_the_plan_spreads_sign_ins_then_starts_everyone_within_the_start_window():
    settings = Settings(trainees=1000, signin_window=600, start_window=10, think_min=30,
                        think_max=90, workshop_share=0.2, seed=7)
    plan = make_plan(settings, questions={"en": 17, "zh": 17})
    sign_ins = sorted(trainee.sign_in_at for trainee in plan.trainees)
    assert sign_ins[0] == 0 and sign_ins[-1] < 600
    gaps = {round(later - earlier, 6) for earlier, later in zip(sign_ins, sign_ins[1:], strict=False)}
    assert gaps == {0.6}
    assert all(600 < plan.start_moment <= trainee.start_at < plan.start_moment + 10
               for trainee in plan.trainees)
    assert all(len(trainee.thinks) == 17 and all(30 <= think <= 90 for think in trainee.thinks)
               for trainee in plan.trainees)
    assert sum(trainee.lang == "zh" for trainee in plan.trainees) == 500
    autosavers = [trainee for trainee in plan.trainees if trainee.autosave_gaps]
    assert len(autosavers) == 200
    # Their autosaves last as long as their quiz, every 30-90 s (the mean think time, 60 s).
    assert all(sum(t.autosave_gaps) >= sum(t.thinks) and min(t.autosave_gaps) >= 30
               and max(t.autosave_gaps) <= 90 for t in autosavers)
    assert plan.duration < plan.deadline
    assert make_plan(settings, questions={"en": 17, "zh": 17}) == plan  # the seed decides everything


def test_the_plan_refuses_windows_longer_than_the_test_allows():
    with pytest.raises(ValueError, match="signin-window"):
        make_plan(Settings(trainees=10, signin_window=601))
    with pytest.raises(ValueError, match="start-window"):
        make_plan(Settings(trainees=10, start_window=11))


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(100, 0, -1)]  # 100 .. 1, unordered on purpose
    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)) == (
        50.0, 95.0, 99.0)
    assert percentile([7.0], 0.99) == 7.0


def _figures(p95: float, errors: int = 0) -> TypeFigures:
    return TypeFigures(ANSWER_SAVE, 10, 100.0, p95, p95, p95, errors, {})


def test_the_verdict_wants_every_p95_under_500_ms_no_error_and_no_lost_write():
    assert verdict([_figures(499.0)], [], [])
    assert not verdict([_figures(500.0)], [], [])
    assert not verdict([_figures(100.0, errors=1)], [], [])
    assert not verdict([_figures(100.0)], ["trainee: question q"], [])
    assert not verdict([_figures(100.0)], [], ["Traceback (most recent call last):"])


def test_a_save_is_kept_until_a_later_acknowledged_write_and_an_unanswered_one_may_have_won():
    first, second, third = (answer_key([option]) for option in "abc")
    writes = [AnswerWrite("q1", first, True), AnswerWrite("q1", second, True),
              AnswerWrite("q1", third, False), AnswerWrite("q2", first, False)]
    # q2 was never acknowledged, so nothing is owed for it.
    assert allowed_answers(writes) == {"q1": {second, third}}


def _attempt_page(client: FlaskClient, lang: str = "en") -> tuple[str, str]:
    started = client.post(f"/{lang}/quiz/start")
    path = started.headers["Location"]
    return path, client.get(path).get_data(as_text=True)


def test_the_attempt_page_is_read_as_the_bank_asks_its_questions(trainee_client: FlaskClient,
                                                                  app: Flask):
    _path, html = _attempt_page(trainee_client, "zh")
    questions = attempt_questions(html)
    with app.app_context():
        bank = get_course().areas["quiz"].bank("zh")
    assert [question.id for question in questions] == [question.id for question in bank.questions]
    for read, question in zip(questions, bank.questions, strict=True):
        assert read.kind == question.type
        assert sorted(read.options) == sorted(option.id for option in question.options)
        assert list(read.items) == [item.id for item in question.items]
    assert hidden_field(html, "token")


def test_the_checker_finds_the_submitted_answers_and_misses_a_changed_one(
        trainee_client: FlaskClient, app: Flask):
    path, html = _attempt_page(trainee_client)
    questions = attempt_questions(html)
    rng = random.Random(3)
    answers = {question.id: choose(question, rng) for question in questions}
    fields = [("token", hidden_field(html, "token")), *form_answers(questions, answers)]
    reply = trainee_client.post(path, data=MultiDict(fields))
    assert reply.headers["Location"].endswith(f"{path}/review")
    ledger = Ledger(0, TRAINEE["email"], attempt_id=int(path.rsplit("/", 1)[1]), submitted=True,
                    answer_writes=[AnswerWrite(qid, answer_key(value), True)
                                   for qid, value in answers.items()])
    database = Path(app.config["DATABASE"])
    assert missing_writes(database, [ledger]) == []
    changed = questions[0]
    other = next(option for option in changed.options if [option] != answers[changed.id])
    ledger.answer_writes.append(AnswerWrite(changed.id, answer_key([other]), True))
    assert missing_writes(database, [ledger]) == [
        f"{TRAINEE['email']}: attempt {ledger.attempt_id} question {changed.id}"]


@pytest.mark.load
def test_200_trainees_taking_the_quiz_at_once_see_no_error_and_lose_no_write(tmp_path: Path):
    settings = Settings(trainees=200, signin_window=10, start_window=2, think_min=0.2,
                        think_max=0.6, workshop_share=0.2, request_timeout=60)
    result = run_capacity(settings, tmp_path / "run")
    figures = {figure.kind: figure for figure in result.figures}
    summary = "\n".join(f"{figure.kind}: {figure.count} sent, errors {figure.error_reasons}"
                        for figure in result.figures) + "\n" + "\n".join(result.examples)
    assert sum(figure.errors for figure in figures.values()) == 0, summary
    assert result.missing == [], result.missing[:10]
    assert result.log_alarms == [], result.log_alarms[:10]
    assert result.integrity == "ok"
    assert result.stopped_at_deadline == 0
    assert result.trainees_finished == 200
    assert figures[ANSWER_SAVE].count == 200 * 17
    assert figures["workshop autosave"].count > 0 and figures["review"].count == 200
