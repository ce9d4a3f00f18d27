"""Dates and times read the way each language writes them: 2026年11月26日 21:25, 26 Nov 2026, 21:25."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfoNotFoundError

import pytest

from courseware.config import _time_zone
from courseware.db import connect
from courseware.templating import when, when_text
from tests.conftest import make_app
from tests.support.workshop import autosave, complete_fields, page_position

EXPECTED = {
    "en": "26 Nov 2026, 21:25 UTC",
    "zh": "2026年11月26日 21:25 UTC",
}
SHOWN = {
    "en": re.compile(r"Draft saved at \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC"),
    "zh": re.compile(r"草稿已于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} UTC 保存"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("stored", ["2026-11-26T21:25:00Z", "2026-11-26T21:25:03.512Z"])
def test_a_stored_time_reads_in_the_pages_language_on_a_24_hour_clock(app, lang, stored):
    with app.test_request_context(f"/{lang}/"):
        assert when_text(stored) == EXPECTED[lang]
        assert str(when(stored)) == f'<time datetime="{stored}">{EXPECTED[lang]}</time>'


def test_a_missing_time_shows_nothing(app):
    with app.test_request_context("/zh/"):
        assert when_text(None) == "" and str(when("")) == ""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_workshop_says_when_the_draft_was_saved_in_the_pages_style(trainee_client, lang):
    autosave(trainee_client, lang, page_position(trainee_client, lang), complete_fields())
    page = trainee_client.get(f"/{lang}/workshop/").get_data(as_text=True)
    status = re.search(r'id="save-status"[^>]*>(.*?)</p>', page, re.S)
    assert status, "no save status on the page"
    shown = re.sub(r"<[^>]+>", "", status.group(1)).strip()
    assert SHOWN[lang].fullmatch(shown), shown


@pytest.mark.parametrize(("lang", "shown"), [
    ("en", "27 Nov 2026, 05:25 UTC+8"), ("zh", "2026年11月27日 05:25 UTC+8"),
])
def test_times_read_in_the_configured_zone_with_the_zone_named(tmp_path, lang, shown):
    # 21:25 UTC is already the next morning in Shanghai: a trainee there must read that day.
    app = make_app(tmp_path, BABEL_DEFAULT_TIMEZONE="Asia/Shanghai")
    with app.test_request_context(f"/{lang}/"):
        assert when_text("2026-11-26T21:25:00Z") == shown


def test_the_page_hands_its_zone_to_the_script_that_formats_autosave_times(tmp_path):
    client = make_app(tmp_path, BABEL_DEFAULT_TIMEZONE="Asia/Kolkata").test_client()
    html = client.get("/en/sign-in").get_data(as_text=True)
    assert 'data-timezone="Asia/Kolkata" data-zone="UTC+5:30"' in html


def test_an_unknown_time_zone_is_refused_at_start_up():
    with pytest.raises(ZoneInfoNotFoundError):
        _time_zone("Asia/Shanghia")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_cohorts_time_zone_sets_the_time_its_trainees_read(app, ids, trainee_client, lang):
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET time_zone = 'Asia/Shanghai' WHERE id = ?", [ids["cohort"]])
    db.conn.commit()
    db.close()
    autosave(trainee_client, lang, page_position(trainee_client, lang), complete_fields())
    page = trainee_client.get(f"/{lang}/workshop/").get_data(as_text=True)
    assert 'data-timezone="Asia/Shanghai" data-zone="UTC+8"' in page
    status = re.search(r'id="save-status"[^>]*>(.*?)</p>', page, re.S)
    shown = re.sub(r"<[^>]+>", "", status.group(1)).strip()
    assert shown.endswith("UTC+8" if lang == "en" else "UTC+8 保存"), shown


def test_a_trainer_sets_the_cohorts_time_zone_and_a_typo_is_refused(app, ids, trainer_client):
    url = f"/en/trainer/cohorts/{ids['cohort']}/settings"
    fields = {"name": "Spring cohort", "org_name": "", "pass_mark": "75", "max_key_accounts": "5"}
    refused = trainer_client.post(url, data={**fields, "time_zone": "Asia/Shanghia"})
    assert refused.status_code == 422
    assert "Enter a time zone such as Asia/Shanghai" in refused.get_data(as_text=True)
    assert trainer_client.post(url, data={**fields, "time_zone": "Asia/Shanghai"}).status_code == 302
    assert 'data-timezone="Asia/Shanghai"' in trainer_client.get(url).get_data(as_text=True)
