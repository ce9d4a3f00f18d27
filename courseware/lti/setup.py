"""Wiring the LTI tool into the app: settings, the frame policy, its blueprint and commands."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from courseware.security import FRAME_ANCESTORS


def init_app(app: Flask) -> None:
    from courseware.lti.cli import lti_cli
    from courseware.lti.views import bp, frame_ancestors

    app.config.setdefault("LTI_KEYS_DIR", str(Path(app.instance_path) / "lti-keys"))
    admins = app.config.get("LTI_ADMINS", os.environ.get("COURSEWARE_LTI_ADMINS", ""))
    if isinstance(admins, str):
        admins = admins.split(",")
    app.config["LTI_ADMINS"] = frozenset(email.strip().lower() for email in admins if email.strip())
    in_frame = app.config.get("LTI_SESSION_IN_FRAME",
                              os.environ.get("COURSEWARE_LTI_SESSION_IN_FRAME", "") in ("1", "true"))
    app.config["LTI_SESSION_IN_FRAME"] = bool(in_frame)
    if app.config["LTI_SESSION_IN_FRAME"]:
        if not app.config["COURSEWARE_HTTPS"]:
            raise ValueError("COURSEWARE_LTI_SESSION_IN_FRAME needs COURSEWARE_HTTPS: browsers keep "
                             "a SameSite=None cookie only when it is Secure.")
        # Inside a platform's frame the browser sends only SameSite=None cookies. Cross-site
        # posts stay refused by their Sec-Fetch-Site/Origin headers (security.py), which do
        # not depend on the cookie's SameSite.
        app.config["SESSION_COOKIE_SAMESITE"] = "None"
        app.config["REMEMBER_COOKIE_SAMESITE"] = "None"
    app.extensions[FRAME_ANCESTORS] = frame_ancestors
    app.register_blueprint(bp)
    app.cli.add_command(lti_cli)
