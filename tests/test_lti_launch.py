"""LTI 1.3 launches from a platform on loopback: the OIDC round trip, accounts, cohorts,
language, frames, and every launch the tool must refuse."""

from __future__ import annotations

import pytest

from courseware.db import connect
from tests.conftest import text
from tests.support.lti import launch, lti_app, post_launch, register, start_login, tool_jwks
from tests.support.lti_platform import Platform

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


@pytest.fixture
def tool(app):
    return app.test_client()


def rows(app, sql, params=()):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def test_login_redirects_to_the_platform_with_state_and_nonce(tool, platform):
    params = start_login(tool, platform)
    assert params["client_id"] == "kam-tool-client"
    assert params["redirect_uri"] == "http://localhost/lti/launch"
    assert params["response_mode"] == "form_post" and params["nonce"] and params["state"]


def test_first_launch_creates_the_trainee_and_the_cohort_and_opens_the_module(app, tool, platform):
    response = launch(tool, platform)
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/module/"
    user = rows(app, "SELECT users.name, users.email, users.role, cohorts.name FROM users "
                     "JOIN cohorts ON cohorts.id = users.cohort_id WHERE users.email = ?",
                ["li.lei@platform.example"])
    assert user == [("Li Lei", "li.lei@platform.example", "trainee", "Key accounts 101")]
    page = tool.get("/en/module/")
    assert page.status_code == 200 and "Li Lei" in text(page)


def test_the_same_platform_user_gets_the_same_account_on_the_next_launch(app, tool, platform):
    launch(tool, platform)
    launch(app.test_client(), platform)
    assert rows(app, "SELECT count(*) FROM lti_accounts")[0][0] == 1
    assert rows(app, "SELECT count(*) FROM lti_contexts")[0][0] == 1


def test_an_instructor_becomes_the_cohorts_trainer(app, tool, platform):
    response = launch(tool, platform, sub="teacher-1", roles=INSTRUCTOR, name="Wang Fang",
                      email="wang@platform.example")
    assert response.status_code == 302
    assert rows(app, "SELECT users.role FROM users JOIN cohort_trainers ON user_id = users.id "
                     "JOIN lti_contexts ON lti_contexts.cohort_id = cohort_trainers.cohort_id "
                     "WHERE users.email = 'wang@platform.example'") == [("trainer",)]


def test_an_email_an_account_has_already_is_not_taken_over(app, tool, platform):
    launch(tool, platform, email="trainee@example.com")
    # The seeded trainee keeps their cohort; the launch got an account of its own.
    assert rows(app, "SELECT count(*) FROM users WHERE email = 'trainee@example.com'")[0][0] == 1
    assert rows(app, "SELECT email FROM users JOIN lti_accounts ON user_id = users.id")[0][0] \
        .endswith("@lti.invalid")


@pytest.mark.parametrize(("locale", "lang"), [("zh-CN", "zh"), ("zh-Hans-CN", "zh"), ("zh_TW", "zh"),
                                              ("en-GB", "en"), ("fr-FR", "en")])
def test_the_launch_locale_picks_the_language(tool, platform, locale, lang):
    response = launch(tool, platform, locale=locale)
    assert response.headers["Location"] == f"/{lang}/module/"


def test_a_chinese_launch_reads_the_module_in_chinese(tool, platform):
    response = launch(tool, platform, locale="zh-CN")
    page = tool.get(response.headers["Location"])
    assert page.status_code == 200 and 'lang="zh-Hans"' in page.get_data(as_text=True)


@pytest.mark.parametrize(("custom", "location"), [
    ({"target": "quiz"}, "/en/quiz/"), ({"target": "workshop"}, "/en/workshop/"),
    ({"target": "page", "page": "nope"}, "/en/module/"), ({"target": "live"}, "/en/module/")])
def test_a_resource_link_opens_its_target(tool, platform, custom, location):
    assert launch(tool, platform, custom=custom).headers["Location"] == location


def test_a_resource_link_opens_a_module_page(app, tool, platform):
    from courseware.loaded_course import get_course

    with app.app_context():
        page_id = get_course().page_ids()[3]
    response = launch(tool, platform, custom={"target": "page", "page": page_id})
    assert response.headers["Location"] == f"/en/module/{page_id}"


def test_a_launch_in_a_frame_continues_in_a_new_window_with_a_one_time_link(app, tool, platform):
    response = launch(tool, platform, headers={"Sec-Fetch-Dest": "iframe"})
    assert response.status_code == 200
    assert "Open in a new window" in text(response)
    # The platform's page may frame the launch page; nobody else may.
    assert f"frame-ancestors {platform.url}" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    link = html.split('href="/lti/continue/')[1].split('"')[0]
    assert "id_token" not in link and len(link) > 30
    window = app.test_client()
    opened = window.get(f"/lti/continue/{link}")
    assert opened.status_code == 302 and opened.headers["Location"] == "/en/module/"
    assert window.get("/en/module/").status_code == 200
    # Used once: the same link again signs nobody in.
    again = app.test_client().get(f"/lti/continue/{link}")
    assert again.status_code == 410 and "expired" in text(again)


def test_pages_outside_a_launch_stay_unframeable(app, tool, platform):
    launch(tool, platform)
    assert "frame-ancestors 'none'" in tool.get("/en/sign-in").headers["Content-Security-Policy"]
    module = tool.get("/en/module/")
    assert f"frame-ancestors {platform.url}" in module.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in module.headers


def test_a_replayed_launch_is_refused(tool, platform):
    params = start_login(tool, platform)
    id_token = platform.id_token(nonce=params["nonce"])
    assert post_launch(tool, id_token, params["state"]).status_code == 302
    again = post_launch(tool, id_token, params["state"])
    assert again.status_code == 400 and "This launch was already used" in text(again)


def test_an_expired_launch_is_refused_in_both_languages(tool, platform):
    response = launch(tool, platform, exp_in=-60, locale="zh-CN")
    page = text(response)
    assert response.status_code == 400
    assert "This launch has expired" in page
    assert page.index("这次启动已过期") < page.index("This launch has expired")  # the launch's language first


def test_a_launch_for_another_client_id_is_refused(tool, platform):
    response = launch(tool, platform, aud="someone-else")
    assert response.status_code == 400 and "meant for another tool" in text(response)


def test_an_unregistered_deployment_is_refused(tool, platform):
    response = launch(tool, platform, deployment_id="deployment-9")
    assert response.status_code == 400 and "deployment is not registered" in text(response)


def test_a_token_signed_with_an_unpublished_key_is_refused(tool, platform):
    from tests.support.lti_platform import new_key

    response = launch(tool, platform, key=new_key())
    assert response.status_code == 400 and "signature could not be checked" in text(response)


def test_a_platform_key_rotation_is_picked_up_on_the_unknown_kid(tool, platform):
    assert launch(tool, platform).status_code == 302
    fetched = platform.jwks_fetches
    assert launch(tool, platform).status_code == 302
    assert platform.jwks_fetches == fetched  # a known kid: the cached key set
    platform.rotate()
    assert launch(tool, platform).status_code == 302
    assert platform.jwks_fetches == fetched + 1


def test_an_unknown_platform_is_refused_at_login(tool, platform):
    response = tool.post("/lti/login", data={"iss": "https://stranger.example", "login_hint": "x"},
                         headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400 and "not registered" in text(response)


def test_a_launch_without_its_login_state_offers_a_new_window(app, tool, platform):
    params = start_login(tool, platform)
    id_token = platform.id_token(nonce=params["nonce"])
    cookieless = app.test_client()  # the frame's browser dropped the state cookie
    response = post_launch(cookieless, id_token, params["state"])
    assert response.status_code == 400 and "did not keep the launch" in text(response)
    assert "lti1p3_new_window=1" in response.get_data(as_text=True)


def test_a_launch_without_a_context_says_what_is_missing(tool, platform):
    from tests.support.lti_platform import LTI

    response = launch(tool, platform, **{LTI + "context": None})
    assert response.status_code == 400 and "lacks information" in text(response)


def test_garbage_posted_to_the_launch_is_a_clear_page_not_a_500(tool, platform):
    response = tool.post("/lti/launch", data={"id_token": "not.a.jwt", "state": "nothing"},
                         headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400
    assert tool.post("/lti/launch", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 400


def test_only_the_platforms_login_and_launch_take_posts_from_another_site(app):
    allowed = sorted(rule.rule for rule in app.url_map.iter_rules()
                     if getattr(app.view_functions[rule.endpoint], "cross_site_allowed", False))
    assert allowed == ["/lti/launch", "/lti/login"]


def test_a_cross_site_launch_does_not_act_for_the_signed_in_user(app, platform):
    from tests.conftest import TRAINEE, browser_client, sign_in

    client = browser_client(app)
    sign_in(client, TRAINEE)
    response = client.post("/lti/launch", data={"state": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400  # refused as a launch; the session did not make it one


def test_an_account_made_by_a_launch_has_no_password_to_sign_in_with(app, tool, platform):
    from tests.conftest import browser_client, sign_in

    launch(tool, platform)
    for password in ("", "!lti-no-password", "anything-at-all"):
        response = sign_in(browser_client(app), {"email": "li.lei@platform.example", "password": password})
        assert response.status_code == 200, password  # the form again, with its message


@pytest.mark.parametrize(("served", "said"), [
    ('{"no": "keys"}', "This launch could not be accepted"), ("[1, 2]", "This launch could not be accepted"),
    ("not json", "The learning platform did not answer")])
def test_a_platform_key_set_of_the_wrong_shape_is_a_clear_page_not_a_500(tool, platform, served, said):
    platform.jwks_body = served
    response = launch(tool, platform)
    assert response.status_code == 400 and said in text(response)


def test_an_instructor_following_the_workshop_link_lands_on_the_cohort_dashboard(app, tool, platform):
    response = launch(tool, platform, sub="teacher-1", roles=INSTRUCTOR, email="w@p.example",
                      custom={"target": "workshop"})
    cohort_id = rows(app, "SELECT cohort_id FROM lti_contexts")[0][0]
    assert response.headers["Location"] == f"/en/trainer/cohorts/{cohort_id}/"
    assert tool.get(response.headers["Location"]).status_code == 200
