"""Item analysis on a seeded set of attempts, every figure computed by hand."""

import pytest

from courseware.quiz.bank import parse_bank
from courseware.quiz.chart import Bar, bar_chart_svg
from courseware.quiz.scoring import Answer, grade_attempt
from courseware.quiz.statistics import (
    OptionFrequency,
    ScoredAttempt,
    discrimination_index,
    facility_index,
    question_statistics,
)

BANK = parse_bank(
    {
        "questions": [
            {
                "id": "q1",
                "type": "single",
                "page": "discussion",
                "prompt": "One?",
                "options": [
                    {"id": "a", "text": "A", "correct": True},
                    {"id": "b", "text": "B"},
                    {"id": "c", "text": "C"},
                ],
                "explanation": "A.",
            },
            {
                "id": "q2",
                "type": "multiple",
                "page": "scope",
                "prompt": "Some?",
                "options": [
                    {"id": "r1", "text": "R1", "correct": True},
                    {"id": "r2", "text": "R2", "correct": True},
                    {"id": "w", "text": "W"},
                ],
                "explanation": "R1 and R2.",
            },
        ]
    },
    "bank.yaml",
    "en",
)

# attempt id, user id, q1 choice, q2 choices  ->  q1 score + q2 score = total
SEED = [
    (1, 101, "a", {"r1", "r2"}),  # 1 + 1   = 2
    (2, 102, "a", {"r1"}),  # 1 + 1/2 = 1.5
    (3, 103, "b", {"r1", "r2"}),  # 0 + 1   = 1
    (4, 101, "a", {"r1", "w"}),  # 1 + 0   = 1
    (5, 104, "c", {"r1"}),  # 0 + 1/2 = 0.5
    (6, 103, "b", {"w"}),  # 0 + 0   = 0
]


def scored(seed=SEED):
    return [
        ScoredAttempt(
            attempt_id=attempt_id,
            user_id=user_id,
            grade=grade_attempt(
                BANK, {"q1": Answer.choice(q1), "q2": Answer.choice(*q2)}, pass_mark=75
            ),
        )
        for attempt_id, user_id, q1, q2 in seed
    ]


def test_facility_is_the_mean_share_of_the_point():
    # q1 right in attempts 1, 2, 4: 3/6.  q2 scores 1, 1/2, 1, 0, 1/2, 0: 3/6.
    stats = {s.question_id: s for s in question_statistics(BANK, scored())}
    assert stats["q1"].facility == pytest.approx(0.5)
    assert stats["q2"].facility == pytest.approx(0.5)
    assert stats["q1"].attempts == 6


def test_discrimination_compares_top_third_with_bottom_third():
    # Ranked by total: 1 (2), 2 (1.5), 3 (1), 4 (1), 5 (0.5), 6 (0); thirds of two.
    # q1: top 1, 1 -> mean 1; bottom 0, 0 -> mean 0; index 1.
    # q2: top 1, 1/2 -> 3/4; bottom 1/2, 0 -> 1/4; index 1/2.
    attempts = scored()
    assert discrimination_index(attempts, "q1") == pytest.approx(1.0)
    assert discrimination_index(attempts, "q2") == pytest.approx(0.5)


def test_ties_on_the_total_are_ranked_by_attempt_id_so_the_index_is_stable():
    seed = [
        (1, 1, "b", {"r1", "r2"}),  # 0 + 1 = 1, ranked first
        (2, 2, "b", {"r1", "r2"}),  # 1
        (3, 3, "a", {"w"}),  # 1 + 0 = 1, ranked last
    ]
    assert discrimination_index(scored(seed), "q1") == pytest.approx(-1.0)


def test_option_frequencies_count_every_choice():
    stats = {s.question_id: s for s in question_statistics(BANK, scored())}
    assert stats["q1"].option_frequencies == (
        OptionFrequency("a", 3, 3 / 6),
        OptionFrequency("b", 2, 2 / 6),
        OptionFrequency("c", 1, 1 / 6),
    )
    # Multiple response: r1 in attempts 1-5, r2 in 1 and 3, w in 4 and 6.
    assert [(f.option_id, f.count) for f in stats["q2"].option_frequencies] == [
        ("r1", 5),
        ("r2", 2),
        ("w", 2),
    ]


def test_too_few_attempts_give_no_index_rather_than_a_misleading_one():
    assert discrimination_index(scored(SEED[:2]), "q1") is None
    assert facility_index([]) is None
    empty = question_statistics(BANK, [])
    assert [(s.facility, s.discrimination) for s in empty] == [(None, None), (None, None)]


def test_bar_chart_draws_proportional_bars_and_escapes_labels():
    svg = bar_chart_svg(
        [Bar("Q1 <b>", 0.75, "75%"), Bar("Q2", 0.25, "25%"), Bar("Q3", None, "–")],
        title="Facility & more",
        width=300,
        label_width=50,
        caption_width=50,
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>Facility &amp; more</title>" in svg
    assert "Q1 &lt;b&gt;" in svg and "<b>" not in svg
    assert 'class="bar-chart__bar" x="50" y="8" width="150.0"' in svg
    assert 'class="bar-chart__bar bar-chart__bar--low" x="50" y="36" width="50.0"' in svg
    assert 'class="bar-chart__bar" x="50" y="64" width="0.0"' in svg
    assert "style=" not in svg and "<script" not in svg
