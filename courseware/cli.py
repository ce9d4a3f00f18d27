"""Command-line tools: demo data, users, content check, backup, translations."""

from __future__ import annotations

import subprocess  # nosec B404: runs pybabel, our own dependency, with fixed arguments
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from courseware.auth import resets
from courseware.auth.guard import forget_failures
from courseware.auth.passwords import MAX_LENGTH, MIN_LENGTH, is_common
from courseware.auth.reset_views import reset_link
from courseware.auth.users import create_user, email_taken, user_by_email
from courseware.config import PROJECT_ROOT
from courseware.content import load_course
from courseware.db import backup, connect
from courseware.trainer.cohorts import create_cohort

DEMO_COHORT = {"name": "Demo cohort", "join_code": "KAM-START"}
# Public demo accounts, documented in the README; `demo` is never run in production.
DEMO_TRAINER = {"email": "trainer@example.com", "name": "Demo Trainer",
                "password": "demo-trainer-pass"}  # nosec B105
DEMO_TRAINEE = {"email": "trainee@example.com", "name": "Demo Trainee",
                "password": "demo-trainee-pass"}  # nosec B105

users_cli = AppGroup("users", help="Manage user accounts.")
content_cli = AppGroup("content", help="Check the course content.")
translate_cli = AppGroup("translate", help="Extract, update and compile interface translations.")

TRANSLATIONS = PROJECT_ROOT / "courseware" / "translations"
CATALOG = PROJECT_ROOT / "messages.pot"


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the demo cohort, trainer and trainee (safe to run again)."""
    db = connect(current_app.config["DATABASE"])
    with db.atomic():
        if not email_taken(db, DEMO_TRAINER["email"]):
            create_user(db, role="trainer", **DEMO_TRAINER)
        trainer_id = db.execute("SELECT id FROM users WHERE email = ?",
                                [DEMO_TRAINER["email"]]).fetchone()[0]
        row = db.execute(
            """SELECT cohorts.id FROM cohorts JOIN cohort_trainers ON cohort_id = cohorts.id
               WHERE user_id = ? AND name = ?""", [trainer_id, DEMO_COHORT["name"]]).fetchone()
        cohort_id = row[0] if row else create_cohort(db, trainer_id=trainer_id, **DEMO_COHORT)
        if not email_taken(db, DEMO_TRAINEE["email"]):
            create_user(db, role="trainee", cohort_id=cohort_id, **DEMO_TRAINEE)
    db.close()
    click.echo(f"Demo cohort {DEMO_COHORT['join_code']}: {DEMO_TRAINER['email']} (trainer), "
               f"{DEMO_TRAINEE['email']} (trainee).")


@users_cli.command("create")
@click.option("--role", type=click.Choice(["trainer", "trainee"]), required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option(help="Asked for when not given.")
def create_user_command(role: str, email: str, name: str, password: str) -> None:
    """Create a trainer (or a trainee without a cohort)."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH or is_common(password):
        raise click.ClickException(
            f"The password needs {MIN_LENGTH} to {MAX_LENGTH} characters and must not be a "
            "common password.")
    db = connect(current_app.config["DATABASE"])
    if email_taken(db, email):
        raise click.ClickException(f"An account with {email} exists already.")
    user_id = create_user(db, email=email, name=name, password=password, role=role)
    db.close()
    click.echo(f"Created {role} {email} (id {user_id}).")


@users_cli.command("unlock")
@click.argument("email")
def unlock_command(email: str) -> None:
    """Forget the account's failed sign-ins, from every address, so it can sign in at once."""
    db = connect(current_app.config["DATABASE"])
    try:
        if not email_taken(db, email):
            raise click.ClickException(f"No account has the email {email}.")
        with db.conn:
            cleared = forget_failures(db, email)
    finally:
        db.close()
    click.echo(f"Cleared {cleared} failed sign-ins for {email}; it can sign in now.")


@users_cli.command("purge-removed")
def purge_removed_command() -> None:
    """Delete for good the trainees removed from a cohort longer ago than REMOVED_KEEP_DAYS."""
    from courseware.trainer.removals import purge_expired  # the trainer area's rule

    db = connect(current_app.config["DATABASE"])
    try:
        with db.conn:
            emails = purge_expired(db, current_app.config["CLOCK"](),
                                   current_app.config["REMOVED_KEEP_DAYS"])
    finally:
        db.close()
    click.echo(f"Deleted {len(emails)} removed trainee(s) and their work"
               + (f": {', '.join(emails)}." if emails else "."))


@users_cli.command("reset-password")
@click.argument("email")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="The language of the page the link opens.")
def reset_password_command(email: str, lang: str) -> None:
    """Print a one-time link (24 hours) to set a new password, for any account, trainers too."""
    db = connect(current_app.config["DATABASE"])
    try:
        user = user_by_email(db, email)
        if user is None:
            raise click.ClickException(f"No account has the email {email}.")
        with db.conn:
            token, _expires = resets.issue(db, user.id, current_app.config["CLOCK"]())
    finally:
        db.close()
    link = reset_link(token, lang)
    click.echo(f"A link for {user.email} to set a new password, working once for 24 hours:")
    click.echo(link)
    if link.startswith("/"):
        click.echo("Put the course's address in front of it, or set COURSEWARE_BASE_URL.")


@content_cli.command("check")
def content_check_command() -> None:
    """Validate every content file and report each problem with its file."""
    root = Path(current_app.config["CONTENT_DIR"])
    course, errors = load_course(root)
    if errors:
        for error in errors:
            click.echo(f"ERROR {error}", err=True)
        raise SystemExit(1)
    click.echo(f"Content OK: {len(course.page_ids())} pages in English and Chinese"
               + "".join(f", {name}" for name in course.areas) + ".")


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Copy the live database consistently to TARGET (SQLite online backup)."""
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose a new file name.")
    backup(current_app.config["DATABASE"], target)
    click.echo(f"Backed up to {target}.")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args],  # noqa: S603 # nosec B603
                   check=True, cwd=PROJECT_ROOT)


@translate_cli.command("update")
def translate_update_command() -> None:
    """Extract interface strings and merge them into the catalogs."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "-o", str(CATALOG), ".")
    _pybabel("update", "-i", str(CATALOG), "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
             "--ignore-obsolete")
    CATALOG.unlink()


@translate_cli.command("compile")
def translate_compile_command() -> None:
    """Compile the catalogs for the running app."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


def init_app(app: Flask) -> None:
    for command in (demo_command, backup_command, users_cli, content_cli, translate_cli):
        app.cli.add_command(command)
