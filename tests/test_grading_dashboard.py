"""Dashboard rows: status mapping, sorting with blanks last, counts, next/previous to grade."""

import pytest

from courseware.grading.dashboard import (
    DRAFT,
    GRADED,
    NOT_STARTED,
    RETURNED,
    SUBMITTED,
    TraineeProgress,
    adjacent_ungraded,
    dashboard_status,
    sort_progress,
    status_counts,
)


def _row(user_id, name, pages=0, quiz=None, status=NOT_STARTED, grade=None):
    return TraineeProgress(
        user_id=user_id,
        name=name,
        email=f"{user_id}@example.com",
        pages_read=pages,
        quiz_best_percent=quiz,
        quiz_passed=None if quiz is None else quiz >= 75,
        quiz_attempts=0 if quiz is None else 1,
        status=status,
        version=None,
        submission_id=None,
        grade_total=grade,
    )


ROWS = [
    _row(1, "Chen", pages=15, quiz=90.0, status=GRADED, grade=80),
    _row(2, "anna", pages=4, quiz=None, status=NOT_STARTED),
    _row(3, "Bo", pages=15, quiz=60.0, status=SUBMITTED),
    _row(4, "Dai", pages=9, quiz=90.0, status=GRADED, grade=55),
]


@pytest.mark.parametrize(
    ("store", "shown"),
    [
        (None, NOT_STARTED),
        ("draft", DRAFT),
        ("submitted", SUBMITTED),
        ("returned", RETURNED),
        ("released", GRADED),
    ],
)
def test_store_status_maps_to_dashboard_status(store, shown):
    assert dashboard_status(store) == shown


def _names(rows):
    return [row.name for row in rows]


def test_default_sort_is_by_name_ignoring_case():
    assert _names(sort_progress(ROWS, "name")) == ["anna", "Bo", "Chen", "Dai"]


def test_sort_by_quiz_puts_blanks_last_and_breaks_ties_by_name():
    assert _names(sort_progress(ROWS, "quiz")) == ["Bo", "Chen", "Dai", "anna"]
    assert _names(sort_progress(ROWS, "quiz", descending=True)) == ["Chen", "Dai", "Bo", "anna"]


def test_sort_by_grade_and_status():
    assert _names(sort_progress(ROWS, "grade", descending=True)) == ["Chen", "Dai", "anna", "Bo"]
    assert _names(sort_progress(ROWS, "status")) == ["anna", "Bo", "Chen", "Dai"]


def test_unknown_sort_key_falls_back_to_name():
    assert _names(sort_progress(ROWS, "'; drop table")) == ["anna", "Bo", "Chen", "Dai"]


def test_counts_list_every_status():
    assert status_counts(ROWS) == {
        NOT_STARTED: 1,
        DRAFT: 0,
        SUBMITTED: 1,
        RETURNED: 0,
        GRADED: 2,
    }
    assert status_counts([]) == dict.fromkeys(status_counts(ROWS), 0)


QUEUE = [(10, True), (11, False), (12, True), (13, True), (14, False)]


@pytest.mark.parametrize(
    ("current", "expected"),
    [(10, (None, 12)), (12, (10, 13)), (13, (12, None)), (11, (10, 12)), (99, (None, 10))],
)
def test_previous_and_next_skip_what_is_already_graded(current, expected):
    assert adjacent_ungraded(QUEUE, current) == expected


def test_empty_queue_has_no_neighbours():
    assert adjacent_ungraded([], 5) == (None, None)
