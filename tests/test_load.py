"""100 trainees at once under gunicorn, then again with a worker killed: no work is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import TRAINEES, load_run

pytestmark = pytest.mark.load


def test_a_cohort_submitting_at_once_loses_nothing_and_sees_no_error(tmp_path: Path) -> None:
    result = load_run(tmp_path, TRAINEES)
    report = result.summary()
    assert result.server_errors == 0, report
    assert not result.tally.broken, report
    assert not result.tally.unexpected, report
    assert not result.log_alarms, report  # no "database is locked", no traceback
    assert not result.missing, report
    assert result.integrity == "ok", report
    # Every trainee got through: joined or signed in, saved, took the quiz, submitted.
    assert sum(1 for ack in result.acknowledged if ack.submission and ack.quiz_attempt) == TRAINEES


def test_killing_a_worker_mid_run_loses_no_acknowledged_write(tmp_path: Path) -> None:
    result = load_run(tmp_path, TRAINEES, kill_worker=True)
    report = result.summary()
    assert result.killed_pid is not None, report
    assert result.acknowledged_before_kill > 0, report
    assert result.server_errors == 0, report
    assert not result.tally.unexpected, report
    assert not result.log_alarms, report
    assert not result.missing, report
    assert result.integrity == "ok", report
    # Only what was in flight on the killed worker may fail: one sync worker, one request.
    assert len(result.tally.broken) <= 1, report
    print(report)
