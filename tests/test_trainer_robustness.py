"""Whatever a grading form or autosave carries, the trainer gets an answer, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TRAINER, browser_client, sign_in
from tests.support.trainer import grading_url, hand_in

ANY_TEXT = st.text(max_size=60)
FIELDS = st.dictionaries(
    st.sampled_from(["level-criteria_defined", "level-kpi_coverage", "comment-kpi_coverage",
                     "comment-overall", "revision", "action", "bank_insert", "bank_add",
                     "level-unknown"]),
    ANY_TEXT,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)


@pytest.fixture
def grading(app, ids):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    client = browser_client(app)
    sign_in(client, TRAINER)
    return client, grading_url("en", ids["cohort"], submission)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=FIELDS)
def test_grading_form_never_fails(grading, fields):
    client, url = grading
    response = client.post(url, data=fields)
    assert response.status_code in (302, 409, 422)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.fixed_dictionaries(
    {}, optional={"revision": JSON_VALUES, "levels": JSON_VALUES, "comments": JSON_VALUES,
                  "overall_comment": JSON_VALUES}) | JSON_VALUES)
def test_autosave_never_fails(grading, payload):
    client, url = grading
    response = client.post(url + "autosave", json=payload)
    assert response.status_code in (200, 400, 409, 422)
    assert response.is_json
