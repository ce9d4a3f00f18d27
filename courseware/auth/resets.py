"""One-time links to set a new password: made by a trainer, the CLI or the trainee by email.

A link carries a random token; the database keeps only its SHA-256, so a copy of the database
opens no account. A link works once, for 24 hours, and a newer link for the same person ends
the older ones. The time always comes from the caller's clock.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from enum import Enum
from typing import NamedTuple

from sqlite_utils import Database

LIFETIME_SECONDS = 24 * 60 * 60
# Links asked for by email: at most one per account in this time, so nobody can flood an inbox.
REQUEST_INTERVAL_SECONDS = 10 * 60
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")


class LinkState(Enum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


class Link(NamedTuple):
    state: LinkState
    user_id: int | None
    expires_at: float | None = None


def _digest(token: str) -> str:
    # A fast hash is enough: the token has 256 random bits, nothing to guess word by word.
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def issue(db: Database, user_id: int, now: float, issued_by: int | None = None) -> tuple[str, float]:
    """Make a new link's token for the user, ending their older links; return it and its expiry."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = now + LIFETIME_SECONDS
    db.execute("DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL", [user_id])
    db.execute(
        """INSERT INTO password_resets (user_id, token_hash, created_at, expires_at, issued_by)
           VALUES (?, ?, ?, ?, ?)""",
        [user_id, _digest(token), now, expires_at, issued_by],
    )
    return token, expires_at


def look_up(db: Database, token: str, now: float) -> Link:
    """What the link with this token is now."""
    if not TOKEN_SHAPE.fullmatch(token):
        return Link(LinkState.UNKNOWN, None)
    row = db.execute("SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?",
                     [_digest(token)]).fetchone()
    if row is None:
        return Link(LinkState.UNKNOWN, None)
    user_id, expires_at, used_at = row
    if used_at is not None:
        return Link(LinkState.USED, user_id, expires_at)
    if now >= expires_at:
        return Link(LinkState.EXPIRED, user_id, expires_at)
    return Link(LinkState.VALID, user_id, expires_at)


def use(db: Database, token: str, now: float) -> Link:
    """Spend the link if it is valid (inside the caller's write transaction); say what it was."""
    link = look_up(db, token, now)
    if link.state is LinkState.VALID:
        db.execute("UPDATE password_resets SET used_at = ? WHERE token_hash = ?",
                   [now, _digest(token)])
    return link


def end_links(db: Database, user_id: int) -> None:
    """End the user's unused links (their password was just changed another way)."""
    db.execute("DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL", [user_id])


def recently_requested(db: Database, user_id: int, now: float) -> bool:
    """True when a link was made for the user within the request interval."""
    return db.execute("SELECT 1 FROM password_resets WHERE user_id = ? AND created_at > ?",
                      [user_id, now - REQUEST_INTERVAL_SECONDS]).fetchone() is not None
