"""Helpers the templates call: the organisation-name filter, form field attributes, dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g
from flask_babel import format_datetime, get_timezone
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import Field

from courseware.auth.users import org_name
from courseware.content import with_org
from courseware.i18n import current_language
from courseware.quiz.scoring import percent_text

# HTML's "valid floating-point number", the only value a number input may carry.
_HTML_NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")


def field_attrs(field: Field, extra: dict[str, Any]) -> dict[str, Any]:
    """HTML attributes tying a field to its hint and error for screen readers."""
    described = [f"{field.id}-hint"] if field.description else []
    attrs = {key: value for key, value in extra.items() if value is not None}
    # A browser never posts "x" from a number input, and would show it empty: so does the
    # page, rather than an invalid value attribute. The error beside it still says why.
    if (getattr(field.widget, "input_type", None) == "number" and field.raw_data
            and not _HTML_NUMBER.fullmatch(str(field.raw_data[0]))):
        attrs["value"] = ""
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
    """Format a stored UTC timestamp in the configured zone and the page's language, zone named."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = format_datetime(moment, WHEN_PATTERNS[current_language()])
    return f"{text} {zone_label(moment)}"


def zone_label(moment: datetime | None = None) -> str:
    """Name the configured zone by its offset at that moment: UTC, UTC+8, UTC+5:30, UTC-3.

    An offset rather than an abbreviation: CST is China's, but also Cuba's and the US's.
    """
    offset = (moment or datetime.now(UTC)).astimezone(get_timezone()).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def when(iso: str | None) -> Markup:
    """A <time> element showing a stored UTC timestamp in the page's language."""
    if not iso:
        return Markup("")
    return Markup('<time datetime="%s">%s</time>') % (iso, escape(when_text(iso)))


def sentence_gap() -> str:
    """The gap between two sentences: a space in English, none after Chinese full-width marks."""
    return "" if current_language() == "zh" else " "


def current_org_name() -> str:
    """Return the signed-in user's organisation name (the translated default otherwise)."""
    if "org_name" not in g:  # the view and the template context both ask, once each
        g.org_name = org_name(current_user)
    return g.org_name


def init_app(app: Flask) -> None:
    app.jinja_env.filters["with_org"] = with_org
    app.context_processor(lambda: {"org": current_org_name()})
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["when"] = when
    # The script formats its autosave times in the same zone, so one page never mixes two.
    app.jinja_env.globals["time_zone"] = lambda: str(get_timezone())
    app.jinja_env.globals["zone_label"] = zone_label
    app.jinja_env.globals["percent_text"] = percent_text
    app.jinja_env.globals["org_in"] = lambda lang: org_name(current_user, lang)
    app.jinja_env.globals["sentence_gap"] = sentence_gap
