"""Failed sign-ins slow down the address that makes them, never the account holder elsewhere."""

from __future__ import annotations

import pytest

from courseware.db import connect
from tests.conftest import (
    OTHER_TRAINER,
    TRAINEE,
    TRAINER,
    browser_client,
    from_address,
    post_form,
    sign_in,
    text,
)

ATTACKER = "203.0.113.66"
HOME = "198.51.100.7"
WRONG = {**TRAINEE, "password": "not-the-password"}


@pytest.fixture
def app(app, clock):
    app.config["CLOCK"] = clock
    return app


def client_at(app, address):
    return from_address(browser_client(app), address)


def test_guesses_from_one_address_do_not_keep_the_account_holder_out(app):
    attacker = client_at(app, ATTACKER)
    answers = [sign_in(attacker, WRONG).status_code for _ in range(40)]
    assert answers[:5] == [200] * 5 and answers[-1] == 429
    assert answers.count(200) == 5  # the rest were refused without checking a password
    assert sign_in(client_at(app, HOME), TRAINEE).status_code == 302


@pytest.mark.parametrize(("lang", "first", "second"), [
    ("en", "Too many failed sign-ins. Try again in 30 seconds.", "Try again in 60 seconds."),
    ("zh", "登录失败次数过多。请 30 秒后再试。", "请 60 秒后再试。"),
])
def test_the_wait_grows_with_each_further_failure(app, clock, lang, first, second):
    client = client_at(app, HOME)
    for _ in range(5):
        assert sign_in(client, WRONG, lang).status_code == 200
    refused = sign_in(client, TRAINEE, lang)  # even the right password waits here
    assert refused.status_code == 429
    assert first in text(refused)
    assert refused.headers["Retry-After"] == "30"
    clock.advance(30)
    assert sign_in(client, WRONG, lang).status_code == 200  # checked again, and wrong again
    again = sign_in(client, WRONG, lang)
    assert again.status_code == 429
    assert second in text(again)
    clock.advance(60)
    assert sign_in(client, TRAINEE, lang).status_code == 302


def test_long_waits_are_told_in_minutes(app, clock):
    client = client_at(app, HOME)
    for wait in (0, 0, 0, 0, 0, 30, 60):
        clock.advance(wait)
        sign_in(client, WRONG)
    clock.advance(120)
    sign_in(client, WRONG)
    assert "Try again in 4 minutes." in text(sign_in(client, WRONG))


def test_guesses_spread_over_addresses_slow_each_address_that_failed(app):
    for number in range(5):
        assert sign_in(client_at(app, f"203.0.113.{number}"), WRONG).status_code == 200
    # The account has failed five times: an address that took part waits ...
    assert sign_in(client_at(app, "203.0.113.0"), WRONG).status_code == 429
    # ... one that did not is checked at once, and the account holder signs in.
    assert sign_in(client_at(app, "203.0.113.99"), WRONG).status_code == 200
    assert sign_in(client_at(app, "203.0.113.99"), TRAINEE).status_code == 429
    assert sign_in(client_at(app, HOME), TRAINEE).status_code == 302


def test_an_address_failing_on_many_accounts_waits_for_any_account(app):
    attacker = client_at(app, ATTACKER)
    for number in range(10):
        sign_in(attacker, {"email": f"guess{number}@example.com", "password": "whatever-1"})
    assert sign_in(attacker, TRAINER).status_code == 429
    assert sign_in(client_at(app, HOME), TRAINER).status_code == 302


def test_case_and_spaces_in_the_email_count_as_the_same_account(app):
    client = client_at(app, HOME)
    for email in ("TRAINEE@example.com", " trainee@EXAMPLE.com ", "trainee@example.com",
                  "Trainee@Example.com", "trainee@example.COM"):
        sign_in(client, {"email": email, "password": "not-the-password"})
    assert sign_in(client, {**TRAINEE, "email": "TRAINEE@example.com"}).status_code == 429


def test_unknown_emails_are_counted_and_answered_like_known_ones(app):
    client = client_at(app, HOME)
    unknown = {"email": "nobody@example.com", "password": "not-the-password"}
    answers = [sign_in(client, person) for person in [WRONG] * 6]
    others = [sign_in(client_at(app, ATTACKER), unknown) for _ in range(6)]
    assert [r.status_code for r in answers] == [r.status_code for r in others]
    assert text(answers[-1]) == text(others[-1])


def test_failures_are_forgotten_after_an_hour(app, clock):
    client = client_at(app, HOME)
    for _ in range(5):
        sign_in(client, WRONG)
    clock.advance(60 * 60 + 1)
    for _ in range(5):
        assert sign_in(client, WRONG).status_code == 200


def test_a_successful_sign_in_forgets_that_addresses_typos(app):
    client = client_at(app, HOME)
    for _ in range(4):
        sign_in(client, WRONG)
    assert sign_in(client, TRAINEE).status_code == 302
    client.post("/en/sign-out")
    for _ in range(5):
        assert sign_in(client, WRONG).status_code == 200


def _lock_out(app):
    client = client_at(app, HOME)
    for _ in range(6):
        sign_in(client, WRONG)
    assert sign_in(client, TRAINEE).status_code == 429
    return client


@pytest.mark.parametrize(("lang", "count", "done"), [
    ("en", "5 failed sign-ins in the last hour.", "Failed sign-ins cleared: Tom Trainee can sign in"),
    ("zh", "过去一小时内登录失败 5 次。", "已清除登录失败记录，Tom Trainee现在可以重新登录"),
])
def test_the_trainer_clears_a_trainees_failed_sign_ins(app, ids, lang, count, done):
    locked_out = _lock_out(app)
    trainer = client_at(app, "192.0.2.1")
    sign_in(trainer, TRAINER)
    trainee_page = f"/{lang}/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/"
    page_url = trainee_page + "account/"
    assert f'href="{page_url}"' in trainer.get(trainee_page).get_data(as_text=True)
    assert count in text(trainer.get(page_url))
    response = post_form(trainer, page_url + "unlock", {}, follow_redirects=True)
    assert done in text(response)
    assert sign_in(locked_out, TRAINEE).status_code == 302


def test_only_the_cohorts_trainer_sees_or_clears_a_trainees_sign_ins(app, ids):
    _lock_out(app)
    url = f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/account/"
    other = client_at(app, "192.0.2.2")
    sign_in(other, OTHER_TRAINER)
    assert other.get(url).status_code == 404
    assert post_form(other, url + "unlock", {}).status_code == 404
    # Nor under the other trainer's own cohort.
    foreign = f"/en/trainer/cohorts/{ids['other_cohort']}/trainees/{ids['trainee']}/account/"
    assert other.get(foreign).status_code == 404
    trainee = client_at(app, "192.0.2.3")
    sign_in(trainee, {**OTHER_TRAINER, "email": "stranger@example.com",
                      "password": "stranger-pass-123"})
    assert trainee.get(url).status_code == 403
    assert client_at(app, "192.0.2.4").get(url).status_code == 302
    count = connect(app.config["DATABASE"]).execute(
        "SELECT count(*) FROM sign_in_failures").fetchone()[0]
    assert count == 5


def test_flask_users_unlock_clears_a_lock(app):
    locked_out = _lock_out(app)
    result = app.test_cli_runner().invoke(args=["users", "unlock", "TRAINEE@example.com"])
    assert result.exit_code == 0, result.output
    assert "Cleared 5 failed sign-ins" in result.output
    assert sign_in(locked_out, TRAINEE).status_code == 302


def test_flask_users_unlock_says_when_no_account_has_the_email(app):
    result = app.test_cli_runner().invoke(args=["users", "unlock", "nobody@example.com"])
    assert result.exit_code == 1
    assert "No account has the email nobody@example.com." in result.output


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Too many wrong passwords. Try again in 30 seconds."),
    ("zh", "密码错误次数过多。请 30 秒后再试。"),
])
def test_wrong_current_passwords_count_against_the_account(app, clock, lang, message):
    client = client_at(app, HOME)
    sign_in(client, TRAINEE)
    change = {"current": "not-the-password", "password": "new-long-passphrase",
              "confirm": "new-long-passphrase"}
    for _ in range(5):
        assert post_form(client, f"/{lang}/account/password", change).status_code == 200
    refused = post_form(client, f"/{lang}/account/password", {**change, "current": TRAINEE["password"]})
    assert refused.status_code == 429
    assert message in text(refused)
    # The guesses count for signing in from that address too.
    assert sign_in(client_at(app, HOME), TRAINEE).status_code == 429
    clock.advance(30)
    right = post_form(client, f"/{lang}/account/password", {**change, "current": TRAINEE["password"]})
    assert right.status_code == 302
