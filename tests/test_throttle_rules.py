"""The throttle's rules on their own: any moment, any history, no database and no waiting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from courseware.auth.throttle import (
    Backoff,
    Failure,
    RateLimit,
    SignInRules,
    address_key,
    rate_wait,
    seconds_to_wait,
)

RULES = SignInRules()
NOW = 1_000_000.0


def failures(count, email="a@example.com", address="10.0.0.1", at=NOW):
    return [Failure(email, address, at) for _ in range(count)]


def test_the_wait_doubles_after_the_free_failures_up_to_a_cap():
    backoff = Backoff(free=5, first_wait=30, max_wait=900)
    assert [backoff.wait_after(n) for n in range(4, 12)] == [0, 30, 60, 120, 240, 480, 900, 900]


def test_the_wait_counts_from_the_last_failure():
    history = failures(5, at=NOW - 20)
    assert seconds_to_wait(RULES, history, "a@example.com", "10.0.0.1", NOW) == 10
    assert seconds_to_wait(RULES, history, "a@example.com", "10.0.0.1", NOW + 10) == 0


def test_an_address_that_never_failed_on_the_account_is_not_held_by_its_failures():
    history = failures(50, address="203.0.113.1")
    assert seconds_to_wait(RULES, history, "A@Example.com ", "10.0.0.1", NOW) == 0
    assert seconds_to_wait(RULES, history, "a@example.com", "203.0.113.1", NOW) == 900


def test_one_failure_of_its_own_puts_an_address_under_the_accounts_wait():
    history = failures(5, address="203.0.113.1") + failures(1)
    assert seconds_to_wait(RULES, history, "a@example.com", "10.0.0.1", NOW) == 60


def test_failures_older_than_the_window_are_forgotten():
    history = failures(20, at=NOW - RULES.window)
    assert seconds_to_wait(RULES, history, "a@example.com", "10.0.0.1", NOW) == 0


@given(st.lists(st.tuples(st.sampled_from(["a@example.com", "b@example.com"]),
                          st.sampled_from(["10.0.0.1", "10.0.0.2"]),
                          st.floats(min_value=NOW - 7200, max_value=NOW))))
def test_nobody_ever_waits_longer_than_the_cap(rows):
    history = [Failure(*row) for row in rows]
    assert 0 <= seconds_to_wait(RULES, history, "a@example.com", "10.0.0.1", NOW) <= 900


def test_ipv6_clients_count_by_their_64_bit_network():
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:192.0.2.5") == "192.0.2.5"
    assert address_key(None) == "unknown"


def test_a_rate_limit_allows_its_count_per_period():
    rate = RateLimit(limit=3, period=60)
    assert rate_wait(rate, [NOW - 50, NOW - 40], NOW) == 0
    assert rate_wait(rate, [NOW - 50, NOW - 40, NOW - 1], NOW) == 10
    assert rate_wait(rate, [NOW - 61, NOW - 40, NOW - 1], NOW) == 0
