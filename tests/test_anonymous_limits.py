"""Anonymous requests that cost a password hash, and join-code guesses, are limited per address."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import (
    JOIN_CODE,
    TRAINEE,
    browser_client,
    from_address,
    post_form,
    sign_in,
    text,
)

CLASSROOM = "198.51.100.20"
NEW_TRAINEE = {"join_code": JOIN_CODE, "name": "Wang Fang", "email": "wang.fang@example.com",
               "password": "a-long-passphrase", "confirm": "a-long-passphrase"}


@pytest.fixture
def app(app, clock):
    app.config["CLOCK"] = clock
    return app


@pytest.fixture
def hashes(monkeypatch):
    """How many scrypt hashes the server computes: the cost of a request, and its timing."""
    computed = []
    real = hashlib.scrypt

    def counting(*args, **kwargs):
        computed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return computed


def client_at(app, address):
    return from_address(browser_client(app), address)


def test_an_unknown_email_costs_one_hash_like_a_wrong_password(app, hashes):
    client = client_at(app, CLASSROOM)
    sign_in(client, {"email": "nobody@example.com", "password": "whatever-it-is"})
    unknown = len(hashes)
    sign_in(client, {**TRAINEE, "password": "whatever-it-is"})
    assert unknown == 1 and len(hashes) == 2


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Too many sign-ins and joins from your network. Try again in"),
    ("zh", "你所在网络的登录和加入请求过多。请"),
])
def test_a_class_signs_in_from_one_address_but_a_flood_is_held_back(app, clock, hashes, lang,
                                                                   message):
    classroom = client_at(app, CLASSROOM)
    for _ in range(40):  # a class of 30 signing in, with typing mistakes and a second device
        assert sign_in(classroom, TRAINEE, lang).status_code == 302
        classroom.post(f"/{lang}/sign-out")
    before = len(hashes)
    flood = sign_in(classroom, TRAINEE, lang)
    assert flood.status_code == 429
    assert message in text(flood)
    assert len(hashes) == before  # refused before any hashing
    assert post_form(classroom, f"/{lang}/join", NEW_TRAINEE).status_code == 429
    # Another address is not affected, and the address gets its turn back.
    assert sign_in(client_at(app, "192.0.2.9"), TRAINEE, lang).status_code == 302
    clock.advance(int(flood.headers["Retry-After"]))
    assert sign_in(classroom, TRAINEE, lang).status_code == 302


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Too many wrong join codes from your network. Try again in"),
    ("zh", "你所在网络输错加入码的次数过多。请"),
])
def test_join_code_guesses_are_limited_and_cost_no_hash(app, clock, hashes, lang, message):
    guesser = client_at(app, "203.0.113.7")
    for number in range(20):
        response = post_form(guesser, f"/{lang}/join",
                             {**NEW_TRAINEE, "join_code": f"KAM-GUESS-{number}"})
        assert response.status_code == 200
    assert hashes == []
    refused = post_form(guesser, f"/{lang}/join", NEW_TRAINEE)  # even the right code waits
    assert refused.status_code == 429
    assert message in text(refused)
    assert 'value="Wang Fang"' in refused.get_data(as_text=True)  # what was typed stays
    assert post_form(client_at(app, CLASSROOM), f"/{lang}/join", NEW_TRAINEE).status_code == 302


def test_joining_with_a_taken_email_costs_no_hash(app, hashes):
    response = post_form(client_at(app, CLASSROOM), "/en/join",
                         {**NEW_TRAINEE, "email": TRAINEE["email"]})
    assert "An account with this email exists already." in text(response)
    assert hashes == []
