"""Configuration: defaults, then instance/config.py, then COURSEWARE_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "CONTENT_DIR": str(PROJECT_ROOT / "content"),
    # An empty name means the translated default: "the company" / "公司".
    "COURSEWARE_ORG_NAME": "",
    "COURSEWARE_HTTPS": False,
    "IDLE_TIMEOUT_MINUTES": 120,
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "LANGUAGES": ("en", "zh"),
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Cross-site requests are refused by their headers (security.py) for every POST, forms,
    # autosaves and sign-out alike, so no page carries a per-session token.
    "WTF_CSRF_ENABLED": False,
    # How long a released or returned grade can be undone; the trainee sees it only after.
    "UNDO_WINDOW_SECONDS": 600,
    "PASSWORD_HASH_METHOD": "scrypt",  # nosec B105: a hash method's name, not a password
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_WINDOW_MINUTES": 15,
}

# Environment variables that override config, with their parsers.
ENVIRONMENT: dict[str, Any] = {
    "COURSEWARE_SECRET_KEY": ("SECRET_KEY", str),
    "COURSEWARE_DATABASE": ("DATABASE", str),
    "COURSEWARE_ORG_NAME": ("COURSEWARE_ORG_NAME", str),
    "COURSEWARE_HTTPS": ("COURSEWARE_HTTPS", lambda v: v.lower() in {"1", "true", "yes", "on"}),
    "COURSEWARE_IDLE_TIMEOUT_MINUTES": ("IDLE_TIMEOUT_MINUTES", int),
}


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the instance file, the environment and test_config."""
    app.config.from_mapping(DEFAULTS)
    app.config["DATABASE"] = str(Path(app.instance_path) / "courseware.sqlite")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for env_name, (key, parse) in ENVIRONMENT.items():
            if env_name in os.environ:
                app.config[key] = parse(os.environ[env_name])
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    app.config["SESSION_COOKIE_SECURE"] = app.config["COURSEWARE_HTTPS"]
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["COURSEWARE_HTTPS"]
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"])


def _instance_secret(instance: Path) -> str:
    """Read the instance's secret key, creating it once so every worker shares it."""
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Write a private temp file, then link it into place: when several gunicorn
        # workers start at once, exactly one link wins and nobody reads a half-written key.
        tmp = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
