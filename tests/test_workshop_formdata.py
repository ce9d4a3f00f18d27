"""The workshop form's fields, parsed and checked without Flask."""

from hypothesis import given
from hypothesis import strategies as st

from courseware.workshop.formdata import (
    add_row,
    format_number,
    parse_fields,
    remove_row,
    row_count,
    starter_fields,
    to_fields,
)
from courseware.workshop.model import JudgementMeasure
from courseware.workshop.validation import find_problems

CANDIDATES = ["ann", "bob"]
FIGURES = ["revenue", "cost_to_serve"]


def codes(problems):
    return sorted((problem.field, problem.code) for problem in problems)


def test_fields_survive_the_trip_through_the_model():
    fields = {
        "criteria-0-name": "Revenue", "criteria-0-description": "", "criteria-0-weight": "60",
        "criteria-0-kind": "figure", "criteria-0-figure": "revenue",
        "criteria-0-direction": "higher", "criteria-0-threshold-0": "10",
        "criteria-0-threshold-1": "20.5", "criteria-0-threshold-2": "", "criteria-0-threshold-3": "40",
        "criteria-1-name": "关系", "criteria-1-description": "第一行\n第二行",
        "criteria-1-weight": "40", "criteria-1-kind": "judgement",
        "criteria-1-anchor-1": "a", "criteria-1-anchor-2": "b", "criteria-1-anchor-3": "c",
        "criteria-1-anchor-4": "d", "criteria-1-anchor-5": "e", "criteria-1-score-ann": "4",
        "cutoff-kind": "score", "cutoff-value": "62.5", "justification": "Why",
    }
    parsed = parse_fields(fields, CANDIDATES)
    assert parsed.problems == ()
    assert parse_fields(to_fields(parsed.workshop), CANDIDATES).workshop == parsed.workshop
    assert to_fields(parsed.workshop)["criteria-0-threshold-1"] == "20.5"
    assert to_fields(parsed.workshop)["criteria-0-weight"] == "60"


def test_a_mistyped_number_is_kept_as_typed_and_reported():
    parsed = parse_fields({"criteria-0-name": "A", "criteria-0-weight": "forty",
                           "criteria-0-threshold-2": "1e999"}, CANDIDATES)
    assert parsed.workshop.criteria[0].weight is None
    assert parsed.unparsed == {"criteria-0-weight": "forty", "criteria-0-threshold-2": "1e999"}
    assert codes(parsed.problems) == [("criteria-0-threshold-2", "not_a_number"),
                                      ("criteria-0-weight", "not_a_number")]
    assert to_fields(parsed.workshop, parsed.unparsed)["criteria-0-weight"] == "forty"


def test_full_width_digits_and_percent_signs_from_a_chinese_keyboard_are_numbers():
    parsed = parse_fields({"criteria-0-weight": "４０％", "criteria-0-threshold-0": "１２．５",
                           "criteria-0-threshold-1": "1,000"}, CANDIDATES)
    assert parsed.problems == ()
    assert parsed.workshop.criteria[0].weight == 40
    assert parsed.workshop.criteria[0].measure.thresholds[:2] == (12.5, 1000)


def test_a_decimal_comma_is_reported_rather_than_misread():
    parsed = parse_fields({"criteria-0-threshold-0": "12,5"}, CANDIDATES)
    assert parsed.workshop.criteria[0].measure.thresholds[0] is None
    assert parsed.unparsed == {"criteria-0-threshold-0": "12,5"}


def test_judgement_scores_are_read_only_for_the_cases_candidates():
    parsed = parse_fields({"criteria-0-kind": "judgement", "criteria-0-score-ann": "3",
                           "criteria-0-score-intruder": "5"}, CANDIDATES)
    measure = parsed.workshop.criteria[0].measure
    assert isinstance(measure, JudgementMeasure)
    assert dict(measure.scores) == {"ann": 3}


def test_removing_a_row_moves_the_later_rows_up_and_keeps_their_values():
    fields = {"criteria-0-name": "A", "criteria-1-name": "B", "criteria-1-weight": "x",
              "criteria-2-name": "C", "kpis-0-name": "K", "justification": "J"}
    result = remove_row(fields, "criteria", 1)
    assert result == {"criteria-0-name": "A", "criteria-1-name": "C", "kpis-0-name": "K",
                      "justification": "J"}


def test_adding_a_row_appends_an_empty_one():
    fields = add_row({"kpis-0-name": "K", "kpis-4-name": "gap"}, "kpis")
    assert row_count(fields, "kpis") == 3
    assert fields["kpis-1-name"] == "gap" and fields["kpis-2-name"] == ""


def test_a_row_numbered_two_ways_is_one_row_and_far_rows_are_ignored():
    fields = {"criteria-07-name": "A", "criteria-7-weight": "40", "criteria-50-name": "far",
              "kpis-2-name": "K"}
    parsed = parse_fields(fields, CANDIDATES)
    assert [criterion.weight for criterion in parsed.workshop.criteria] == [40]
    assert (row_count(fields, "criteria"), row_count(fields, "kpis")) == (1, 1)


def test_a_new_workshop_starts_with_two_criteria_and_three_kpis():
    fields = starter_fields()
    assert (row_count(fields, "criteria"), row_count(fields, "kpis")) == (2, 3)


def test_numbers_are_shown_the_way_people_type_them():
    assert [format_number(v) for v in (None, 10, 10.0, 7.5, -3.0)] == ["", "10", "10", "7.5", "-3"]


FIELD_NAMES = st.sampled_from([
    "criteria-0-name", "criteria-0-weight", "criteria-0-kind", "criteria-0-figure",
    "criteria-0-direction", "criteria-0-threshold-0", "criteria-0-threshold-3",
    "criteria-1-kind", "criteria-1-anchor-2", "criteria-1-score-ann", "criteria-49-weight",
    "criteria-999-name", "kpis-0-name", "kpis-0-frequency", "kpis-2-responsibility",
    "cutoff-kind", "cutoff-value", "justification",
]) | st.text(max_size=30)
FIELD_VALUES = st.sampled_from(["", "judgement", "figure", "lower", "revenue", "score", "7",
                                "-1", "1e999", "nan", "1,000", "１２．５", "0.1"]) | st.text()


@given(st.dictionaries(FIELD_NAMES, FIELD_VALUES, max_size=30))
def test_any_posted_fields_parse_without_raising(fields):
    parsed = parse_fields(fields, CANDIDATES)
    find_problems(parsed.workshop, FIGURES, CANDIDATES, for_submission=True)


def test_a_draft_is_checked_for_mistakes_only_but_a_submission_for_completeness_too():
    parsed = parse_fields({"criteria-0-name": "", "criteria-0-weight": "30"}, CANDIDATES)
    assert codes(find_problems(parsed.workshop, FIGURES, CANDIDATES)) == [
        ("criteria-0-name", "required"), ("weights", "weights_sum")]
    complete_codes = {code for _field, code in
                      codes(find_problems(parsed.workshop, FIGURES, CANDIDATES,
                                          for_submission=True))}
    assert {"required", "too_few_criteria", "too_few_kpis", "thresholds_required"} <= \
        complete_codes


def test_a_new_workshop_shows_no_mistakes():
    parsed = parse_fields(starter_fields(), CANDIDATES)
    assert find_problems(parsed.workshop, FIGURES, CANDIDATES) == ()


def test_names_that_differ_only_in_case_are_duplicates():
    parsed = parse_fields({"criteria-0-name": "Growth", "criteria-1-name": " growth "},
                          CANDIDATES)
    assert ("criteria-1-name", "duplicate_name") in codes(
        find_problems(parsed.workshop, FIGURES, CANDIDATES))


def test_a_figure_that_is_not_in_the_case_is_refused():
    parsed = parse_fields({"criteria-0-figure": "shoe_size"}, CANDIDATES)
    assert ("criteria-0-figure", "unknown_figure") in codes(
        find_problems(parsed.workshop, FIGURES, CANDIDATES))
