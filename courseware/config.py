"""Configuration: defaults, then instance/config.py, then COURSEWARE_* environment variables."""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from courseware.auth.mail import parse_smtp_url, send_in_background

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
    # Every time on every page is shown in this zone, with the zone named (COURSEWARE_TIMEZONE).
    "BABEL_DEFAULT_TIMEZONE": "UTC",
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
    # Days a trainee removed from a cohort can be restored; after that their data is deleted.
    "REMOVED_KEEP_DAYS": 30,
    "PASSWORD_HASH_METHOD": "scrypt",  # nosec B105: a hash method's name, not a password
    # The clock the throttle and reset links read; tests configure one they can move.
    "CLOCK": time.time,
    # Anonymous requests that hash a password (sign-in, join), per client address. A training
    # room behind one router shares an address: 40 in 5 minutes lets a class of 30 sign in
    # with a few typos, and holds one address to one slow hash every 7.5 s after that.
    "ADDRESS_HASH_LIMIT": 40,
    "ADDRESS_HASH_PERIOD": 5 * 60,
    # How many proxies in front of the app append to X-Forwarded-For: 0 means none, and the
    # client address is the socket's (a header a client sends is never trusted then).
    "PROXY_COUNT": 0,
    # The course's public address, e.g. https://course.example.org: links that leave the site
    # (reset links by email or from the CLI) use it, never the Host a request claims.
    "BASE_URL": "",
    # Set to let trainees ask for a reset link by email (see courseware/auth/mail.py).
    "SMTP_URL": "",
    # How a reset email is sent: on a thread of its own; tests put in one that keeps it.
    "SEND_MAIL": send_in_background,
    # Reset links asked for by email, per client address.
    "ADDRESS_RESET_LIMIT": 5,
    "ADDRESS_RESET_PERIOD": 60 * 60,
    # Joins with a code no cohort has, per client address.
    "ADDRESS_JOIN_CODE_LIMIT": 20,
    "ADDRESS_JOIN_CODE_PERIOD": 15 * 60,
    # Verification addresses no certificate has, per client address: an HR desk mistyping a
    # link tries a few; anyone trying many is guessing.
    "ADDRESS_CERTIFICATE_MISS_LIMIT": 20,
    "ADDRESS_CERTIFICATE_MISS_PERIOD": 15 * 60,
    # The certificate's font: a Noto CJK collection (Debian's fonts-noto-cjk); the PDF uses its
    # Simplified Chinese face for the Chinese and the Latin alike.
    "CERTIFICATE_FONT": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "CERTIFICATE_BOLD_FONT": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
}

# Environment variables that override config, with their parsers.
ENVIRONMENT: dict[str, Any] = {
    "COURSEWARE_SECRET_KEY": ("SECRET_KEY", str),
    "COURSEWARE_DATABASE": ("DATABASE", str),
    "COURSEWARE_ORG_NAME": ("COURSEWARE_ORG_NAME", str),
    "COURSEWARE_HTTPS": ("COURSEWARE_HTTPS", lambda v: v.lower() in {"1", "true", "yes", "on"}),
    "COURSEWARE_IDLE_TIMEOUT_MINUTES": ("IDLE_TIMEOUT_MINUTES", int),
    "COURSEWARE_ADDRESS_HASH_LIMIT": ("ADDRESS_HASH_LIMIT", int),
    "COURSEWARE_PROXY_COUNT": ("PROXY_COUNT", int),
    "COURSEWARE_BASE_URL": ("BASE_URL", str),
    "COURSEWARE_SMTP_URL": ("SMTP_URL", str),
    "COURSEWARE_TIMEZONE": ("BABEL_DEFAULT_TIMEZONE", lambda v: _time_zone(v)),
}


def _time_zone(name: str) -> str:
    """Return an IANA zone name such as Asia/Shanghai, refusing a typo at start-up."""
    ZoneInfo(name)  # raises for an unknown zone, before any page shows a wrong time
    return name


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
    if not isinstance(app.config["PROXY_COUNT"], int) or app.config["PROXY_COUNT"] < 0:
        raise ValueError("COURSEWARE_PROXY_COUNT is the number of proxies in front of the app: "
                         "0 (none, the default), 1 or more.")
    app.config["SMTP_SETTINGS"] = parse_smtp_url(app.config["SMTP_URL"]) if app.config["SMTP_URL"] else None
    if app.config["SMTP_SETTINGS"] and not app.config["BASE_URL"]:
        raise ValueError("COURSEWARE_SMTP_URL needs COURSEWARE_BASE_URL, the course's public "
                         "address (e.g. https://course.example.org), for the links it sends.")
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
