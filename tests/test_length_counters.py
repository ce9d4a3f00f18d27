"""Character counters on every text field with a limit: counted, warned about, never cut."""

from __future__ import annotations

import re

import pytest

from courseware.trainer.forms import CohortForm
from tests.conftest import JOIN_CODE, post_form
from tests.support.trainer import grading_url, hand_in


def _tag(html: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|textarea)[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no field {element_id}"
    return match.group(0)


def _count(html: str, element_id: str) -> str:
    match = re.search(rf'<p class="hint length-count[^"]*" id="{re.escape(element_id)}-count"'
                      rf'[^>]*>([^<]*)</p>', html)
    assert match, f"no counter for {element_id}"
    return match.group(0)


def test_a_length_rule_gives_the_field_its_limit_but_a_password_gets_none(app):
    from courseware.auth.forms import JoinForm
    from courseware.templating import length_limit

    with app.test_request_context():
        join = JoinForm(meta={"csrf": False})
        cohort = CohortForm(meta={"csrf": False})
    assert length_limit(join.name) == 100 and length_limit(join.email) == 254
    assert length_limit(join.password) is None
    assert length_limit(cohort.org_name) == 100


def test_the_join_form_counts_the_name_and_does_not_cut_it(client):
    html = client.get("/en/join").get_data(as_text=True)
    name = _tag(html, "name")
    assert 'data-limit="100"' in name and "maxlength" not in name
    assert "name-count" in name  # read out with the field
    assert " hidden" in _count(html, "name")  # a short name shows no counter
    assert "of 100 characters" not in html  # nor says, hidden, how long it is
    # A password keeps its browser limit and gets no counter.
    assert 'maxlength="128"' in _tag(html, "password") and 'id="password-count"' not in html


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "101 of 100 characters: 1 too many. Shorten it; nothing is cut off."),
    ("zh", "已输入 101 字，上限 100 字：超出 1 字。请删减，系统不会自动截断。"),
])
def test_a_name_over_the_limit_comes_back_whole_with_the_count_in_the_page_language(
        client, lang, message):
    name = "名" * 101
    html = post_form(client, f"/{lang}/join", {
        "join_code": JOIN_CODE, "name": name, "email": "long@example.com",
        "password": "a-long-passphrase", "confirm": "a-long-passphrase",
    }).get_data(as_text=True)
    assert f'value="{name}"' in _tag(html, "name")
    counter = _count(html, "name")
    assert message in counter and "is-over" in counter and " hidden" not in counter


def test_the_workshop_counts_every_limited_text_field(trainee_client):
    html = trainee_client.get("/en/workshop/").get_data(as_text=True)
    limits = {"criteria-0-name": 80, "criteria-0-description": 500, "criteria-0-anchor-1": 200,
              "justification": 4000}
    for field, limit in limits.items():
        assert f'data-limit="{limit}"' in _tag(html, field)
        _count(html, field)
    # A long text shows its count from the start; a one-line field only near its limit.
    assert "0 of 4000 characters" in _count(html, "justification")
    assert " hidden" in _count(html, "criteria-0-name")


def test_the_workshop_kpi_fields_are_counted(trainee_client):
    html = trainee_client.get("/en/workshop/").get_data(as_text=True)
    limits = {"kpis-0-name": 80, "kpis-0-definition": 500, "kpis-0-unit": 30,
              "kpis-0-target": 80, "kpis-0-data_source": 120}
    for field, limit in limits.items():
        assert f'data-limit="{limit}"' in _tag(html, field)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_grading_comments_are_counted_not_cut(app, trainer_client, ids, lang):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    html = trainer_client.get(grading_url(lang, ids["cohort"], submission)).get_data(as_text=True)
    overall = _tag(html, "comment-overall")
    assert 'data-limit="10000"' in overall and "maxlength" not in overall
    assert "comment-overall-count" in overall
    _count(html, "comment-overall")


def test_a_comment_bank_entry_is_counted(trainer_client):
    entry = trainer_client.post("/en/trainer/comment-bank", json={
        "target": "overall", "text": "Clear, well-argued work."},
        headers={"Sec-Fetch-Site": "same-origin"}).json["id"]
    html = trainer_client.get("/zh/trainer/comment-bank/").get_data(as_text=True)
    field = _tag(html, f"bank-text-{entry}")
    assert 'data-limit="2000"' in field and "maxlength" not in field
    assert "已输入 24 字，上限 2000 字" in _count(html, f"bank-text-{entry}")


def test_the_cohort_settings_count_the_organisation_names(trainer_client, ids):
    html = trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/settings").get_data(as_text=True)
    for field in ("name", "org_name", "org_name_zh"):
        tag = _tag(html, field)
        assert 'data-limit="100"' in tag and "maxlength" not in tag
