"""Every number a trainee types is read by one set of rules, and an unusable one is never used."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courseware.workshop import numbers
from courseware.workshop.numbers import read_number
from tests.conftest import text
from tests.support.workshop import autosave, complete_fields, page_position

TOP_N = numbers.cutoff_count(14)


@pytest.mark.parametrize(("typed", "rule", "expected"), [
    ("50", numbers.WEIGHT, (50, None)),
    ("５０", numbers.WEIGHT, (50, None)),  # a Chinese input method
    (" 5 0 %", numbers.WEIGHT, (50, None)),
    ("50%", numbers.WEIGHT, (50, None)),
    ("", numbers.WEIGHT, (None, None)),
    ("　", numbers.WEIGHT, (None, None)),  # a full-width space is blank too
    ("1e9", numbers.WEIGHT, (None, "not_a_number")),
    ("-5", numbers.WEIGHT, (None, "weight_range")),
    ("101", numbers.WEIGHT, (None, "weight_range")),
    ("33.5", numbers.WEIGHT, (None, "not_a_whole_number")),
    ("20.0", numbers.WEIGHT, (20, None)),
    ("abc", numbers.WEIGHT, (None, "not_a_number")),
    ("12,5", numbers.THRESHOLD, (None, "decimal_comma")),
    ("1,000", numbers.THRESHOLD, (1000.0, None)),
    ("1,000.5", numbers.THRESHOLD, (1000.5, None)),
    ("7.5", numbers.THRESHOLD, (7.5, None)),
    ("－３", numbers.THRESHOLD, (-3.0, None)),
    ("inf", numbers.THRESHOLD, (None, "not_a_number")),
    ("1" * 400, numbers.THRESHOLD, (None, "not_a_number")),
    ("3.5", TOP_N, (None, "not_a_whole_number")),
    ("15", TOP_N, (None, "cutoff_top_n_range")),
    ("0", TOP_N, (None, "cutoff_top_n_range")),
    ("14", TOP_N, (14, None)),
    ("3.5", numbers.CUTOFF_SCORE, (3.5, None)),
    ("150", numbers.CUTOFF_SCORE, (None, "cutoff_score_range")),
    ("6", numbers.SCORE, (None, "score_range")),
    ("５", numbers.SCORE, (5, None)),
])
def test_each_typed_number_is_read_one_way(typed, rule, expected):
    assert read_number(typed, rule) == expected


@given(st.text(alphabet="0123456789０１２３４５６７８９.,．，-+－＋%％e 　x", max_size=12),
       st.sampled_from(numbers.rules(14)))
def test_a_usable_number_is_always_within_its_rule(typed, rule):
    value, code = read_number(typed, rule)
    if code is not None or value is None:
        assert value is None
        return
    assert rule.low is None or value >= rule.low
    assert rule.high is None or value <= rule.high
    assert not rule.whole or value == int(value)


def weights(fields: dict[str, str], *values: str) -> dict[str, str]:
    return {**fields, **{f"criteria-{i}-weight": value for i, value in enumerate(values)}}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_weight_out_of_range_changes_no_ranking_and_says_why(trainee_client, lang):
    position = page_position(trainee_client, lang)
    fine = autosave(trainee_client, lang, position, weights(complete_fields(), "", "30", "30"))
    position["revision"] = str(fine.get_json()["revision"])
    huge = autosave(trainee_client, lang, position, weights(complete_fields(), "1e9", "30", "30"))
    body = huge.get_json()
    # The page shows the same results as with the weight left blank.
    assert "results_html" not in body or body["results_html"] == fine.get_json()["results_html"]
    message = {"en": "Enter a number, such as 12 or 7.5.", "zh": "请填写数字，例如 12 或 7.5。"}
    assert body["errors"]["criteria-0-weight"] == [message[lang]]
    # The total the server names is the one the page's bar shows: 60, not 1000000060.
    assert "60" in body["errors"]["weights"][0] and "1000000060" not in body["errors"]["weights"][0]


def test_a_cut_off_that_is_not_a_whole_number_lists_no_key_accounts(trainee_client):
    fields = {**complete_fields(), "cutoff-value": "3.5"}
    position = page_position(trainee_client, "en")
    body = autosave(trainee_client, "en", position, fields).get_json()
    assert body["errors"]["cutoff-value"] == ["Enter a whole number, such as 20."]
    results = html.unescape(body["results_html"])
    assert "score-chart__row--key" not in results


def test_full_width_digits_count_like_any_others(trainee_client):
    fields = weights(complete_fields(), "４０", "３０", "３０")
    position = page_position(trainee_client, "en")
    body = autosave(trainee_client, "en", position, fields).get_json()
    assert "weights" not in body["errors"]
    page = trainee_client.get("/en/workshop/")
    assert "Weights: 100 of 100" in text(page)
