"""`flask lti ...`: signing keys, platform registrations and the grade outbox from a shell."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from courseware.db import write
from courseware.lti import keys, passback, store

lti_cli = AppGroup("lti", help="Run the LTI 1.3 tool: keys, platforms, grades to send.")


def _dir() -> Path:
    return Path(current_app.config["LTI_KEYS_DIR"])


@lti_cli.command("urls")
def urls_command() -> None:
    """Print the tool's URLs to give a platform (set COURSEWARE_BASE_URL for whole ones)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base or None):
        for label, endpoint in (("OIDC login initiation", "lti.login"), ("Launch / redirect", "lti.launch"),
                                ("Deep linking", "lti.launch"), ("JWKS (public keys)", "lti.jwks")):
            click.echo(f"{label}: {url_for(endpoint, _external=True)}")


@lti_cli.command("keys")
def keys_command() -> None:
    """List the published signing keys, the one that signs first."""
    for index, key in enumerate(keys.tool_keys(_dir()) or [keys.signing_key(_dir())]):
        click.echo(f"{key.kid}  {'signs' if index == 0 else 'published, no longer signs'}")


@lti_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Make a new signing key; the old one stays published until `remove-key`."""
    key = keys.add_key(_dir())
    click.echo(f"New signing key {key.kid}. Remove the old one once platforms have fetched the new set.")


@lti_cli.command("remove-key")
@click.argument("kid")
def remove_key_command(kid: str) -> None:
    """Stop publishing an old key (never the one that signs)."""
    if not keys.remove_key(_dir(), kid):
        raise click.ClickException(f"{kid} is the signing key or is not published.")
    click.echo(f"Removed {kid}.")


@lti_cli.command("add-platform")
@click.option("--issuer", required=True)
@click.option("--client-id", required=True)
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True)
@click.option("--auth-login-url", required=True)
@click.option("--auth-token-url", required=True)
@click.option("--key-set-url", required=True)
def add_platform_command(issuer: str, client_id: str, deployment_ids: tuple[str, ...],
                         auth_login_url: str, auth_token_url: str, key_set_url: str) -> None:
    """Register a platform (or update the one with this issuer and client id)."""
    for url in (auth_login_url, auth_token_url, key_set_url):
        if store.origin(url) is None:
            raise click.ClickException(f"{url} is not an http(s) address.")
    with current_app.test_request_context(), write() as db:
        platform_id = store.save_platform(
            db, issuer=issuer, client_id=client_id, auth_login_url=auth_login_url,
            auth_token_url=auth_token_url, key_set_url=key_set_url,
            deployment_ids=list(deployment_ids), created_by=None)
    click.echo(f"Platform {issuer} ({client_id}) registered as {platform_id}.")


@lti_cli.command("platforms")
def platforms_command() -> None:
    """List the registered platforms."""
    with current_app.test_request_context():
        from courseware.db import get_db

        for row in store.platforms(get_db()):
            click.echo(f"{row['id']}  {row['issuer']}  {row['client_id']}  "
                       f"deployments: {', '.join(row['deployment_ids'])}")


@lti_cli.command("send-grades")
def send_grades_command() -> None:
    """Send every score due to its platform; failures stay queued with their error."""
    with current_app.test_request_context():
        from courseware.db import get_db

        report = passback.send_pending(get_db(), keys.signing_key(_dir()), time.time(), write=write)
        for row in passback.pending(get_db()):
            if row["last_error"]:
                click.echo(f"not sent: {row['trainee_name']} {row['activity']} "
                           f"(tries {row['tries']}): {row['last_error']}")
    click.echo(f"Sent {report.sent}, failed {report.failed}, waiting {report.waiting}.")
    if report.failed:
        raise SystemExit(1)
