"""Registering platforms, the tool's keys and their rotation, deep linking, and who may see what."""

from __future__ import annotations

import jwt
import pytest
from jwcrypto.jwk import JWK

from courseware.db import connect
from tests.conftest import OTHER_TRAINEE, OTHER_TRAINER, TRAINER, browser_client, sign_in, text
from tests.support.lti import CROSS_SITE, launch, lti_app, register, start_login, tool_jwks
from tests.support.lti_platform import CLIENT_ID, Platform

INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


@pytest.fixture
def app(tmp_path):
    return lti_app(tmp_path)


@pytest.fixture
def platform(app):
    platform = Platform(tool_jwks(app))
    register(app, platform)
    yield platform
    platform.close()


def signed_in(app, person):
    client = browser_client(app)
    assert sign_in(client, person).status_code == 302
    return client


def test_the_registration_page_shows_the_tool_urls(app):
    page = text(signed_in(app, TRAINER).get("/en/trainer/lti/"))
    for url in ("http://localhost/lti/login", "http://localhost/lti/launch",
                "http://localhost/lti/jwks.json"):
        assert url in page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_admin_trainer_registers_a_platform_that_can_then_launch(app, lang):
    platform = Platform(tool_jwks(app))
    try:
        trainer = signed_in(app, TRAINER)
        fields = {**platform.registration(), "deployment_ids": "deployment-1, deployment-2"}
        response = trainer.post(f"/{lang}/trainer/lti/", data=fields)
        assert response.status_code == 302
        page = text(trainer.get(f"/{lang}/trainer/lti/"))
        assert platform.issuer in page and "deployment-2" in page
        assert launch(app.test_client(), platform, deployment_id="deployment-2").status_code == 302
    finally:
        platform.close()


def test_a_bad_url_in_the_registration_form_is_named_in_the_pages_language(app):
    trainer = signed_in(app, TRAINER)
    response = trainer.post("/zh/trainer/lti/", data={
        "issuer": "https://lms.example", "client_id": "c", "deployment_ids": "d",
        "auth_login_url": "not a url", "auth_token_url": "https://lms.example/token",
        "key_set_url": "https://lms.example/jwks"})
    assert response.status_code == 422
    assert "https://" in text(response)
    assert connect(app.config["DATABASE"]).execute("SELECT count(*) FROM lti_platforms").fetchone()[0] == 0


def test_a_trainer_who_is_not_an_admin_sees_the_urls_but_cannot_register(app):
    other = signed_in(app, OTHER_TRAINER)
    page = other.get("/en/trainer/lti/")
    assert page.status_code == 200 and "COURSEWARE_LTI_ADMINS" in text(page)
    assert other.post("/en/trainer/lti/", data={"issuer": "https://x.example"}).status_code == 403
    assert other.post("/en/trainer/lti/keys/rotate").status_code == 403


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/en/trainer/lti/"), ("post", "/en/trainer/lti/"), ("get", "/en/trainer/lti/courses"),
    ("post", "/en/trainer/lti/keys/rotate"), ("post", "/en/trainer/lti/keys/abc/remove"),
    ("post", "/en/trainer/lti/platforms/1/remove"), ("post", "/en/trainer/lti/outbox/send"),
    ("post", "/en/trainer/lti/courses/1/cohort"), ("post", "/en/trainer/lti/courses/1/roster")])
def test_trainer_pages_are_closed_to_anonymous_visitors_and_trainees(app, platform, method, url):
    anonymous = browser_client(app)
    assert getattr(anonymous, method)(url).status_code == 302  # to sign in
    trainee = signed_in(app, OTHER_TRAINEE)
    assert getattr(trainee, method)(url).status_code == 403


def test_a_trainer_of_another_cohort_cannot_touch_a_platform_course(app, platform):
    launch(app.test_client(), platform, sub="teacher-1", roles=INSTRUCTOR, email="w@p.example")
    context_row = connect(app.config["DATABASE"]).execute("SELECT id FROM lti_contexts").fetchone()[0]
    other = signed_in(app, OTHER_TRAINER)
    assert other.post(f"/en/trainer/lti/courses/{context_row}/roster").status_code == 404
    assert other.post(f"/en/trainer/lti/courses/{context_row}/cohort",
                      data={"cohort_id": "1"}).status_code == 404
    assert "Key accounts 101" not in text(other.get("/en/trainer/lti/courses"))


def test_a_cross_site_post_to_a_trainer_page_is_refused(app):
    trainer = signed_in(app, TRAINER)
    response = trainer.post("/en/trainer/lti/keys/rotate", headers=CROSS_SITE)
    assert response.status_code == 403


def test_the_jwks_publishes_the_signing_key_and_keeps_the_old_one_after_rotation(app):
    client = app.test_client()
    first = client.get("/lti/jwks.json").get_json()["keys"]
    assert len(first) == 1 and first[0]["alg"] == "RS256" and "d" not in first[0]
    trainer = signed_in(app, TRAINER)
    assert trainer.post("/en/trainer/lti/keys/rotate").status_code == 302
    second = client.get("/lti/jwks.json").get_json()["keys"]
    assert [key["kid"] for key in second][1] == first[0]["kid"]
    old = first[0]["kid"]
    assert trainer.post(f"/en/trainer/lti/keys/{old}/remove").status_code == 302
    assert [key["kid"] for key in client.get("/lti/jwks.json").get_json()["keys"]] == [second[0]["kid"]]


def test_the_signing_key_cannot_be_removed(app):
    runner = app.test_cli_runner()
    kid = runner.invoke(args=["lti", "keys"]).output.split()[0]
    result = runner.invoke(args=["lti", "remove-key", kid])
    assert result.exit_code != 0 and "signing key" in result.output


def test_after_a_rotation_the_platform_accepts_the_new_keys_assertion(app, platform):
    from tests.test_lti_grades import launched
    from tests.test_quiz_views import bank, right_answers, start, submit

    assert app.test_cli_runner().invoke(args=["lti", "rotate-key"]).exit_code == 0
    learner = launched(app, platform)
    submit(learner, start(learner), right_answers(bank(app)))
    assert app.test_cli_runner().invoke(args=["lti", "send-grades"]).exit_code == 0
    assert platform.scores and platform.refused == []


def test_the_cli_registers_a_platform_and_prints_the_tool_urls(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lti", "add-platform", "--issuer", "https://lms.example",
                                 "--client-id", "c1", "--deployment-id", "d1", "--deployment-id", "d2",
                                 "--auth-login-url", "https://lms.example/auth",
                                 "--auth-token-url", "https://lms.example/token",
                                 "--key-set-url", "https://lms.example/jwks"])
    assert result.exit_code == 0, result.output
    assert "d1, d2" in runner.invoke(args=["lti", "platforms"]).output
    assert "/lti/login" in runner.invoke(args=["lti", "urls"]).output


def deep_link_picker(app, platform, locale="en-US"):
    client = app.test_client()
    params = start_login(client, platform)
    token = platform.id_token(nonce=params["nonce"], sub="teacher-1", roles=INSTRUCTOR,
                              message_type="LtiDeepLinkingRequest", locale=locale, email="w@p.example")
    page = client.post("/lti/launch", data={"id_token": token, "state": params["state"]},
                       headers=CROSS_SITE)
    return client, page


@pytest.mark.parametrize(("locale", "heading"), [("en-US", "Choose what this link opens"),
                                                 ("zh-CN", "选择这个链接打开的内容")])
def test_deep_linking_returns_a_signed_link_to_the_chosen_part(app, platform, locale, heading):
    client, page = deep_link_picker(app, platform, locale)
    assert page.status_code == 200 and heading in text(page)
    html = page.get_data(as_text=True)
    launch_id = html.split('name="launch_id" value="')[1].split('"')[0]
    action = html.split('<form method="post" action="')[1].split('"')[0]
    back = client.post(action, data={"launch_id": launch_id, "choice": "quiz"},
                       headers={"Sec-Fetch-Site": "same-origin"})
    assert back.status_code == 200
    assert f"form-action 'self' {platform.url}" in back.headers["Content-Security-Policy"]
    body = back.get_data(as_text=True)
    assert f'action="{platform.url}/deep-link-return"' in body
    response_jwt = body.split('name="JWT" value="')[1].split('"')[0]
    tool_key = JWK(**app.test_client().get("/lti/jwks.json").get_json()["keys"][0]).export_to_pem()
    claims = jwt.decode(response_jwt, tool_key, algorithms=["RS256"], audience=platform.issuer)
    assert claims["iss"] == CLIENT_ID
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "platform-data"
    [item] = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["custom"] == {"target": "quiz"} and item["lineItem"]["scoreMaximum"] == 100
    assert item["url"] == "http://localhost/lti/launch"


def test_a_deep_link_choice_that_is_not_offered_is_refused_with_a_message(app, platform):
    client, page = deep_link_picker(app, platform)
    html = page.get_data(as_text=True)
    launch_id = html.split('name="launch_id" value="')[1].split('"')[0]
    response = client.post("/en/lti/deep-link", data={"launch_id": launch_id, "choice": "page:nope"},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 422 and "Choose one of the course" in text(response)


def test_a_learner_cannot_make_deep_links_and_a_made_up_launch_id_finds_nothing(app, platform):
    client = app.test_client()
    params = start_login(client, platform)
    token = platform.id_token(nonce=params["nonce"], message_type="LtiDeepLinkingRequest")
    assert client.post("/lti/launch", data={"id_token": token, "state": params["state"]},
                       headers=CROSS_SITE).status_code == 403
    response = client.post("/en/lti/deep-link", data={"launch_id": "lti1p3-launch-made-up", "choice": "quiz"},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 410
