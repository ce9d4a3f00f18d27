"""The LTI tables as the views use them: platforms, accounts and courses met at launch, hand-offs."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from courseware.db import fetch_all
from courseware.lti.adapter import PlatformRecord
from courseware.lti.claims import LaunchClaims, Target, placeholder_email, role_of
from courseware.trainer.cohorts import create_cohort

HANDOFF_SECONDS = 120


def platforms(db: Database) -> list[dict[str, Any]]:
    """Every registered platform with its deployment ids, oldest first."""
    rows = fetch_all(db, "SELECT * FROM lti_platforms ORDER BY id")
    deployments = fetch_all(db, "SELECT * FROM lti_deployments ORDER BY deployment_id")
    for row in rows:
        row["deployment_ids"] = tuple(d["deployment_id"] for d in deployments
                                      if d["platform_id"] == row["id"])
    return rows


def records(rows: list[dict[str, Any]]) -> list[PlatformRecord]:
    return [PlatformRecord(row["issuer"], row["client_id"], row["auth_login_url"],
                           row["auth_token_url"], row["key_set_url"], row["deployment_ids"])
            for row in rows]


def platform_by_id(db: Database, platform_id: int) -> dict[str, Any] | None:
    return next((row for row in platforms(db) if row["id"] == platform_id), None)


def platform_of(db: Database, issuer: str, client_id: str) -> dict[str, Any] | None:
    return next((row for row in platforms(db)
                 if row["issuer"] == issuer and row["client_id"] == client_id), None)


def save_platform(db: Database, *, issuer: str, client_id: str, auth_login_url: str,
                  auth_token_url: str, key_set_url: str, deployment_ids: list[str],
                  created_by: int | None) -> int:
    """Register a platform, or update the one with this issuer and client id; return its id."""
    existing = platform_of(db, issuer, client_id)
    values = {"issuer": issuer, "client_id": client_id, "auth_login_url": auth_login_url,
              "auth_token_url": auth_token_url, "key_set_url": key_set_url}
    if existing:
        platform_id = existing["id"]
        db["lti_platforms"].update(platform_id, values)
        db.execute("DELETE FROM lti_deployments WHERE platform_id = ?", [platform_id])
    else:
        platform_id = db["lti_platforms"].insert({**values, "created_by": created_by}).last_pk
    for deployment_id in dict.fromkeys(deployment_ids):
        db["lti_deployments"].insert({"platform_id": platform_id, "deployment_id": deployment_id})
    return platform_id


def remove_platform(db: Database, platform_id: int) -> None:
    db.execute("DELETE FROM lti_platforms WHERE id = ?", [platform_id])


def origin(url: str) -> str | None:
    """scheme://host[:port] of an http(s) URL, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def frame_origins(db: Database) -> list[str]:
    """The origins a registered platform shows the tool from: its issuer's and its login page's."""
    rows = fetch_all(db, "SELECT issuer, auth_login_url FROM lti_platforms")
    found = {origin(url) for row in rows for url in (row["issuer"], row["auth_login_url"])}
    return sorted(o for o in found if o)


@dataclass(frozen=True)
class Provisioned:
    user_id: int
    cohort_id: int
    context_row: int
    created_user: bool
    created_cohort: bool


def provision(db: Database, platform: dict[str, Any], claims: LaunchClaims,
              password_hash: str) -> Provisioned:
    """Find or create the launch's account and cohort, inside the caller's write transaction.

    The account is the platform's (issuer, sub); the cohort is the platform course's, made
    on its first launch with the launching instructor (or no one) as its trainer.
    """
    row = db.execute("SELECT user_id FROM lti_accounts WHERE issuer = ? AND sub = ?",
                     [claims.issuer, claims.sub]).fetchone()
    created_user = row is None
    if row:
        user_id = row[0]
        db.execute("UPDATE users SET role = CASE WHEN role = 'trainer' THEN 'trainer' ELSE ? END"
                   " WHERE id = ?", [claims.role, user_id])
    else:
        email = claims.email
        if not email or db.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchone():
            # An address an account of the course has already is not proof that this platform
            # user owns it: the launch gets an account of its own.
            email = placeholder_email(claims.issuer, claims.sub)
        user_id = db["users"].insert({"email": email, "name": claims.name or email.split("@")[0],
                                      "role": claims.role, "password_hash": password_hash}).last_pk
        db["lti_accounts"].insert({"issuer": claims.issuer, "sub": claims.sub, "user_id": user_id})
    context = fetch_all(db, "SELECT * FROM lti_contexts WHERE platform_id = ? AND context_id = ?",
                        [platform["id"], claims.context_id])
    created_cohort = not context
    if context:
        cohort_id, context_row = context[0]["cohort_id"], context[0]["id"]
    else:
        name = claims.context_title or claims.context_id
        cohort_id = create_cohort(db, name=name[:100], trainer_id=user_id) \
            if claims.role == "trainer" else _cohort_without_trainer(db, name[:100])
        context_row = db["lti_contexts"].insert({
            "platform_id": platform["id"], "context_id": claims.context_id,
            "title": claims.context_title, "cohort_id": cohort_id}).last_pk
    db.execute(
        """UPDATE lti_contexts SET deployment_id = ?, title = COALESCE(NULLIF(?, ''), title),
               lineitems_url = COALESCE(?, lineitems_url),
               ags_scopes = CASE WHEN ? = '' THEN ags_scopes ELSE ? END,
               memberships_url = COALESCE(?, memberships_url) WHERE id = ?""",
        [claims.deployment_id, claims.context_title, claims.lineitems_url,
         " ".join(claims.ags_scopes), " ".join(claims.ags_scopes), claims.memberships_url,
         context_row])
    if claims.role == "trainer":
        db.execute("INSERT OR IGNORE INTO cohort_trainers (cohort_id, user_id) VALUES (?, ?)",
                   [cohort_id, user_id])
    else:
        db.execute("UPDATE users SET cohort_id = ? WHERE id = ? AND role = 'trainee'",
                   [cohort_id, user_id])
    return Provisioned(user_id, cohort_id, context_row, created_user, created_cohort)


def _cohort_without_trainer(db: Database, name: str) -> int:
    # A learner launched first: the cohort waits for the platform's instructor to launch.
    from courseware.trainer.cohorts import join_code_taken, new_join_code

    code = new_join_code()
    while join_code_taken(db, code):
        code = new_join_code()
    return db["cohorts"].insert({"name": name, "join_code": code}).last_pk


def contexts_of_trainer(db: Database, trainer_id: int) -> list[dict[str, Any]]:
    """The platform courses linked to the trainer's cohorts, with the platform's issuer."""
    return fetch_all(
        db,
        """SELECT lti_contexts.*, lti_platforms.issuer, cohorts.name AS cohort_name
           FROM lti_contexts JOIN lti_platforms ON lti_platforms.id = lti_contexts.platform_id
           JOIN cohorts ON cohorts.id = lti_contexts.cohort_id
           JOIN cohort_trainers ON cohort_trainers.cohort_id = lti_contexts.cohort_id
           WHERE cohort_trainers.user_id = ? ORDER BY lti_contexts.id""", [trainer_id])


def link_context(db: Database, context_row: int, cohort_id: int) -> None:
    """Point a platform course at another cohort; its trainees move with it."""
    old = db.execute("SELECT cohort_id FROM lti_contexts WHERE id = ?", [context_row]).fetchone()
    db.execute("UPDATE lti_contexts SET cohort_id = ? WHERE id = ?", [cohort_id, context_row])
    if old:
        db.execute(
            """UPDATE users SET cohort_id = ? WHERE cohort_id = ? AND role = 'trainee' AND id IN
               (SELECT user_id FROM lti_accounts JOIN lti_contexts ON lti_contexts.id = ?
                JOIN lti_platforms ON lti_platforms.id = lti_contexts.platform_id
                WHERE lti_accounts.issuer = lti_platforms.issuer)""",
            [cohort_id, old[0], context_row])


def sub_of(db: Database, user_id: int, issuer: str) -> str | None:
    row = db.execute("SELECT sub FROM lti_accounts WHERE user_id = ? AND issuer = ?",
                     [user_id, issuer]).fetchone()
    return row[0] if row else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_handoff(db: Database, user_id: int, target: str, lang: str, now: float) -> str:
    """A token that signs this user in once, in the next HANDOFF_SECONDS, and opens the target."""
    token = secrets.token_urlsafe(32)
    db.execute("DELETE FROM lti_handoffs WHERE expires_at <= ?", [now])
    db["lti_handoffs"].insert({"token_hash": _hash(token), "user_id": user_id, "target": target,
                               "lang": lang, "expires_at": now + HANDOFF_SECONDS})
    return token


def use_handoff(db: Database, token: str, now: float) -> dict[str, Any] | None:
    """The hand-off's user, target and language, if the token is live; it is spent either way."""
    rows = fetch_all(db, "SELECT * FROM lti_handoffs WHERE token_hash = ?", [_hash(token)])
    db.execute("DELETE FROM lti_handoffs WHERE token_hash = ?", [_hash(token)])
    if not rows or rows[0]["expires_at"] <= now:
        return None
    return rows[0]


def member_claims(platform: dict[str, Any], context: dict[str, Any],
                  member: dict[str, Any]) -> LaunchClaims | None:
    """An NRPS member as the claims a launch of theirs would carry; None for an inactive one."""
    sub = str(member.get("user_id") or "")
    if not sub or member.get("status", "Active") != "Active":
        return None
    return LaunchClaims(
        issuer=platform["issuer"], client_id=platform["client_id"],
        deployment_id=context["deployment_id"], sub=sub,
        name=str(member.get("name") or "")[:100], email=str(member.get("email") or "")[:254],
        role=role_of(list(member.get("roles") or [])), lang="en",
        context_id=context["context_id"], context_title=context["title"],
        message_type="LtiResourceLinkRequest", target=Target())
