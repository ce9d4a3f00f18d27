"""The session cookie: verified on every request, re-sent once a minute, ending after the idle time."""

from __future__ import annotations

import time

import pytest

from tests.conftest import TRAINEE, sign_in


class Clock:
    """time.time() moved on by hand; itsdangerous and the session read the same clock."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + self.offset)

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def _session_cookie_sent(response) -> bool:
    return any(header.startswith("session=") for header in response.headers.getlist("Set-Cookie"))


def test_an_unchanged_session_is_sent_again_only_once_a_minute(client, monkeypatch):
    clock = Clock(monkeypatch)
    sign_in(client, TRAINEE)
    client.get("/en/module/")  # the first page after signing in adds the form token
    assert not _session_cookie_sent(client.get("/en/module/"))
    clock.advance(61)
    assert _session_cookie_sent(client.get("/en/module/"))
    assert not _session_cookie_sent(client.get("/en/module/"))


def test_a_trainee_who_keeps_working_stays_signed_in_past_the_idle_time(app, client, monkeypatch):
    clock = Clock(monkeypatch)
    idle = app.permanent_session_lifetime.total_seconds()
    sign_in(client, TRAINEE)
    for _step in range(4):  # a request every half idle time: twice the idle time in all
        clock.advance(idle / 2)
        assert client.get("/en/module/").status_code == 200


def test_a_session_ends_after_the_idle_time_even_once_verified(app, client, monkeypatch):
    clock = Clock(monkeypatch)
    sign_in(client, TRAINEE)
    assert client.get("/en/module/").status_code == 200  # the cookie is now known
    clock.advance(app.permanent_session_lifetime.total_seconds() + 1)
    assert client.get("/en/module/").status_code == 302


def test_a_tampered_copy_of_a_verified_cookie_is_refused(app, client):
    sign_in(client, TRAINEE)
    assert client.get("/en/module/").status_code == 200
    cookie = client.get_cookie("session").value
    payload, _, signature = cookie.rpartition(".")
    forged = app.test_client()
    forged.set_cookie("session", f"{payload}.{signature[::-1]}")
    assert forged.get("/en/module/").status_code == 302
