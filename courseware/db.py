"""The SQLite database: connections, PRAGMAs, write transactions, schema migrations and backup."""

from __future__ import annotations

import importlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_app_context
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

BUSY_TIMEOUT_MS = 10_000
# How the database writes a moment: UTC to the second, as the schema's defaults write it.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# Each area owns its tables as a migration set of its own, applied in this order (accounts
# and cohorts first: the others refer to them). An area registers here by the dotted name
# of a module that defines `migrations`.
MIGRATION_MODULES: tuple[str, ...] = (
    "courseware.auth.schema",
    "courseware.quiz.schema",
    "courseware.workshop.schema",
    "courseware.trainer.schema",
    "courseware.lti.schema",
    "courseware.certificates.schema",
    "courseware.debrief.schema",
    "courseware.live.schema",
)


def connect(path: str | Path) -> Database:
    """Open the database with the PRAGMAs every connection needs."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    # In WAL mode NORMAL is durable against application crashes (a killed worker) and
    # loses at most the last commits on power loss; FULL costs an fsync per commit.
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def get_db() -> Database:
    """Return the request's database connection: the one this worker thread keeps open."""
    db = g.get("db")
    if db is None:
        config = current_app.config
        db = g.db = _thread_connection(config["DATABASE"])
        if config.get("COUNT_QUERIES"):  # tests count the statements a page runs
            g.query_count = 0
            db.conn.set_trace_callback(_count_statement)
    return db


_thread = threading.local()
# Connections a process had when it forked: the child never uses them, nor closes them (that
# could end the parent's use of the database). Kept here so they are not closed on collection.
_inherited: list[threading.local] = []


def _forget_connections_after_fork() -> None:
    global _thread
    _inherited.append(_thread)
    _thread = threading.local()


os.register_at_fork(after_in_child=_forget_connections_after_fork)


def _thread_connection(path: str) -> Database:
    # A worker thread serves one request at a time, so it keeps its connection between
    # requests: opening one reads the schema and the WAL index again.
    if getattr(_thread, "path", None) == path:
        return _thread.db
    if hasattr(_thread, "db"):
        _thread.db.close()  # another database (tests switch apps): let the old one go
    _thread.db, _thread.path = connect(path), path
    return _thread.db


def utc_now() -> str:
    """Now, written as the database stores times."""
    return time.strftime(TIME_FORMAT, time.gmtime())


def utc_today() -> date:
    """Today's date in UTC: the date an export's file name carries."""
    return datetime.now(UTC).date()


def _count_statement(sql: str) -> None:
    # Called by SQLite for every statement on a connection a counting app used: only
    # statements run for a request of that app count.
    if has_app_context() and "query_count" in g:
        g.query_count += 1


def fetch_all(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Run a read and return its rows as dictionaries.

    Unlike sqlite-utils' `Database.query`, it opens no savepoint: inside `write()` a read
    sees the transaction's own writes, outside it each read is its own snapshot.
    """
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def write() -> Iterator[Database]:
    """Run the block as one write transaction that holds the write lock from its first read.

    BEGIN IMMEDIATE takes the lock up front, so a read-then-write block never fails half way
    with "database is locked" and two concurrent requests cannot both act on the same read.
    A writer waits for another's lock at most the busy timeout.
    """
    db = get_db()
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as error:
        _raise_fault(error)
        raise
    try:
        yield db
    except sqlite3.DatabaseError as error:
        db.rollback()
        _raise_fault(error)
        raise
    except BaseException:
        db.rollback()
        raise
    try:
        db.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        if db.conn.in_transaction:
            db.rollback()
        _raise_fault(error)
        raise


class WriteFailed(Exception):
    """The database could not store a write, for a reason that is not the request's fault.

    `reason` is "full" (disk or database full), "read_only", "busy" (locked past the busy
    timeout) or "io"; the error pages say each in plain words.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_FAULTS = (("SQLITE_FULL", "full"), ("SQLITE_READONLY", "read_only"), ("SQLITE_BUSY", "busy"),
           ("SQLITE_LOCKED", "busy"), ("SQLITE_IOERR", "io"), ("SQLITE_CANTOPEN", "io"))


def _raise_fault(error: sqlite3.DatabaseError) -> None:
    """Raise `WriteFailed` when the error is the database's fault, not the statement's."""
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, reason in _FAULTS:
        if name.startswith(prefix):
            raise WriteFailed(reason) from error


def close_db(exc: BaseException | None = None) -> None:
    """End the request's use of the connection; undo anything it left uncommitted."""
    db = g.pop("db", None)
    # The connection outlives the request: a transaction left open would hold the write
    # lock into the next one.
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def migration_sets() -> list[Migrations]:
    """Each area's migration set, in the order they apply."""
    return [importlib.import_module(module).migrations for module in MIGRATION_MODULES]


def migrate(path: str | Path) -> None:
    """Create or upgrade the schema; safe to call on every start."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        # One transaction for all sets: when several workers start at once, one migrates
        # and the others wait, then find nothing pending.
        db.execute("BEGIN IMMEDIATE")
        try:
            for migration_set in migration_sets():
                migration_set.apply(db)
        except BaseException:
            db.rollback()
            raise
        db.execute("COMMIT")
    finally:
        db.close()


def backup(source: str | Path, target: str | Path) -> None:
    """Copy a live database consistently with SQLite's online backup API."""
    src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(str(target))
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
    migrate(app.config["DATABASE"])
