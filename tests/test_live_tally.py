"""The live session's tallies: counts, open-text groups, 100-point spreads, rankings and W."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courseware.live.tally import (
    choice_problem,
    distribution_problem,
    distribution_tally,
    multiple_choice_tally,
    normal_text,
    open_text_board,
    ranking_problem,
    ranking_tally,
    single_choice_tally,
)

OPTIONS = ("a", "b", "c", "d", "e")
option_lists = st.lists(st.sampled_from(OPTIONS), min_size=2, max_size=5, unique=True)


@given(option_lists.flatmap(lambda options: st.tuples(
    st.just(options), st.lists(st.sampled_from(options), max_size=40))))
def test_single_choice_counts_every_answer_once(case):
    options, answers = case
    tally = single_choice_tally(options, answers)
    assert tally.respondents == len(answers)
    assert sum(entry.count for entry in tally.counts) == len(answers)
    assert [entry.option_id for entry in tally.counts] == list(options)
    for option in options:
        assert tally.count(option) == answers.count(option)


@given(option_lists.flatmap(lambda options: st.tuples(
    st.just(options), st.lists(st.lists(st.sampled_from(options), min_size=1), max_size=30))))
def test_multiple_choice_counts_an_option_once_per_respondent(case):
    options, answers = case
    tally = multiple_choice_tally(options, answers)
    assert tally.respondents == len(answers)
    for option in options:
        assert tally.count(option) == sum(1 for answer in answers if option in answer)
        assert tally.count(option) <= tally.respondents


def test_choice_problems_name_what_is_wrong():
    assert choice_problem(OPTIONS, [], multiple=False) == "empty"
    assert choice_problem(OPTIONS, ["z"], multiple=True) == "unknown"
    assert choice_problem(OPTIONS, ["a", "b"], multiple=False) == "several"
    assert choice_problem(OPTIONS, ["a", "b"], multiple=True) is None


@pytest.mark.parametrize(("one", "other"), [
    ("A management process.", "a management process"),
    ("  A   management process!! ", "a management process"),
    ("ＫＡＭ　流程", "kam 流程"),
    ("一个管理流程。", "一个管理流程"),
    ("一个管理流程．", "一个管理流程？"),
    ("客户经理！", "客户经理"),
])
def test_open_answers_that_read_the_same_group_together(one, other):
    assert normal_text(one) == normal_text(other)
    board = open_text_board([(1, one), (2, other)])
    assert len(board) == 1 and board[0].count == 2


def test_different_open_answers_stay_apart():
    board = open_text_board([(1, "客户经理"), (2, "客户"), (3, "  。 ")])
    assert sorted(group.key for group in board) == ["客户", "客户经理"]


texts = st.text(alphabet=st.sampled_from("abAB 。.!？ＡＢ客户"), max_size=8)


@given(st.lists(texts, max_size=30), st.randoms())
def test_open_board_keeps_every_answer_and_ignores_arrival_order(answers, shuffler):
    pairs = list(enumerate(answers))
    board = open_text_board(pairs)
    assert sum(group.count for group in board) == sum(1 for text in answers if normal_text(text))
    shuffler.shuffle(pairs)
    assert open_text_board(pairs) == board
    assert [group.count for group in board] == sorted((group.count for group in board), reverse=True)


@given(texts)
def test_normalising_twice_changes_nothing(text):
    assert normal_text(normal_text(text)) == normal_text(text)


@st.composite
def hundred_points(draw, options=OPTIONS):
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(options) - 1,
                                max_size=len(options) - 1)))
    edges = [0, *cuts, 100]
    return {option: edges[i + 1] - edges[i] for i, option in enumerate(options)}


@given(st.lists(hundred_points(), min_size=1, max_size=30))
def test_distribution_means_add_up_to_100_and_stay_within_the_answers(answers):
    assert all(distribution_problem(OPTIONS, answer) is None for answer in answers)
    tally = distribution_tally(OPTIONS, answers)
    assert sum(option.mean for option in tally.options) == pytest.approx(100)
    for option in tally.options:
        values = [answer[option.option_id] for answer in answers]
        assert min(values) <= option.mean <= max(values)
        assert (option.low, option.high) == (min(values), max(values))
        assert option.spread >= 0
        assert (option.spread == 0) == (len(set(values)) == 1)


@given(st.lists(hundred_points(), min_size=1, max_size=20), st.randoms())
def test_distribution_does_not_depend_on_answer_order(answers, shuffler):
    tally = distribution_tally(OPTIONS, answers)
    shuffler.shuffle(answers)
    assert distribution_tally(OPTIONS, answers) == tally


@given(hundred_points(), st.integers(-50, 50).filter(lambda change: change != 0))
def test_a_total_other_than_100_is_refused(answer, change):
    answer = {**answer, "a": answer["a"] + change}
    assert distribution_problem(OPTIONS, answer) in {"total", "negative"}


def test_distribution_problems():
    assert distribution_problem(OPTIONS, {"a": 90, "z": 10}) == "unknown"
    assert distribution_problem(OPTIONS, {"a": 110, "b": -10}) == "negative"
    assert distribution_problem(OPTIONS, {"a": 60, "b": 30}) == "total"
    assert distribution_problem(OPTIONS, {"a": 60, "b": 40}) is None


rankings = st.permutations(OPTIONS)


@given(rankings, st.integers(2, 25))
def test_identical_rankings_agree_fully(order, raters):
    tally = ranking_tally(OPTIONS, [order] * raters)
    assert tally.agreement == pytest.approx(1.0)
    assert [entry.option_id for entry in tally.options] == list(order)
    assert [entry.mean_rank for entry in tally.options] == [1, 2, 3, 4, 5]


@given(st.lists(rankings, min_size=2, max_size=25), st.randoms())
def test_agreement_is_between_0_and_1_and_ignores_trainee_order(orders, shuffler):
    tally = ranking_tally(OPTIONS, orders)
    assert 0 <= tally.agreement <= 1 + 1e-12
    shuffler.shuffle(orders)
    assert ranking_tally(OPTIONS, orders) == tally
    assert sum(entry.mean_rank for entry in tally.options) == pytest.approx(15)


def test_opposite_rankings_do_not_agree():
    tally = ranking_tally(OPTIONS, [OPTIONS, tuple(reversed(OPTIONS))])
    assert tally.agreement == 0
    # Tied average ranks keep the question's order.
    assert [entry.option_id for entry in tally.options] == list(OPTIONS)


def test_a_single_ranking_has_no_agreement_figure():
    assert ranking_tally(OPTIONS, [OPTIONS]).agreement is None
    assert ranking_tally(OPTIONS, []).agreement is None


def test_ranking_problems():
    assert ranking_problem(OPTIONS, ["a", "b"]) == "incomplete"
    assert ranking_problem(OPTIONS, ["a", "a", "b", "c", "d"]) == "incomplete"
    assert ranking_problem(OPTIONS, random.Random(1).sample(OPTIONS, 5)) is None
