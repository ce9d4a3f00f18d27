"""Shared fixtures: an app on a temp database with a cohort, a trainer and a trainee."""

from __future__ import annotations

import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import FileSystemBytecodeCache

from courseware import create_app
from courseware.auth.users import create_user
from courseware.config import PROJECT_ROOT
from courseware.content import Course, load_course
from courseware.db import connect, migrate
from courseware.trainer.cohorts import create_cohort

TRAINER = {"email": "trainer@example.com", "password": "trainer-pass-123", "name": "Tess Trainer"}
TRAINEE = {"email": "trainee@example.com", "password": "trainee-pass-123", "name": "Tom Trainee"}
OTHER_TRAINER = {"email": "other@example.com", "password": "other-pass-123", "name": "Olga Other"}
OTHER_TRAINEE = {"email": "stranger@example.com", "password": "stranger-pass-123",
                 "name": "Sam Stranger"}
JOIN_CODE = "KAM-TEST"


def make_app(tmp_path: Path, **config: Any) -> Flask:
    """An app on its own database, with the course parsed once for the whole test run."""
    settings = {"TESTING": True, "DATABASE": str(tmp_path / "test.sqlite"),
                "SECRET_KEY": "test-secret", "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
                # Releases and returns show at once; tests of the undo window set their own.
                "UNDO_WINDOW_SECONDS": 0, **config}
    if "CONTENT_DIR" not in config:  # a test of other content loads its own
        settings["COURSEWARE_LOADED_COURSE"] = _course()
    database = tmp_path / "test.sqlite"
    if "DATABASE" not in config and database.parent.is_dir() and not database.exists():
        _copy_database(_migrated(), database)
    app = create_app(settings)
    app.jinja_env.bytecode_cache = _compiled_templates()
    return app


@cache
def _migrated() -> Path:
    """A database with every migration applied, made once a run: each app starts on a copy,
    as migrating afresh for each of the suite's apps costs more than most tests."""
    path = Path(tempfile.mkdtemp(prefix="courseware-migrated-")) / "migrated.sqlite"
    migrate(path)
    return path


@cache
def _compiled_templates() -> FileSystemBytecodeCache:
    """Templates compiled once a run for all the suite's apps, as compiling is most of a
    new app's first page."""
    return FileSystemBytecodeCache(tempfile.mkdtemp(prefix="courseware-templates-"))


def _copy_database(source: Path | str, target: Path) -> None:
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


@cache
def _course() -> Course:
    course, errors = load_course(PROJECT_ROOT / "content")
    assert not errors, errors
    return course


class FakeClock:
    """A clock the throttle and reset links read (config CLOCK) that a test moves by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def _shared_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """One app for every test that takes the `app` fixture, as building an app (its URL map
    above all) costs more than most tests. What it keeps of a test is its database and config,
    both reset per test, and rendered pieces, which are keyed by content only and so are right
    for every test."""
    shared = make_app(tmp_path_factory.mktemp("shared-app"))
    seed_people(shared)
    return shared


@pytest.fixture
def app(_shared_app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """The shared app on this test's own copy of the seeded database."""
    settings = dict(_shared_app.config)
    _copy_database(settings["DATABASE"], tmp_path / "test.sqlite")
    _shared_app.config["DATABASE"] = str(tmp_path / "test.sqlite")
    yield _shared_app
    _shared_app.config.clear()
    _shared_app.config.update(settings)


@pytest.fixture
def own_app(tmp_path: Path) -> Flask:
    """An app of the test's own, for a test that changes the app itself (hooks, routes)."""
    app = make_app(tmp_path)
    seed_people(app)
    return app


def seed_people(app: Flask) -> dict[str, int]:
    """A cohort run by TRAINER with TRAINEE in it; another cohort of OTHER_TRAINER/TRAINEE."""
    with app.app_context():
        return _seed_people(app)


def _seed_people(app: Flask) -> dict[str, int]:
    db = connect(app.config["DATABASE"])
    ids = {"trainer": create_user(db, role="trainer", **TRAINER),
           "other_trainer": create_user(db, role="trainer", **OTHER_TRAINER)}
    ids["cohort"] = create_cohort(db, name="Spring cohort", trainer_id=ids["trainer"],
                                  join_code=JOIN_CODE)
    ids["other_cohort"] = create_cohort(db, name="Other cohort", trainer_id=ids["other_trainer"],
                                        join_code="KAM-OTHER")
    ids["trainee"] = create_user(db, role="trainee", cohort_id=ids["cohort"], **TRAINEE)
    ids["other_trainee"] = create_user(db, role="trainee", cohort_id=ids["other_cohort"],
                                       **OTHER_TRAINEE)
    db.close()
    app.config["SEEDED_IDS"] = ids
    return ids


@pytest.fixture
def ids(app: Flask) -> dict[str, int]:
    return app.config["SEEDED_IDS"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    # Not `with app.test_client()`: a preserved request context would share `g` (and the
    # signed-in user cached there) with every other client of the test.
    return browser_client(app)


def browser_client(app: Flask) -> FlaskClient:
    """A test client that says, as a browser does, that its requests come from the app's pages."""
    client = app.test_client()
    client.environ_base["HTTP_SEC_FETCH_SITE"] = "same-origin"
    return client


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def post_form(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any):
    """Post data to url as the app's own page would."""
    return client.post(url, data=data, **kwargs)


def from_address(client: FlaskClient, address: str) -> FlaskClient:
    """Make the client's requests come from this address, as its socket would say."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in(client: FlaskClient, person: dict[str, str], lang: str = "en"):
    return post_form(client, f"/{lang}/sign-in",
                     {"email": person["email"], "password": person["password"]})


@pytest.fixture
def trainee_client(client: FlaskClient) -> FlaskClient:
    assert sign_in(client, TRAINEE).status_code == 302
    return client


@pytest.fixture
def trainer_client(client: FlaskClient) -> FlaskClient:
    assert sign_in(client, TRAINER).status_code == 302
    return client


def text(response) -> str:
    """The page's visible text, tags stripped and whitespace folded, for assertions."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
