"""The LTI tables: registered platforms, who and what they launch, and the grades to send them."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("courseware.lti")


@migrations(name="0010_lti_platforms_launches_outbox")
def _platforms_launches_outbox(db: Database) -> None:
    # A platform account is (issuer, sub) and a platform course is (platform, context id): the
    # same sub or context id on another platform is another person or course.
    db.executescript(
        """
        CREATE TABLE lti_platforms (
            id INTEGER PRIMARY KEY,
            issuer TEXT NOT NULL,
            client_id TEXT NOT NULL,
            auth_login_url TEXT NOT NULL,
            auth_token_url TEXT NOT NULL,
            key_set_url TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (issuer, client_id)
        );
        CREATE TABLE lti_deployments (
            platform_id INTEGER NOT NULL REFERENCES lti_platforms(id) ON DELETE CASCADE,
            deployment_id TEXT NOT NULL,
            PRIMARY KEY (platform_id, deployment_id)
        ) WITHOUT ROWID;
        CREATE TABLE lti_accounts (
            issuer TEXT NOT NULL,
            sub TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            PRIMARY KEY (issuer, sub)
        ) WITHOUT ROWID;
        CREATE TABLE lti_contexts (
            id INTEGER PRIMARY KEY,
            platform_id INTEGER NOT NULL REFERENCES lti_platforms(id) ON DELETE CASCADE,
            context_id TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
            deployment_id TEXT NOT NULL DEFAULT '',
            lineitems_url TEXT,
            ags_scopes TEXT NOT NULL DEFAULT '',
            memberships_url TEXT,
            UNIQUE (platform_id, context_id)
        );
        CREATE INDEX lti_contexts_cohort ON lti_contexts(cohort_id);
        CREATE TABLE lti_line_items (
            context_id INTEGER NOT NULL REFERENCES lti_contexts(id) ON DELETE CASCADE,
            activity TEXT NOT NULL CHECK (activity IN ('quiz', 'workshop')),
            url TEXT NOT NULL,
            PRIMARY KEY (context_id, activity)
        ) WITHOUT ROWID;
        -- pylti1p3's state, nonces and launch data, shared by every worker.
        CREATE TABLE lti_launch_data (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            expires_at REAL NOT NULL
        ) WITHOUT ROWID;
        -- A launch carried from a frame to a new window: only a hash of the token is kept.
        CREATE TABLE lti_handoffs (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            lang TEXT NOT NULL,
            expires_at REAL NOT NULL
        ) WITHOUT ROWID;
        -- Every score to send: kept until the platform took it, tried again when it did not.
        CREATE TABLE lti_outbox (
            id INTEGER PRIMARY KEY,
            context_id INTEGER NOT NULL REFERENCES lti_contexts(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            activity TEXT NOT NULL CHECK (activity IN ('quiz', 'workshop')),
            score_given REAL NOT NULL,
            score_maximum REAL NOT NULL,
            activity_progress TEXT NOT NULL,
            grading_progress TEXT NOT NULL,
            scored_at TEXT NOT NULL,
            send_after REAL NOT NULL DEFAULT 0,
            submission_id INTEGER,
            tries INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            sent_at TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX lti_outbox_pending ON lti_outbox(sent_at, context_id);
        """
    )
