"""Join codes are long enough to resist guessing and have no characters that look alike."""

from __future__ import annotations

import pytest

from courseware.db import connect
from courseware.trainer.cohorts import CODE_ALPHABET, join_code_problem, new_join_code
from tests.conftest import post_form, sign_in, text

LOOK_ALIKES = set("0O1IL")


def test_random_codes_have_eight_characters_without_look_alikes():
    for code in (new_join_code() for _ in range(200)):
        characters = code.replace("-", "")
        assert len(characters) >= 8 + 3  # "KAM" and eight random characters
        assert not LOOK_ALIKES & set(code)
        assert join_code_problem(code) is None
    assert not LOOK_ALIKES & set(CODE_ALPHABET)


@pytest.mark.parametrize(("lang", "code", "message"), [
    ("en", "AB12", "Use the letters A–Z without I, L and O"),
    ("en", "KAM-TOOL-BOX", "look-alikes such as 0 and O are left out"),
    ("zh", "KAM-2026-TRY", "去掉了 0 和 O 这类容易看混的字符"),
    ("en", "KAM-ABCD", "Use at least 8 letters and digits; hyphens between them do not count."),
    ("zh", "K-A-M-X-Y-Z-2", "请至少使用 8 个字母和数字，连字符不计在内。"),
])
def test_a_trainers_own_code_follows_the_same_rules(app, trainer_client, lang, code, message):
    response = post_form(trainer_client, f"/{lang}/trainer/", {"name": "Autumn", "join_code": code})
    assert message in text(response)
    assert f'value="{code}"' in response.get_data(as_text=True)
    count = connect(app.config["DATABASE"]).execute(
        "SELECT count(*) FROM cohorts WHERE name = 'Autumn'").fetchone()[0]
    assert count == 0


def test_a_good_own_code_works_however_the_trainee_types_it(app, client):
    sign_in(client, {"email": "trainer@example.com", "password": "trainer-pass-123"})
    post_form(client, "/en/trainer/", {"name": "Autumn", "join_code": "kam-autumn-26"})
    client.post("/en/sign-out")
    response = post_form(client, "/en/join", {
        "join_code": "  Kam-Autumn-26 ", "name": "Li Na", "email": "li.na@example.com",
        "password": "a-long-passphrase", "confirm": "a-long-passphrase"})
    assert response.status_code == 302


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "This code is easier to guess or misread than new codes may be"),
    ("zh", "这个加入码比新规则允许的更容易被猜中或看错"),
])
def test_settings_warn_about_a_code_made_before_the_rules(app, trainer_client, ids, lang,
                                                          message):
    url = f"/{lang}/trainer/cohorts/{ids['cohort']}/settings"
    assert message in text(trainer_client.get(url))  # the fixture's KAM-TEST: 7 characters
    post_form(trainer_client, f"/{lang}/trainer/cohorts/{ids['cohort']}/join-code", {})
    assert message not in text(trainer_client.get(url))
