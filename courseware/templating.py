"""Helpers the templates call: the organisation-name filter, form field attributes, dates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, request, url_for
from flask_babel import format_datetime, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import Field

from courseware.auth.users import org_name
from courseware.content import with_org
from courseware.i18n import current_language


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


# Chinese readers expect 2026年11月26日 21:25, never "9:25 PM"; English gets an unambiguous
# day-month-year with a 24-hour clock, so both languages read the same moment the same way.
WHEN_PATTERNS = {"en": "d MMM y, HH:mm", "zh": "y年M月d日 HH:mm"}


def when_text(iso: str | None) -> str:
    """Format a stored UTC timestamp for the page's language, naming the zone when it is UTC."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = format_datetime(moment, WHEN_PATTERNS[current_language()])
    if str(get_timezone()) == "UTC":
        text = _("%(time)s UTC", time=text)
    return text


def when(iso: str | None) -> Markup:
    """A <time> element showing a stored UTC timestamp in the page's language."""
    if not iso:
        return Markup("")
    return Markup('<time datetime="%s">%s</time>') % (iso, escape(when_text(iso)))


def sentence_gap() -> str:
    """The gap between two sentences: a space in English, none after Chinese full-width marks."""
    return "" if current_language() == "zh" else " "


def current_org_name() -> str:
    """Return the signed-in user's organisation name, looked up once per request."""
    # A page applies it to every title it lists; looking the name up once per request
    # instead of each time through current_user took a tenth off the module page's time.
    if "org_name" not in g:
        g.org_name = org_name(current_user._get_current_object())
    return g.org_name


def _with_org(text: str) -> Markup:
    return with_org(text, current_org_name())


# Built links, per endpoint, arguments, language and script root: the same for every user.
# url_for costs about 15 µs; the dashboard builds one per trainee, a page about eight.
URL_CACHE_SIZE = 20_000


def cached_url_for(endpoint: str, **values: Any) -> str:
    """url_for for templates, remembering each link once built.

    Links relative to the blueprint (".view"), with options (`_external`, `_anchor`, ...) or
    with unhashable arguments are built every time; nothing else that url_for reads varies
    between requests.
    """
    if endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)  # relative to the blueprint, or with options
    urls: dict[tuple[Any, ...], str] = current_app.extensions["urls"]
    key = (endpoint, current_language(), request.script_root, *sorted(values.items()))
    try:
        url = urls.get(key)
    except TypeError:
        return url_for(endpoint, **values)
    if url is None:
        url = url_for(endpoint, **values)
        if len(urls) >= URL_CACHE_SIZE:
            urls.clear()
        urls[key] = url
    return url


def init_app(app: Flask) -> None:
    app.extensions["urls"] = {}
    app.jinja_env.globals["url_for"] = cached_url_for
    app.jinja_env.filters["with_org"] = _with_org
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["when"] = when
    app.jinja_env.globals["sentence_gap"] = sentence_gap
