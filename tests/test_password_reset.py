"""A forgotten password: a one-time link from the trainer, the CLI or by email, end to end."""

from __future__ import annotations

import re

import pytest

from courseware.auth.mail import parse_smtp_url
from tests.conftest import (
    OTHER_TRAINEE,
    OTHER_TRAINER,
    TRAINEE,
    TRAINER,
    browser_client,
    make_app,
    post_form,
    seed_people,
    sign_in,
    text,
)

NEW = "a-brand-new-passphrase"
NEW_FORM = {"password": NEW, "confirm": NEW}
DAY = 24 * 60 * 60


@pytest.fixture
def app(app, clock):
    app.config["CLOCK"] = clock
    return app


def trainer_makes_link(app, ids, lang="en", trainer=TRAINER, cohort="cohort"):
    client = browser_client(app)
    sign_in(client, trainer)
    url = f"/{lang}/trainer/cohorts/{ids[cohort]}/trainees/{ids['trainee']}/account/reset-link"
    response = post_form(client, url, {})
    match = re.search(r'value="(http://localhost/\w+/reset-password/[\w-]+)"',
                      response.get_data(as_text=True))
    return response, match.group(1).removeprefix("http://localhost") if match else None


def test_a_trainee_sets_a_new_password_with_the_trainers_link(app, ids):
    other_device = browser_client(app)
    sign_in(other_device, TRAINEE)
    page, link = trainer_makes_link(app, ids)
    assert "Give this link to Tom Trainee" in text(page)
    trainee = browser_client(app)
    assert "For trainee@example.com." in text(trainee.get(link))
    response = post_form(trainee, link, NEW_FORM)
    assert response.status_code == 302
    assert "Your new password is set and you are signed in." in text(trainee.get("/en/"))
    assert trainee.get("/en/module/").status_code == 200
    assert other_device.get("/en/module/").status_code == 302  # every other session ended
    assert sign_in(browser_client(app), TRAINEE).status_code == 200  # the old password is gone
    assert sign_in(browser_client(app), {**TRAINEE, "password": NEW}).status_code == 302


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "This link to set a new password has been used already: each link works once."),
    ("zh", "这个设置新密码的链接已经用过了：每个链接只能用一次。"),
])
def test_a_link_works_once(app, ids, lang, message):
    _page, link = trainer_makes_link(app, ids, lang)
    assert post_form(browser_client(app), link, NEW_FORM).status_code == 302
    again = browser_client(app)
    for response in (again.get(link), post_form(again, link, {**NEW_FORM, "password": "x" * 12})):
        assert response.status_code == 410
        assert message in text(response)
    assert sign_in(browser_client(app), {**TRAINEE, "password": NEW}).status_code == 302


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "This link to set a new password has expired: each link works for 24 hours."),
    ("zh", "这个设置新密码的链接已过期：每个链接的有效期为 24 小时。"),
])
def test_a_link_expires_after_24_hours(app, ids, clock, lang, message):
    _page, link = trainer_makes_link(app, ids, lang)
    clock.advance(DAY - 1)
    assert browser_client(app).get(link).status_code == 200
    clock.advance(1)
    expired = post_form(browser_client(app), link, NEW_FORM)
    assert expired.status_code == 410
    assert message in text(expired)
    assert sign_in(browser_client(app), TRAINEE).status_code == 302  # the password is unchanged


def test_a_new_link_ends_the_one_before(app, ids):
    _page, first = trainer_makes_link(app, ids)
    _page, second = trainer_makes_link(app, ids)
    assert browser_client(app).get(first).status_code == 404
    assert browser_client(app).get(second).status_code == 200


@pytest.mark.parametrize("token", ["not-a-token", "A" * 43, "%00", "x" * 500])
def test_a_mangled_link_says_so(app, token):
    response = browser_client(app).get(f"/en/reset-password/{token}")
    assert response.status_code == 404
    assert "This link to set a new password is not valid." in text(response)


def test_only_a_trainer_of_the_trainees_cohort_makes_a_link(app, ids):
    response, link = trainer_makes_link(app, ids, trainer=OTHER_TRAINER)
    assert response.status_code == 404 and link is None
    response, link = trainer_makes_link(app, ids, trainer=OTHER_TRAINER, cohort="other_cohort")
    assert response.status_code == 404 and link is None
    trainee = browser_client(app)
    sign_in(trainee, OTHER_TRAINEE)
    url = f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/account/reset-link"
    assert post_form(trainee, url, {}).status_code == 403
    assert post_form(browser_client(app), url, {}).status_code == 302  # to sign in


def test_the_database_keeps_no_usable_link(app, ids):
    _page, link = trainer_makes_link(app, ids)
    token = link.rsplit("/", 1)[1]
    with open(app.config["DATABASE"], "rb") as database:
        assert token.encode() not in database.read()


def test_the_cli_prints_a_link_for_anyone_trainers_too(app):
    result = app.test_cli_runner().invoke(args=["users", "reset-password", "Trainer@example.com",
                                                "--lang", "zh"])
    assert result.exit_code == 0, result.output
    link = re.search(r"^(/zh/reset-password/[\w-]+)$", result.output, re.M).group(1)
    assert "Put the course's address in front of it" in result.output
    trainer = browser_client(app)
    assert post_form(trainer, link, NEW_FORM).status_code == 302
    assert trainer.get("/zh/trainer/").status_code == 200
    assert sign_in(browser_client(app), {**TRAINER, "password": NEW}).status_code == 302


def test_the_cli_uses_the_public_address_and_refuses_unknown_emails(tmp_path):
    app = make_app(tmp_path, BASE_URL="https://course.example.org/")
    seed_people(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-password", TRAINEE["email"]])
    assert re.search(r"^https://course\.example\.org/en/reset-password/[\w-]+$", result.output,
                     re.M), result.output
    unknown = runner.invoke(args=["users", "reset-password", "nobody@example.com"])
    assert unknown.exit_code == 1 and "No account has the email nobody@example.com." in unknown.output


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Forgotten your password? Ask your trainer for a link to set a new one."),
    ("zh", "忘记密码？请向培训师索取设置新密码的链接。"),
])
def test_without_mail_the_sign_in_page_says_to_ask_the_trainer(app, lang, message):
    client = browser_client(app)
    assert message in text(client.get(f"/{lang}/sign-in"))
    assert client.get(f"/{lang}/reset-password").status_code == 404


@pytest.fixture
def outbox():
    return []


@pytest.fixture
def mail_app(tmp_path, clock, outbox):
    app = make_app(tmp_path, CLOCK=clock, BASE_URL="https://course.example.org",
                   SMTP_URL="smtp://mailer:secret@mail.example.org:587?from=course@example.org",
                   SEND_MAIL=lambda settings, message: outbox.append(message))
    seed_people(app)
    return app


@pytest.mark.parametrize(("lang", "notice"), [
    ("en", "If an account has this email, a link to set a new password is on its way."),
    ("zh", "如果有账号使用这个邮箱，设置新密码的链接已经发出。"),
])
def test_with_mail_a_trainee_asks_for_the_link_themselves(mail_app, outbox, lang, notice):
    client = browser_client(mail_app)
    sign_in_page = client.get(f"/{lang}/sign-in").get_data(as_text=True)
    assert f'href="/{lang}/reset-password"' in sign_in_page
    known = post_form(client, f"/{lang}/reset-password", {"email": TRAINEE["email"]},
                      headers={"Host": "evil.example"}, follow_redirects=True)
    unknown = post_form(browser_client(mail_app), f"/{lang}/reset-password",
                        {"email": "nobody@example.com"}, follow_redirects=True)
    assert notice in text(known) and notice in text(unknown)
    assert text(known) == text(unknown)  # the answer does not tell which email has an account
    assert [message["To"] for message in outbox] == [TRAINEE["email"]]
    body = outbox[0].get_content()
    link = re.search(r"https://course\.example\.org(/\w+/reset-password/[\w-]+)", body).group(1)
    assert post_form(browser_client(mail_app), link, NEW_FORM).status_code == 302
    assert sign_in(browser_client(mail_app), {**TRAINEE, "password": NEW}).status_code == 302


def test_asking_again_and_again_fills_no_inbox(mail_app, outbox, clock):
    for _ in range(5):
        post_form(browser_client(mail_app), "/en/reset-password", {"email": TRAINEE["email"]})
    assert len(outbox) == 1  # one link per account in ten minutes
    refused = post_form(browser_client(mail_app), "/en/reset-password", {"email": "x@example.com"})
    assert refused.status_code == 429
    assert "Too many links asked for from your network. Try again in" in text(refused)
    clock.advance(60 * 60)
    post_form(browser_client(mail_app), "/en/reset-password", {"email": TRAINEE["email"]})
    assert len(outbox) == 2


@pytest.mark.parametrize(("config", "reason"), [
    ({"SMTP_URL": "http://mail.example.org"}, "COURSEWARE_SMTP_URL must look like"),
    ({"SMTP_URL": "smtps://mail.example.org"}, "COURSEWARE_SMTP_URL needs COURSEWARE_BASE_URL"),
])
def test_a_mail_setting_that_cannot_work_stops_the_start(tmp_path, config, reason):
    with pytest.raises(ValueError, match=reason):
        make_app(tmp_path, **config)


def test_smtp_urls_say_how_to_reach_the_server():
    ssl = parse_smtp_url("smtps://me%40example.org:p%40ss@mail.example.org?from=c@example.org")
    assert (ssl.host, ssl.port, ssl.tls, ssl.username, ssl.password, ssl.sender) == (
        "mail.example.org", 465, "ssl", "me@example.org", "p@ss", "c@example.org")
    assert parse_smtp_url("smtp://mail.example.org").tls == "starttls"
    local = parse_smtp_url("smtp://localhost:25?starttls=no")
    assert (local.port, local.tls, local.username) == (25, "none", None)
