"""Accounts: sign-in, join, sign-out, password rules, throttling, and who may see what."""

from __future__ import annotations

import re

import pytest

from courseware.db import connect
from tests.conftest import JOIN_CODE, TRAINEE, TRAINER, post_form, sign_in, text

NEW_TRAINEE = {"join_code": JOIN_CODE, "name": "Wang Fang", "email": "wang.fang@example.com",
               "password": "a-long-passphrase", "confirm": "a-long-passphrase"}


def test_sign_in_with_the_right_password_opens_the_module(client):
    response = sign_in(client, TRAINEE)
    assert response.status_code == 302
    assert client.get("/en/module/").status_code == 200


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "That email and password do not match an account."),
    ("zh", "邮箱或密码不正确。"),
])
def test_wrong_password_or_unknown_email_get_the_same_message(client, lang, message):
    wrong_password = sign_in(client, {**TRAINEE, "password": "not-the-password"}, lang)
    unknown_email = sign_in(client, {"email": "nobody@example.com", "password": "whatever12"}, lang)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert message in text(response)
    assert f'value="{TRAINEE["email"]}"' in wrong_password.get_data(as_text=True)


def test_sign_in_sends_you_back_to_the_page_you_asked_for(client):
    assert client.get("/zh/module/scope").headers["Location"].endswith("/zh/sign-in")
    response = sign_in(client, TRAINEE, "zh")
    assert response.headers["Location"] == "/zh/module/scope"


def test_sign_in_does_not_follow_an_offsite_next(client):
    with client.session_transaction() as session:
        session["next"] = "//evil.example/steal"
    assert sign_in(client, TRAINEE).headers["Location"] == "/en/"


@pytest.mark.parametrize("url", ["/en/module/", "/en/module/scope", "/zh/module/scope/side-by-side",
                                 "/en/module/handout", "/en/account/password", "/en/trainer/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("url", ["/en/", "/zh/", "/en/sign-in", "/zh/join"])
def test_landing_sign_in_and_join_are_public(client, url):
    assert client.get(url).status_code == 200


def test_a_trainee_cannot_open_the_trainer_desk(trainee_client):
    assert trainee_client.get("/en/trainer/").status_code == 403


def test_joining_with_the_code_creates_a_trainee_in_that_cohort(app, client, ids):
    response = post_form(client, "/en/join", NEW_TRAINEE)
    assert response.status_code == 302
    assert "Wang Fang" in text(client.get("/en/"))
    row = connect(app.config["DATABASE"]).execute(
        "SELECT role, cohort_id, password_hash FROM users WHERE email = ?",
        [NEW_TRAINEE["email"]]).fetchone()
    assert row[:2] == ("trainee", ids["cohort"])
    assert row[2].startswith("scrypt:")


@pytest.mark.parametrize(("lang", "change", "message"), [
    ("en", {"join_code": "KAM-NOPE"}, "No cohort has this join code."),
    ("zh", {"join_code": "KAM-NOPE"}, "没有学员班使用这个加入码"),
    ("en", {"email": TRAINEE["email"]}, "An account with this email exists already."),
    ("zh", {"email": TRAINEE["email"]}, "该邮箱已注册"),
    ("en", {"password": "short", "confirm": "short"}, "Use at least 10 characters."),
    ("zh", {"password": "short", "confirm": "short"}, "请至少使用 10 个字符。"),
    ("en", {"password": "password123", "confirm": "password123"}, "too common"),
    ("zh", {"password": "password123", "confirm": "password123"}, "这个密码太常见"),
    ("en", {"password": "x" * 129, "confirm": "x" * 129}, "Use at most 128 characters."),
    ("en", {"confirm": "something-else"}, "The passwords differ."),
    ("zh", {"name": ""}, "该字段是必填字段"),
])
def test_join_problems_are_explained_and_the_form_keeps_what_was_typed(client, lang, change,
                                                                       message):
    response = post_form(client, f"/{lang}/join", {**NEW_TRAINEE, **change})
    assert response.status_code == 200
    assert message in text(response)
    html = response.get_data(as_text=True)
    if "name" not in change:
        assert 'value="Wang Fang"' in html


def test_a_128_character_password_is_accepted(client):
    password = "p" * 64 + "q" * 64
    response = post_form(client, "/en/join", {**NEW_TRAINEE, "password": password,
                                              "confirm": password})
    assert response.status_code == 302


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client):
    sign_in(client, TRAINEE)
    copied = client.get_cookie("session").value
    assert post_form(client, "/en/sign-out", {}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/en/module/").status_code == 302


def test_changing_the_password_ends_the_other_sessions(app, client):
    sign_in(client, TRAINEE)
    other_device = app.test_client()
    sign_in(other_device, TRAINEE)
    assert other_device.get("/en/module/").status_code == 200
    response = post_form(client, "/en/account/password", {
        "current": TRAINEE["password"], "password": "new-long-passphrase",
        "confirm": "new-long-passphrase"})
    assert response.status_code == 302
    assert client.get("/en/module/").status_code == 200
    assert other_device.get("/en/module/").status_code == 302
    assert sign_in(client, {**TRAINEE, "password": "new-long-passphrase"}).status_code == 302


def test_change_password_needs_the_current_one(trainee_client):
    response = post_form(trainee_client, "/zh/account/password", {
        "current": "wrong-password", "password": "new-long-passphrase",
        "confirm": "new-long-passphrase"})
    assert "当前密码不正确。" in text(response)


def test_trainer_creates_a_cohort_and_trainees_join_with_its_code(app, trainer_client):
    response = post_form(trainer_client, "/en/trainer/", {"name": "Autumn cohort",
                                                          "org_name": "Acme Foods",
                                                          "join_code": "kam-autumn"})
    assert response.status_code == 302
    assert "KAM-AUTUMN" in text(trainer_client.get("/en/trainer/"))
    duplicate = post_form(trainer_client, "/zh/trainer/", {"name": "Again", "join_code": "KAM-AUTUMN"})
    assert "该加入码已被其他学员班使用。" in text(duplicate)


def _example_url(pattern: str) -> str:
    values = {"lang": "en", "page_id": "scope"}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values.get(match.group(1), "1"), pattern)


@pytest.mark.parametrize("person", [TRAINEE, TRAINER])
def test_every_post_from_another_site_is_refused(app, client, person):
    sign_in(client, person)
    # An LTI platform's login and launch are posted from its site by design (signed, and acting
    # on no session: tests/test_lti_launch.py); every other POST is refused.
    posts = [rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods
             and not getattr(app.view_functions[rule.endpoint], "cross_site_allowed", False)]
    assert len(posts) >= 10
    for url in map(_example_url, posts):
        response = client.post(url, data={"name": "Someone"},
                               headers={"Sec-Fetch-Site": "cross-site"})
        assert response.status_code == 403, url
        assert "sent from another site" in text(response), url
    # Still signed in: the refused sign-out did not sign anyone out.
    assert client.get("/en/module/").status_code == 200
