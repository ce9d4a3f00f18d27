"""Users as the app sees them, and the queries that find and change them."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from flask import current_app, has_app_context
from flask_babel import force_locale, get_locale, gettext
from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from courseware.db import fetch_all

DEFAULT_HASH_METHOD = "scrypt"  # werkzeug's default: scrypt with n=2**15, r=8, p=1


def hash_password(password: str) -> str:
    """Hash with the configured method (tests configure a cheaper scrypt).

    Slow on purpose (about 0.15 s of CPU): never call it inside `db.write()`, where every
    other worker's writes would wait for it.
    """
    return generate_password_hash(password, method=_hash_method())


def _hash_method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_HASH_METHOD)
    return DEFAULT_HASH_METHOD


@cache
def dummy_hash(method: str) -> str:
    """A hash of no one's password, made once per process and method (the app makes it at start)."""
    return generate_password_hash("courseware-no-such-account", method=method)


# The columns of User, in its order (never the password hash): a row is a User's arguments.
USER_QUERY = """
    SELECT users.id, users.email, users.name, users.role, users.cohort_id, users.session_version,
           users.last_page_id, cohorts.name, cohorts.org_name, cohorts.pass_mark,
           cohorts.max_key_accounts, cohorts.org_name_zh, cohorts.time_zone
    FROM users LEFT JOIN cohorts ON cohorts.id = users.cohort_id
"""


class User(NamedTuple):
    """A signed-in person; Flask-Login's user object, built from its row on every request."""

    id: int
    email: str
    name: str
    role: str
    cohort_id: int | None
    session_version: int
    last_page_id: str | None
    cohort_name: str | None
    cohort_org_name: str | None
    pass_mark: int | None
    max_key_accounts: int | None
    cohort_org_name_zh: str | None = None
    cohort_time_zone: str | None = None

    # Flask-Login's flags: class attributes (not annotated, or they would be fields).
    is_authenticated = True
    is_active = True
    is_anonymous = False

    @property
    def is_trainer(self) -> bool:
        return self.role == "trainer"

    def get_id(self) -> str:
        # The session version travels in the session: signing out or changing the password
        # bumps it in the database, and every session that carries the old one ends.
        return f"{self.id}:{self.session_version}"


def user_by_session_id(db: Database, session_id: str) -> User | None:
    """The user whose session id ("id:version") is still valid."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    return _one_user(db, " WHERE users.id = ? AND users.session_version = ?",
                     [int(user_id), int(version)])


def user_by_id(db: Database, user_id: int) -> User | None:
    return _one_user(db, " WHERE users.id = ?", [user_id])


def user_by_email(db: Database, email: str) -> User | None:
    return _one_user(db, " WHERE users.email = ?", [email.strip()])


def _one_user(db: Database, where: str, params: list[Any]) -> User | None:
    row = db.execute(USER_QUERY + where, params).fetchone()
    return User(*row) if row else None


def check_password(db: Database, email: str, password: str) -> User | None:
    """The user if the email and password match, else None (in constant-ish time)."""
    rows = fetch_all(db, "SELECT id, password_hash FROM users WHERE email = ?", [email.strip()])
    if not rows:
        # Check against a hash made once, so that an unknown email costs one hash as a wrong
        # password does, and timing does not reveal which accounts exist.
        check_password_hash(dummy_hash(_hash_method()), password)
        return None
    if not check_password_hash(rows[0]["password_hash"], password):
        return None
    return user_by_email(db, email)


def create_user(db: Database, *, email: str, name: str, role: str, password: str | None = None,
                password_hash: str | None = None, cohort_id: int | None = None) -> int:
    """Insert a user and return their id; pass `password_hash` to hash before a transaction."""
    table = db["users"]
    table.insert({
        "email": email.strip(), "name": name.strip(), "role": role, "cohort_id": cohort_id,
        "password_hash": password_hash or hash_password(password or ""),
    })
    return table.last_pk


def email_taken(db: Database, email: str) -> bool:
    return bool(fetch_all(db, "SELECT 1 FROM users WHERE email = ?", [email.strip()]))


def set_password_hash(db: Database, user_id: int, password_hash: str) -> None:
    """Store a new password (hashed with `hash_password`) and end every session of the user."""
    db.execute(
        "UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE id = ?",
        [password_hash, user_id],
    )


def end_sessions(db: Database, user_id: int) -> None:
    """Make every session cookie the user holds invalid."""
    db.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])


def org_name(user: Any, lang: str | None = None) -> str:
    """The organisation name shown where the content says {org}, in `lang` (default: the page's).

    The cohort's Chinese name on Chinese text, else its one name, else the configured one,
    else the default in that language: a Chinese column beside an English one must not say
    "the company" (nor the English one 公司).
    """
    lang = lang or str(get_locale() or "en")
    chinese = getattr(user, "cohort_org_name_zh", None) if lang.startswith("zh") else None
    named = chinese or getattr(user, "cohort_org_name", None) or current_app.config["COURSEWARE_ORG_NAME"]
    if named:
        return named
    with force_locale(lang):
        return _default_org_name()


def _default_org_name() -> str:
    return gettext("the company")
