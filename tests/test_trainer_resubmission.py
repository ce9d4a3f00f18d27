"""Grading a resubmission: the returned version's grade carried over, and what changed."""

from __future__ import annotations

import re

import pytest

from courseware.trainer.changes import ChangeNames, text_diff, workshop_changes
from courseware.workshop.model import (
    Criterion,
    Cutoff,
    FigureMeasure,
    JudgementMeasure,
    Kpi,
    Workshop,
)
from tests.conftest import TRAINER, sign_in, text
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade

NAMES = ChangeNames(judgement="Judgement", top_n="Top N", min_score="Minimum score",
                    figure_names={"revenue": "Revenue"},
                    direction_names={"higher": "higher is better", "lower": "lower is better"},
                    candidate_names={"a": "Alpha", "b": "Beta", "c": "Gamma"})
OLD = Workshop(
    criteria=(Criterion("Revenue", "Annual", 60, FigureMeasure("revenue", "higher", (1, 2, 3, 4))),
              Criterion("Fit", "", 40, JudgementMeasure(("No fit", "", "", "", "Perfect"),
                                                        {"a": 3}))),
    cutoff=Cutoff("top_n", 2),
    justification="Focus on growth.",
    kpis=(Kpi(name="Revenue growth", target="+10%"),),
)
NEW = Workshop(
    criteria=(Criterion("Revenue", "Annual", 50, FigureMeasure("revenue", "higher", (1, 2, 3, 5))),
              Criterion("Fit", "", 50, JudgementMeasure(("No fit", "", "Some fit", "", "Perfect"),
                                                        {"a": 4}))),
    cutoff=Cutoff("top_n", 3),
    justification="Focus on growth and cost.",
    kpis=(Kpi(name="Revenue growth", target="+12%"), Kpi(name="Cost to serve")),
)


def _changes():
    return {(c.section, c.item, c.field): (c.before, c.after)
            for c in workshop_changes(OLD, NEW, ["a", "b"], ["a", "b", "c"], NAMES)}


def test_changes_list_every_field_that_differs_and_nothing_else():
    changes = _changes()
    assert changes == {
        ("criteria", "Revenue", "weight"): ("60%", "50%"),
        ("criteria", "Revenue", "thresholds"): ("1 / 2 / 3 / 4", "1 / 2 / 3 / 5"),
        ("criteria", "Fit", "weight"): ("40%", "50%"),
        ("criteria", "Fit", "anchors"): ("1. No fit\n2. \n3. \n4. \n5. Perfect",
                                         "1. No fit\n2. \n3. Some fit\n4. \n5. Perfect"),
        ("criteria", "Fit", "scores"): ("Alpha: 3", "Alpha: 4"),
        ("cutoff", "", "cutoff"): ("Top N: 2", "Top N: 3"),
        ("key_accounts", "", "key_accounts"): ("Alpha, Beta", "Alpha, Beta, Gamma"),
        ("justification", "", "justification"): ("Focus on growth.", "Focus on growth and cost."),
        ("kpis", "Revenue growth", "target"): ("+10%", "+12%"),
        ("kpis", "Cost to serve", "added"): ("", "Cost to serve"),
    }


def test_the_same_workshop_has_no_changes():
    assert workshop_changes(OLD, OLD, ["a"], ["a"], NAMES) == []


@pytest.mark.parametrize(("before", "after", "runs"), [
    ("Focus on growth.", "Focus on growth and cost.",
     [("same", "Focus on growth"), ("added", " and cost"), ("same", ".")]),
    ("重点是增长。", "重点是成本。",
     [("same", "重点是"), ("removed", "增长"), ("added", "成本"), ("same", "。")]),
])
def test_text_diff_marks_words_and_chinese_characters(before, after, runs):
    assert text_diff(before, after) == runs


@pytest.fixture
def returned_then_resubmitted(app, client, ids):
    first = hand_in(app, ids["trainee"], ids["cohort"])
    sign_in(client, TRAINER)
    levels = full_levels(app, index=1)
    post_grade(client, grading_url("en", ids["cohort"], first),
               {**levels, "comment-kpi_coverage": "Add a cost KPI.",
                "comment-overall": "Nearly there.", "action": "return"})
    second = hand_in(app, ids["trainee"], ids["cohort"], justification="Focus on growth and cost.")
    return first, second, levels


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_grading_a_resubmission_starts_from_the_returned_grade(
    client, ids, returned_then_resubmitted, lang
):
    _first, second, levels = returned_then_resubmitted
    url = grading_url(lang, ids["cohort"], second)
    html = client.get(url).get_data(as_text=True)
    for field, points in levels.items():
        criterion = field.removeprefix("level-")
        assert f'value="{points}" data-criterion="{criterion}" checked' in html
    assert "Add a cost KPI.</textarea>" in html and "Nearly there.</textarea>" in html
    body = text(client.get(url))
    if lang == "en":
        assert "carried over from version 1, which you returned" in body
        assert body.count("carried over from version 1") >= 2  # the notice and a criterion
        assert "What changed since version 1" in body
    else:
        assert "沿用第 1 版" in body and "与第 1 版相比的改动" in body
    assert re.search(r"<ins>\s*and\s*</ins>|<ins> and cost</ins>", html)


def test_once_saved_the_grade_is_the_trainers_own(app, client, ids, returned_then_resubmitted):
    _first, second, _levels = returned_then_resubmitted
    url = grading_url("en", ids["cohort"], second)
    post_grade(client, url, {**full_levels(app, index=3), "comment-overall": "Good now.",
                             "action": "save"})
    body = text(client.get(url))
    assert "carried over" not in body and "Good now." in body


def test_a_first_version_has_nothing_carried_over_and_no_changes(app, client, ids):
    first = hand_in(app, ids["trainee"], ids["cohort"])
    sign_in(client, TRAINER)
    body = text(client.get(grading_url("en", ids["cohort"], first)))
    assert "carried over" not in body and "What changed" not in body
