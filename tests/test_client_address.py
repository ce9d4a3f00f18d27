"""The throttle counts the real client: the socket's address, or the proxy's when one is declared."""

from __future__ import annotations

import pytest

from tests.conftest import TRAINEE, browser_client, make_app, seed_people, sign_in

WRONG = {**TRAINEE, "password": "not-the-password"}


def _app(tmp_path, **config):
    app = make_app(tmp_path, **config)
    seed_people(app)
    return app


def _sign_in_forwarded(app, forwarded_for, person):
    client = browser_client(app)  # the proxy's connection: always 127.0.0.1
    return client.post("/en/sign-in", data={"email": person["email"],
                                            "password": person["password"]},
                       headers={"X-Forwarded-For": forwarded_for})


def test_without_a_declared_proxy_a_forged_header_does_not_make_a_new_address(tmp_path):
    app = _app(tmp_path)
    answers = [_sign_in_forwarded(app, f"203.0.113.{n}", WRONG).status_code for n in range(7)]
    assert answers[-1] == 429  # every guess came from the same socket address


def test_behind_a_declared_proxy_each_client_counts_on_its_own(tmp_path):
    app = _app(tmp_path, PROXY_COUNT=1)
    attacker = [_sign_in_forwarded(app, "203.0.113.5", WRONG).status_code for _ in range(7)]
    assert attacker[-1] == 429
    # What the attacker writes into the header itself is ignored: the proxy appends the truth.
    assert _sign_in_forwarded(app, "198.51.100.7, 203.0.113.5", WRONG).status_code == 429
    assert _sign_in_forwarded(app, "198.51.100.7", TRAINEE).status_code == 302


def test_a_proxy_count_that_is_not_a_count_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="COURSEWARE_PROXY_COUNT"):
        make_app(tmp_path, PROXY_COUNT=-1)
    assert sign_in(browser_client(_app(tmp_path / "ok", PROXY_COUNT=2)), TRAINEE).status_code == 302
