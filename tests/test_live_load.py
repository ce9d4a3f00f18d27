"""A small live session under gunicorn: every acknowledged answer stored, the projector sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.live import live_run

pytestmark = pytest.mark.load


def test_phones_answering_at_once_lose_nothing_and_see_no_error(tmp_path: Path) -> None:
    figures = live_run(tmp_path, phones=30, questions=2, open_seconds=8)
    assert figures["http_errors"] == 0, figures
    assert figures["connection_failures"] == 0, figures
    assert figures["log_alarms"] == 0, figures
    assert figures["answers_acknowledged"] > 0, figures
    assert figures["acknowledged_missing"] == 0, figures
    assert figures["answers_not_seen_by_projector"] == 0, figures
    assert figures["resends_answered_repeat"] == figures["resends"], figures
