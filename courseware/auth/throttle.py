"""The throttle's rules: who must wait, and how long, before their next sign-in is checked.

Pure: the caller passes what is on record and the time from its clock; nothing here reads a
database, a request or the system clock, so the rules are tested with any moment they like.

The rules lock out the attacker, not the user:
- failures count per account and per client address;
- an address that has been failing waits longer after each further failure (a growing delay,
  never a hard lock): first `free` failures cost nothing, then `first_wait` seconds, doubling
  up to `max_wait`;
- the account's own count slows only the addresses that have failed on that account, so an
  account holder signing in from an address that has not been failing is checked at once
  however many guesses others made.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

IPV6_PREFIX = 64  # one subscriber gets a /64: counting single IPv6 addresses would count nothing


@dataclass(frozen=True)
class Backoff:
    """A growing delay: free failures, then first_wait seconds, doubling up to max_wait."""

    free: int
    first_wait: float
    max_wait: float

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after the last of `failures` failures."""
        if failures < self.free:
            return 0.0
        return min(self.first_wait * 2 ** (failures - self.free), self.max_wait)


@dataclass(frozen=True)
class Failure:
    """A failed sign-in (or a wrong current password) on record."""

    email: str
    address: str
    at: float


@dataclass(frozen=True)
class SignInRules:
    """Failures older than `window` seconds are forgotten."""

    window: float = 60 * 60
    # A person who forgot their password tries a few, then asks; a guesser needs thousands.
    account: Backoff = field(default_factory=lambda: Backoff(free=5, first_wait=30, max_wait=900))
    # Many people may share an address (a training room behind one router): more free tries.
    address: Backoff = field(default_factory=lambda: Backoff(free=10, first_wait=30, max_wait=900))


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` events per address within any `period` seconds."""

    limit: int
    period: float


def normal_email(email: str) -> str:
    """The email as the throttle counts it: addresses differ by case and spaces only in typing."""
    return email.strip().casefold()


def address_key(remote_addr: str | None) -> str:
    """The client address as the throttle counts it: IPv4 as is, IPv6 by its /64 network."""
    if not remote_addr:
        return "unknown"
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return remote_addr[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def seconds_to_wait(rules: SignInRules, failures: Iterable[Failure], email: str, address: str,
                    now: float) -> int:
    """Whole seconds until a sign-in for `email` from `address` may be checked (0: now).

    `failures` holds at least every recent failure on the account and from the address.
    """
    email = normal_email(email)
    recent = [f for f in failures if f.at > now - rules.window]
    from_address = [f for f in recent if f.address == address]
    waits = [_remaining(rules.address, from_address, now)]
    on_account = [f for f in recent if f.email == email]
    if any(f.address == address for f in on_account):
        waits.append(_remaining(rules.account, on_account, now))
    return math.ceil(max(waits))


def _remaining(backoff: Backoff, failures: Sequence[Failure], now: float) -> float:
    wait = backoff.wait_after(len(failures))
    if not wait:
        return 0.0
    return max(0.0, max(f.at for f in failures) + wait - now)


def rate_wait(rate: RateLimit, times: Iterable[float], now: float) -> int:
    """Whole seconds until one more event is allowed (0: now), given the address's events."""
    recent = sorted(t for t in times if t > now - rate.period)
    if len(recent) < rate.limit:
        return 0
    return max(1, math.ceil(recent[-rate.limit] + rate.period - now))
