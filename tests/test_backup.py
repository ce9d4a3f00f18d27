"""`flask --app courseware backup PATH` copies the database consistently while trainees work."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.load import Tally, integrity, missing_writes, prepare, run_trainees
from bench.server import PROJECT_ROOT, courseware_server
from courseware import create_app
from courseware.db import backup

pytestmark = pytest.mark.load

TRAINEES = 60
# Start the backup once this many answers are in: late enough that writes were acknowledged
# before it, early enough that the remaining ~700 requests outlast it even on a loaded machine.
START_BACKUP_AFTER = 240
TABLES = ("users", "cohorts", "page_views", "quiz_attempts", "quiz_answers",
          "workshop_drafts", "workshop_submissions")


def row_counts(database: Path) -> dict[str, int]:
    db = sqlite3.connect(str(database))
    try:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in TABLES}
    finally:
        db.close()


def test_a_backup_taken_under_load_restores_with_every_write_acknowledged_before_it(
        tmp_path: Path) -> None:
    database, cohort = prepare(tmp_path, TRAINEES)
    server = courseware_server(database, tmp_path / "gunicorn.log").start("/en/sign-in")
    busy = threading.Event()
    tally = Tally(answered_event=lambda answered: busy.set() if answered >= START_BACKUP_AFTER else None)
    outcome: dict[str, object] = {}

    def trainees_at_work() -> None:
        outcome["people"], *_rest = run_trainees(server, cohort, TRAINEES, tally=tally)

    worker = threading.Thread(target=trainees_at_work)
    try:
        worker.start()
        assert busy.wait(timeout=120), "the trainees never got going"
        copy = tmp_path / "backup.sqlite"
        started = time.monotonic()
        command = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "courseware", "backup", str(copy)],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, **server.env})
        finished = time.monotonic()
        still_working = worker.is_alive()
        worker.join(timeout=300)
    finally:
        server.stop()
    assert command.returncode == 0, command.stderr
    assert still_working, "the load had ended before the backup finished: not a live backup"

    # Restore as an operator would: copy the backup into place and start the app on it.
    restored = tmp_path / "restored.sqlite"
    backup(copy, restored)
    assert integrity(restored) == "ok"
    create_app({"DATABASE": str(restored), "SECRET_KEY": "restore-check", "TESTING": True})
    counts = row_counts(restored)
    assert counts == row_counts(copy)
    live = row_counts(database)
    assert counts["users"] > 1 + TRAINEES  # beyond the seeded accounts: joiners were caught
    assert all(counts[table] <= live[table] for table in ("users", "quiz_attempts",
                                                           "workshop_submissions"))
    people = outcome["people"]
    before = [p.ack.as_of(started) for p in people]  # type: ignore[attr-defined]
    assert sum(len(ack.times()) for ack in before) >= 20
    assert not missing_writes(restored, before)
    # And nothing was lost live either.
    assert not missing_writes(database, [p.ack for p in people])  # type: ignore[attr-defined]
    assert integrity(database) == "ok"
    assert not server.log_alarms()
    assert tally.statuses and max(tally.statuses) < 500
    assert finished - started < 60
