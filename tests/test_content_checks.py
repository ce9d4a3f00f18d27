"""The checks every area's loader shares name the file and the field the way an author finds it."""

import re

import pytest

from courseware.content import ContentError
from courseware.content_checks import (
    reject_unknown_fields,
    require_choice,
    require_id,
    require_list,
    require_mapping,
    require_text,
    require_unique_ids,
)

PATH = "content/en/area.yaml"


@pytest.mark.parametrize(
    ("check", "problem"),
    [
        (lambda: require_mapping([], "", PATH, "a 'questions' list"),
         "must be a mapping with a 'questions' list"),
        (lambda: require_mapping("x", "questions[3]", PATH), "questions[3] must be a mapping"),
        (lambda: reject_unknown_fields({"id": "a", "hint": "?"}, {"id"}, "questions[3]", PATH),
         "questions[3] has unknown field(s) ['hint']"),
        (lambda: require_text({"title": "  "}, "title", "", PATH), "title must be non-empty text"),
        (lambda: require_text({}, "prompt", "questions[3]", PATH),
         "questions[3].prompt must be non-empty text"),
        (lambda: require_choice({"type": "essay"}, "type", ("single", "multiple"), "questions[3]", PATH),
         "questions[3].type must be one of single, multiple"),
        (lambda: require_id({"id": "Not An Id"}, "id", "questions[3]", PATH),
         "questions[3].id must be a lower-case id of letters, digits and hyphens"),
        (lambda: require_id({"id": "a-b"}, "id", "criteria[0]", PATH, re.compile(r"^[a-z_]+$"), "snake_case"),
         "criteria[0].id must be snake_case"),
        (lambda: require_list(None, "questions", PATH, minimum=1), "questions must be a non-empty list"),
        (lambda: require_list([1], "questions[3].options", PATH, minimum=2, noun="options"),
         "questions[3].options must be a list of at least 2 options (it has 1)"),
        (lambda: require_list([1] * 5, "candidates", PATH, 12, 16, noun="candidates"),
         "candidates must be a list of 12 to 16 candidates (it has 5)"),
        (lambda: require_unique_ids(["a", "b", "a"], "questions", PATH), "questions[2].id 'a' is used twice"),
    ],
)
def test_a_failed_check_names_the_file_and_the_field(check, problem):
    with pytest.raises(ContentError) as error:
        check()
    assert (error.value.path, error.value.problem) == (PATH, problem)


def test_passing_checks_return_the_value_an_area_builds_from():
    assert require_text({"title": "  Rubric \n"}, "title", "", PATH) == "Rubric"
    assert require_choice({"better": "higher"}, "better", ("higher", "lower"), "figures[0]", PATH) == "higher"
    assert require_list([1, 2], "levels", PATH, 2, 6) == [1, 2]
    assert require_mapping({"a": 1}, "", PATH) == {"a": 1}
