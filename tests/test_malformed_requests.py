"""Every route, every method, every kind of malformed request no page sends: a 4xx (or the
page itself), never a 5xx and never a traceback in the log."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TRAINEE, TRAINER, sign_in
from tests.support.workshop import complete_fields, page_position

DEEP = 10_000
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# (what it is, content type, body): bodies no page of the app sends.
BODIES = [
    ("arrays nested 10,000 deep", JSON, "[" * DEEP + "]" * DEEP),
    ("objects nested 10,000 deep", JSON, '{"a":' * DEEP + "1" + "}" * DEEP),
    ("a JSON array", JSON, '["token", "question"]'),
    ("a JSON string", JSON, '"justification"'),
    ("a JSON number too large", JSON, "1" + "0" * 5000),
    ("lone surrogates", JSON,
     '{"token": "\\udc80", "question": "\\ud800", "answer": ["\\udfff"], "justification": '
     '"\\ud83d", "seq": "1", "editor": "\\udc00"}'),
    ("invalid UTF-8 in JSON", JSON, b'{"token": "\xff\xfe", "justification": "\xc3"}'),
    ("a form", FORM, "token=x&question=what-is-kam&answer=process&seq=99999999999999999999"),
    ("NUL bytes in a form", FORM,
     "email=a%00b%40example.com&password=%00&name=%00&justification=%00&criteria-0-weight=%00"),
    ("invalid UTF-8 in a form", FORM, b"email=\xff\xfe&password=\xc3&join_code=\xff&name=\x80"),
    ("a form of huge numbers", FORM,
     "criteria-0-weight=1e999999&cutoff-value=-0&base_version=99999999999999999999999"
     "&revision=-99999999999999999999&seq=1e400"),
]
IDS = [-1, 0, 1, 2**31, 2**63 - 1, 2**63, 2**64]
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def urls(app: Flask, id_value: int) -> list[tuple[str, list[str]]]:
    """Every route's URL with `id_value` for its ids, and the methods it answers."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue

        def value(match: re.Match[str]) -> str:
            converter, name = match.group(1), match.group(2)
            if converter == "int":
                return str(id_value)
            return "en" if name == "lang" else "01-customer-categories"

        methods = sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"})
        found.append((ARGUMENT.sub(value, rule.rule), methods))
    return found


def assert_no_server_error(caplog, response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    tracebacks = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not tracebacks, f"{what}: {tracebacks[0].getMessage()}"


def clients(app: Flask):
    anonymous = app.test_client()
    trainee = app.test_client()
    sign_in(trainee, TRAINEE)
    trainer = app.test_client()
    sign_in(trainer, TRAINER)
    return {"anonymous": anonymous, "trainee": trainee, "trainer": trainer}


@pytest.fixture
def people(app):
    people = clients(app)
    # A started quiz attempt and a submitted workshop, so that ids 1 lead somewhere real.
    trainee = people["trainee"]
    trainee.post("/en/quiz/start")
    submitted = trainee.post("/en/workshop/", data={
        **page_position(trainee, "en"), **complete_fields(), "action": "submit"})
    assert submitted.headers["Location"].endswith("/workshop/versions/1")
    return people


def test_no_malformed_body_to_any_route_is_a_server_error(app, people, caplog):
    caplog.set_level(logging.ERROR)
    for who, client in people.items():
        for url, methods in urls(app, 1):
            for method in set(methods) - {"GET"}:
                for what, content_type, body in BODIES:
                    response = client.open(url, method=method, data=body,
                                           content_type=content_type,
                                           headers={"Sec-Fetch-Site": "same-origin"})
                    assert_no_server_error(caplog, response, f"{who} {method} {url} {what}")


@pytest.mark.parametrize("id_value", IDS)
def test_no_id_in_any_url_is_a_server_error(app, people, caplog, id_value):
    caplog.set_level(logging.ERROR)
    for who, client in people.items():
        for url, methods in urls(app, id_value):
            for method in methods:
                response = client.open(url, method=method, data={},
                                       headers={"Sec-Fetch-Site": "same-origin"})
                assert_no_server_error(caplog, response, f"{who} {method} {url}")


@pytest.mark.parametrize("header", [("Referer", "https://["), ("Referer", "\x00"),
                                    ("Origin", "http://["), ("Origin", "null"),
                                    ("Referer", "https://evil.example/")])
def test_malformed_referers_and_origins_over_https_are_no_server_error(app, people, caplog,
                                                                       header):
    caplog.set_level(logging.ERROR)
    name, value = header
    for who, client in people.items():
        for url, methods in urls(app, 1):
            for method in methods:
                response = client.open(url, method=method, data={"token": "x"},
                                       base_url="https://localhost", headers={name: value})
                assert_no_server_error(caplog, response, f"{who} {method} {url} {name}")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["token", "question", "answer", "seq", "editor",
                                       "revision", "base_version", "justification",
                                       "criteria-0-weight", "cutoff-kind", "text", "x"]),
                      children, max_size=6),
    max_leaves=20)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values)
def test_any_json_to_the_json_routes_is_no_server_error(app, people, caplog, body):
    caplog.set_level(logging.ERROR)
    trainee, trainer = people["trainee"], people["trainer"]
    for client, url in [(trainee, "/en/workshop/autosave"), (trainee, "/zh/quiz/attempt/1/answers"),
                        (trainer, "/en/trainer/cohorts/1/submissions/1/autosave"),
                        (trainer, "/zh/trainer/comment-bank")]:
        response = client.post(url, json=body, headers={"Sec-Fetch-Site": "same-origin"})
        assert_no_server_error(caplog, response, f"POST {url} {body!r}")
