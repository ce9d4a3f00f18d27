"""Command-line tools: demo data, users, backup, and that the README documents each one."""

from __future__ import annotations

import sqlite3

from courseware.config import PROJECT_ROOT
from courseware.db import connect
from tests.conftest import make_app, sign_in


def test_demo_data_is_created_once_and_can_sign_in(tmp_path):
    app = make_app(tmp_path)
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 2
    assert db.execute("SELECT name FROM cohorts WHERE join_code = 'KAM-START'").fetchone()[0] == \
        "Demo cohort"
    client = app.test_client()
    assert sign_in(client, {"email": "trainee@example.com",
                            "password": "demo-trainee-pass"}).status_code == 302
    assert sign_in(app.test_client(), {"email": "trainer@example.com",
                                       "password": "demo-trainer-pass"}).status_code == 302


def test_users_create_makes_a_trainer_and_refuses_weak_passwords(tmp_path):
    app = make_app(tmp_path)
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "--role", "trainer", "--email", "t@example.com",
                               "--name", "T"], input="short\nshort\n")
    assert weak.exit_code != 0
    ok = runner.invoke(args=["users", "create", "--role", "trainer", "--email", "t@example.com",
                             "--name", "Teresa"], input="a-long-passphrase\na-long-passphrase\n")
    assert ok.exit_code == 0, ok.output
    assert sign_in(app.test_client(), {"email": "t@example.com",
                                       "password": "a-long-passphrase"}).status_code == 302
    again = runner.invoke(args=["users", "create", "--role", "trainer", "--email", "T@example.com",
                                "--name", "T"], input="a-long-passphrase\na-long-passphrase\n")
    assert again.exit_code != 0 and "exists already" in again.output


def test_backup_copies_the_database_consistently(tmp_path):
    app = make_app(tmp_path)
    app.test_cli_runner().invoke(args=["demo"])
    target = tmp_path / "copy.sqlite"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM users").fetchone()[0] == 2
    copy.close()
    refused = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert refused.exit_code != 0


def test_every_cli_command_is_documented_in_the_readme(tmp_path):
    app = make_app(tmp_path)
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in app.cli.commands.items():
        if name in {"run", "shell", "routes"}:
            continue
        subcommands = getattr(command, "commands", None)
        for full in ([f"{name} {sub}" for sub in subcommands] if subcommands else [name]):
            assert f"`{full}" in readme, f"README does not document `{full}`"
