"""Fixtures' helpers for the LTI tests: an app with a registered loopback platform, launches."""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from courseware.db import connect
from courseware.lti import keys, store
from courseware.lti.adapter import forget_key_sets
from tests.support.lti_platform import CLIENT_ID, Platform, login_redirect_params

CROSS_SITE = {"Sec-Fetch-Site": "cross-site"}


def lti_app(tmp_path: Path, **config: Any) -> Flask:
    from tests.conftest import make_app, seed_people

    shutil.copytree(_tool_keys(), tmp_path / "lti-keys")
    app = make_app(tmp_path, LTI_KEYS_DIR=str(tmp_path / "lti-keys"),
                   LTI_ADMINS="trainer@example.com", **config)
    seed_people(app)
    forget_key_sets()
    return app


@cache
def _tool_keys() -> Path:
    """The tool's first key pair, made once a run and copied into each test's app: making an
    RSA key costs more than most LTI tests."""
    directory = Path(tempfile.mkdtemp(prefix="courseware-lti-keys-")) / "keys"
    keys.add_key(directory)
    return directory


def tool_jwks(app: Flask) -> Any:
    return lambda: keys.jwks(Path(app.config["LTI_KEYS_DIR"]))


def register(app: Flask, platform: Platform, deployment_ids: tuple[str, ...] = ("deployment-1",)) -> int:
    db = connect(app.config["DATABASE"])
    with db.conn:
        reg = platform.registration()
        platform_id = store.save_platform(
            db, issuer=reg["issuer"], client_id=reg["client_id"], auth_login_url=reg["auth_login_url"],
            auth_token_url=reg["auth_token_url"], key_set_url=reg["key_set_url"],
            deployment_ids=list(deployment_ids), created_by=None)
    db.close()
    return platform_id


def start_login(client: FlaskClient, platform: Platform) -> dict[str, str]:
    """The platform's login initiation; the OIDC request parameters the tool redirects with."""
    response = client.post("/lti/login", data={
        "iss": platform.issuer, "login_hint": "hint-1", "client_id": CLIENT_ID,
        "target_link_uri": "http://localhost/lti/launch", "lti_deployment_id": "deployment-1"},
        headers=CROSS_SITE)
    assert response.status_code == 302, response.get_data(as_text=True)
    return login_redirect_params(response.headers["Location"])


def launch(client: FlaskClient, platform: Platform, headers: dict[str, str] | None = None,
           **token: Any) -> Any:
    """A full round trip: login initiation, the platform's signed id token, the launch post."""
    params = start_login(client, platform)
    id_token = platform.id_token(nonce=params["nonce"], **token)
    return post_launch(client, id_token, params["state"], headers)


def post_launch(client: FlaskClient, id_token: str, state: str, headers: dict[str, str] | None = None) -> Any:
    return client.post("/lti/launch", data={"id_token": id_token, "state": state},
                       headers={**CROSS_SITE, **(headers or {})})
