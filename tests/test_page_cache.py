"""Pages reuse rendered pieces: nobody sees another trainee's progress, answers or a stale name."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any
from unittest import mock

import pytest
from flask import Flask
from flask.testing import FlaskClient

from courseware.auth.users import create_user
from courseware.db import connect
from tests.conftest import (
    OTHER_TRAINEE,
    TRAINEE,
    TRAINER,
    make_app,
    post_form,
    seed_people,
    sign_in,
    text,
)
from tests.test_quiz_views import start, submit

SECOND = {"email": "second@example.com", "password": "second-pass-123", "name": "Sue Second"}


def _client_of(app: Flask, person: dict[str, str], lang: str) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, person, lang).status_code == 302
    return client


def _ticked(html: str) -> list[str]:
    """The pages the contents list marks as read."""
    return re.findall(r'<li class="read[^"]*">\s*<a href="/\w+/module/([\w-]+)"', html)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_trainee_never_sees_another_trainees_progress_or_name(app, ids, lang):
    db = connect(app.config["DATABASE"])
    create_user(db, role="trainee", cohort_id=ids["cohort"], **SECOND)
    db.close()
    first = _client_of(app, TRAINEE, lang)
    second = _client_of(app, SECOND, lang)

    first.get(f"/{lang}/module/objective")
    first_page = first.get(f"/{lang}/module/scope").get_data(as_text=True)
    second_page = second.get(f"/{lang}/module/scope").get_data(as_text=True)
    first_again = first.get(f"/{lang}/module/scope").get_data(as_text=True)

    assert sorted(_ticked(first_page)) == ["objective", "scope"]
    assert _ticked(second_page) == ["scope"]
    assert sorted(_ticked(first_again)) == ["objective", "scope"]
    assert SECOND["name"] in second_page and TRAINEE["name"] not in second_page
    assert TRAINEE["name"] in first_again and SECOND["name"] not in first_again


@pytest.mark.parametrize(("lang", "default"), [("en", "the company"), ("zh", "公司")])
def test_a_cohorts_new_organisation_name_shows_at_once(app, ids, lang, default):
    trainee = _client_of(app, TRAINEE, lang)
    stranger = _client_of(app, OTHER_TRAINEE, lang)
    trainer = _client_of(app, TRAINER, lang)
    assert default in text(trainee.get(f"/{lang}/module/focal-point"))
    assert default in text(stranger.get(f"/{lang}/module/focal-point"))

    settings = f"/{lang}/trainer/cohorts/{ids['cohort']}/settings"
    saved = post_form(trainer, settings, {"name": "Spring cohort", "org_name": "Acme <Foods>",
                                          "pass_mark": "75", "max_key_accounts": "5"})
    assert saved.status_code == 302

    html = trainee.get(f"/{lang}/module/focal-point").get_data(as_text=True)
    assert "Acme &lt;Foods&gt;" in html and "{org}" not in html
    # The other cohort keeps its own name, though its page was rendered for the new one too.
    other = stranger.get(f"/{lang}/module/focal-point").get_data(as_text=True)
    assert "Acme" not in other and default in text(stranger.get(f"/{lang}/module/focal-point"))


def test_each_language_keeps_its_own_rendering_of_a_page(app):
    client = _client_of(app, TRAINEE, "en")
    english = text(client.get("/en/module/scope"))
    chinese = text(client.get("/zh/module/scope"))
    assert "Page 4 of 15" in english and "Page 4 of 15" not in chinese
    assert 'href="/zh/module/' in client.get("/zh/module/scope").get_data(as_text=True)
    assert "Page 4 of 15" in text(client.get("/en/module/scope"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_quiz_page_shows_the_answers_saved_since_it_was_last_drawn(app, lang):
    first = _client_of(app, TRAINEE, lang)
    url = start(first, lang)
    untouched = first.get(url).get_data(as_text=True)
    assert " checked" not in untouched and 'class="error"' not in untouched

    shown = submit(first, url, {"answer:what-is-kam": "process"}).get_data(as_text=True)
    again = first.get(url).get_data(as_text=True)

    chosen = 'id="q-what-is-kam--process" name="answer:what-is-kam" value="process" checked'
    assert chosen in shown and 'id="error-how-selected"' in shown
    assert chosen in again and 'id="error-how-selected"' not in again
    # Another trainee's attempt starts blank, whatever the first one has answered.
    second = _client_of(app, OTHER_TRAINEE, lang)
    assert " checked" not in second.get(start(second, lang)).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_header_shows_each_role_its_own_links_and_each_user_their_own_name(app, lang):
    trainee = _client_of(app, TRAINEE, lang)
    trainer = _client_of(app, TRAINER, lang)
    visitor = app.test_client()
    workshop, cohorts = f'href="/{lang}/workshop/"', f'href="/{lang}/trainer/"'
    for _round in range(2):
        as_trainee = trainee.get(f"/{lang}/module/scope").get_data(as_text=True)
        as_trainer = trainer.get(f"/{lang}/module/scope").get_data(as_text=True)
        as_visitor = visitor.get(f"/{lang}/").get_data(as_text=True)
        assert workshop in as_trainee and cohorts not in as_trainee
        assert cohorts in as_trainer and workshop not in as_trainer
        assert workshop not in as_visitor and cohorts not in as_visitor
        assert TRAINEE["name"] in as_trainee and TRAINER["name"] not in as_trainee
        assert TRAINER["name"] in as_trainer and TRAINEE["name"] not in as_trainer
        assert TRAINEE["name"] not in as_visitor and TRAINER["name"] not in as_visitor


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_new_pass_mark_shows_on_an_open_quiz_at_once(app, ids, lang):
    trainee = _client_of(app, TRAINEE, lang)
    trainer = _client_of(app, TRAINER, lang)
    url = start(trainee, lang)
    assert "75%" in text(trainee.get(url))

    settings = f"/{lang}/trainer/cohorts/{ids['cohort']}/settings"
    saved = post_form(trainer, settings, {"name": "Spring cohort", "org_name": "",
                                          "pass_mark": "60", "max_key_accounts": "5"})
    assert saved.status_code == 302

    page = text(trainee.get(url))
    assert "60%" in page and "75%" not in page


def test_an_edited_template_shows_at_once_while_templates_reload(tmp_path):
    app = make_app(tmp_path, TEMPLATES_AUTO_RELOAD=True)
    seed_people(app)
    client = _client_of(app, TRAINEE, "en")
    assert "Page 4 of 15" in text(client.get("/en/module/scope"))
    # Nothing kept: the next request renders the (possibly edited) template again.
    assert len(app.extensions["fragments"]) == 0 and len(app.extensions["pages"]) == 0


def _sign_out_token(html: str) -> str:
    form = re.search(r'action="/\w+/sign-out".*?name="csrf_token" value="([^"]+)"', html, re.S)
    assert form, "no sign-out form"
    return form.group(1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_shared_page_carries_each_trainees_own_form_token(app, ids, lang):
    first = _client_of(app, TRAINEE, lang)
    second = _client_of(app, OTHER_TRAINEE, lang)
    first_token = _sign_out_token(first.get(f"/{lang}/module/scope").get_data(as_text=True))
    second_token = _sign_out_token(second.get(f"/{lang}/module/scope").get_data(as_text=True))
    assert first_token != second_token

    # One trainee's token does not work in the other's session; each works in its own.
    refused = second.post(f"/{lang}/sign-out", data={"csrf_token": first_token})
    assert refused.status_code == 400
    assert second.post(f"/{lang}/sign-out", data={"csrf_token": second_token}).status_code == 302
    assert second.get(f"/{lang}/module/scope").status_code == 302
    assert first.get(f"/{lang}/module/scope").status_code == 200


def test_the_shared_page_token_is_the_one_flask_wtf_checks(app):
    from flask import session
    from flask_wtf.csrf import generate_csrf, validate_csrf
    from wtforms import ValidationError

    from courseware.security import csrf_token

    with app.test_request_context("/en/module/scope"):
        session["csrf_token"] = secrets.token_hex(20)  # as Flask-WTF makes them
        token = csrf_token()
        validate_csrf(token)  # accepted: raises otherwise
        # Flask-WTF's own token differs only in its timestamp and signature.
        assert generate_csrf().split(".")[0] == token.split(".")[0]
        session["csrf_token"] = secrets.token_hex(20)  # another session's secret
        with pytest.raises(ValidationError):
            validate_csrf(token)


def test_a_form_carries_the_pages_token_without_flask_wtf_signing_it_again(app):
    from flask import session
    from itsdangerous import URLSafeTimedSerializer

    from courseware.auth.forms import SignInForm
    from courseware.security import csrf_token

    with app.test_request_context("/en/sign-in"):
        session["csrf_token"] = secrets.token_hex(20)
        with mock.patch.object(URLSafeTimedSerializer, "dumps",
                               side_effect=AssertionError("Flask-WTF signed the token again")):
            form = SignInForm()
        assert form.csrf_token.current_token == csrf_token()


def test_a_form_opened_pages_ago_still_sends(app, ids):
    client = _client_of(app, TRAINEE, "en")
    token = _sign_out_token(client.get("/en/module/scope").get_data(as_text=True))
    for page in ("/en/module/objective", "/en/quiz/", "/en/module/scope"):
        assert client.get(page).status_code == 200
    assert client.post("/en/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/en/module/scope").status_code == 302


def test_the_token_is_flask_wtfs_own_and_changes_with_the_second(app):
    from flask import g, session
    from flask_wtf.csrf import generate_csrf

    from courseware.security import csrf_token

    now = time.time()
    with app.test_request_context("/en/module/scope"):
        session["csrf_token"] = secrets.token_hex(20)
        tokens = []
        for second in (now, now + 1):
            with mock.patch("time.time", return_value=second):
                ours = csrf_token()
                assert ours == generate_csrf()  # byte for byte
                del g.csrf_token  # Flask-WTF keeps its token for the request
            tokens.append(ours)
    # Signed afresh: no part after the session's payload stays the same from one second to
    # the next, so compressed pages cannot give a whole token away (BREACH).
    assert tokens[0] != tokens[1]
    assert tokens[0].split(".")[0] == tokens[1].split(".")[0]


def test_with_a_time_limit_each_page_signs_its_token_afresh(tmp_path):
    from flask import session
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError

    from courseware.security import csrf_token

    app = make_app(tmp_path, WTF_CSRF_TIME_LIMIT=60)
    with app.test_request_context("/en/module/scope"):
        session["csrf_token"] = secrets.token_hex(20)
        with mock.patch("time.time", return_value=time.time() - 120):
            old = csrf_token()  # signed two minutes ago
        fresh = csrf_token()
        validate_csrf(fresh)
        with pytest.raises(ValidationError, match="expired"):
            validate_csrf(old)


def _sign_out_with(client, token, **kwargs):
    return client.post("/en/sign-out", data={"csrf_token": token}, **kwargs).status_code


def test_a_token_another_worker_signed_earlier_is_accepted(app, ids):
    client = _client_of(app, TRAINEE, "en")
    token = _sign_out_token(client.get("/en/module/scope").get_data(as_text=True))
    payload, _signed_at, signature = token.split(".")
    with app.test_request_context():
        # The same session's token as a worker that signed it an hour ago would give it.
        signer = app.extensions["csrf_signer"]
        with mock.patch("time.time", return_value=time.time() - 3600):
            earlier = signer.sign(payload).decode()
    assert earlier != token
    assert _sign_out_with(client, earlier) == 302


def _forged(token):
    # Change the signature's first character: its last one partly holds padding bits, which
    # base64 decoding ignores, so changing that one may leave the signature as it was.
    signed, signature = token.rsplit(".", 1)
    return f"{signed}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


@pytest.mark.parametrize("tamper", [
    _forged,  # a forged signature
    lambda token: token.split(".")[0],  # no signature at all
    lambda token: "",
])
def test_a_forged_or_missing_token_is_refused(app, ids, tamper):
    client = _client_of(app, TRAINEE, "en")
    token = _sign_out_token(client.get("/en/module/scope").get_data(as_text=True))
    assert _sign_out_with(client, tamper(token)) == 400
    assert client.get("/en/module/scope").status_code == 200  # still signed in


def test_over_https_a_post_must_come_from_our_own_pages(tmp_path):
    app = make_app(tmp_path, COURSEWARE_HTTPS=True)
    seed_people(app)
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    page = client.get("/en/sign-in", **https).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    sign_in_form = {"csrf_token": token, "email": TRAINEE["email"], "password": TRAINEE["password"]}
    # Flask-WTF's rule over HTTPS: the referrer must be this site.
    assert client.post("/en/sign-in", data=sign_in_form, **https).status_code == 400
    assert client.post("/en/sign-in", data=sign_in_form, headers={
        "Referer": "https://elsewhere.example/"}, **https).status_code == 400
    assert client.post("/en/sign-in", data=sign_in_form, headers={
        "Referer": "https://localhost/en/sign-in"}, **https).status_code == 302


def test_a_message_flashed_before_a_shared_page_shows_on_it_once(app, ids):
    from flask import flash
    from flask_login import login_user

    from courseware.auth.users import user_by_session_id
    from courseware.db import get_db
    from courseware.fragments import cached_page

    def page() -> str:
        return cached_page("error.html", ("flash test",), code=200, title="Title",
                           hint="Hint").get_data(as_text=True)

    def signed_in_request() -> Any:
        context = app.test_request_context("/en/module/scope")
        context.push()
        app.preprocess_request()
        login_user(user_by_session_id(get_db(), f"{ids['trainee']}:1"))
        return context

    context = signed_in_request()
    flash("Saved just now.")
    flashed = page()
    context.pop()
    context = signed_in_request()
    later, again = page(), page()
    context.pop()
    assert "Saved just now." in flashed
    assert "Saved just now." not in later and "Saved just now." not in again
    assert TRAINEE["name"] in flashed and TRAINEE["name"] in again


def test_a_shared_page_cannot_read_more_of_the_user_than_their_role():
    from courseware.fragments import SharedViewer

    viewer = SharedViewer("trainee")
    assert viewer.is_authenticated and viewer.role == "trainee" and not viewer.is_trainer
    with pytest.raises(RuntimeError, match="current_user.email"):
        _ = viewer.email
