"""Dashboard rows: status mapping, sorting with blanks last, pages, counts, next/previous to grade."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courseware.trainer.roster import (
    TraineeProgress,
    adjacent_ungraded,
    dashboard_status,
    page_of,
    requested_page,
    sort_progress,
    status_counts,
)
from courseware.workshop.model import DRAFT, NOT_STARTED, RELEASED, RETURNED, SUBMITTED


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
    _row(1, "Chen", pages=15, quiz=90.0, status=RELEASED, grade=80),
    _row(2, "anna", pages=4, quiz=None, status=NOT_STARTED),
    _row(3, "Bo", pages=15, quiz=60.0, status=SUBMITTED),
    _row(4, "Dai", pages=9, quiz=90.0, status=RELEASED, grade=55),
]


@pytest.mark.parametrize(
    ("store", "shown"),
    [
        (None, NOT_STARTED),
        ("draft", DRAFT),
        ("submitted", SUBMITTED),
        ("returned", RETURNED),
        ("released", RELEASED),
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
        RELEASED: 2,
    }
    assert status_counts([]) == dict.fromkeys(status_counts(ROWS), 0)


TWO_HUNDRED_FIFTY = [f"t{n:03d}" for n in range(1, 251)]


def test_page_two_holds_the_second_hundred_in_order():
    page = page_of(TWO_HUNDRED_FIFTY, 2, 100)
    assert page.items == TWO_HUNDRED_FIFTY[100:200]
    assert (page.number, page.count, page.first, page.last, page.total) == (2, 3, 101, 200, 250)
    assert (page.previous, page.following) == (1, 3)


def test_the_last_page_holds_what_is_left():
    page = page_of(TWO_HUNDRED_FIFTY, 3, 100)
    assert page.items == TWO_HUNDRED_FIFTY[200:]
    assert (page.first, page.last, page.previous, page.following) == (201, 250, 2, None)


@pytest.mark.parametrize(("asked", "shown"), [(0, 1), (-7, 1), (4, 3), (10**9, 3)])
def test_a_page_out_of_range_shows_the_nearest(asked, shown):
    assert page_of(TWO_HUNDRED_FIFTY, asked, 100).number == shown


def test_a_hundred_fit_on_one_page_and_nothing_on_a_page_of_its_own():
    one_page = page_of(TWO_HUNDRED_FIFTY[:100], 1, 100)
    assert (one_page.count, one_page.first, one_page.last) == (1, 1, 100)
    assert (one_page.previous, one_page.following, one_page.numbers) == (None, None, [1])
    empty = page_of([], 3, 100)
    assert (empty.items, empty.number, empty.count, empty.first, empty.last, empty.total) == (
        [], 1, 1, 0, 0, 0)


@pytest.mark.parametrize(
    ("raw", "number"),
    [(None, 1), ("", 1), ("2", 2), (" 3 ", 3), ("007", 7), ("0", 0), ("-2", 1), ("1.5", 1),
     ("two", 1), ("²", 1), ("٣", 1), ("9" * 30, 10**9), ("0" * 30 + "4", 4)],
)
def test_the_page_asked_for_is_read_as_a_whole_number_or_the_first(raw, number):
    assert requested_page(raw) == number


@pytest.mark.parametrize(
    ("number", "count", "links"),
    [
        (1, 5, [1, 2, 3, 4, 5]),
        (3, 5, [1, 2, 3, 4, 5]),
        (1, 20, [1, 2, 3, None, 20]),
        (5, 20, [1, 2, 3, 4, 5, 6, 7, None, 20]),
        (10, 20, [1, None, 8, 9, 10, 11, 12, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_page_links_show_both_ends_and_two_either_side(number, count, links):
    assert page_of(range(count * 10), number, 10).numbers == links


@given(total=st.integers(min_value=0, max_value=700), size=st.integers(min_value=1, max_value=150),
       asked=st.integers(min_value=-5, max_value=20))
def test_every_item_is_on_exactly_one_page_in_order(total, size, asked):
    items = list(range(total))
    first = page_of(items, 1, size)
    pages = [page_of(items, number, size) for number in range(1, first.count + 1)]
    assert [item for page in pages for item in page.items] == items
    for page in pages:
        assert list(page.items) == items[page.first - 1 : page.last]
        assert 0 < len(page.items) <= size or total == 0
    links = page_of(items, asked, size).numbers
    numbers = [link for link in links if link is not None]
    assert numbers == sorted(set(numbers)) and {1, first.count} <= set(numbers)
    assert links[0] == 1 and links[-1] == first.count
    assert all(a is not None or b is not None for a, b in zip(links, links[1:], strict=False))


QUEUE = [(10, True), (11, False), (12, True), (13, True), (14, False)]


@pytest.mark.parametrize(
    ("current", "expected"),
    [(10, (None, 12)), (12, (10, 13)), (13, (12, None)), (11, (10, 12)), (99, (None, 10))],
)
def test_previous_and_next_skip_what_is_already_graded(current, expected):
    assert adjacent_ungraded(QUEUE, current) == expected


def test_empty_queue_has_no_neighbours():
    assert adjacent_ungraded([], 5) == (None, None)
