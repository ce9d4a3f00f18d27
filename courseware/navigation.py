"""The top navigation: one list of (endpoint, label, roles), shown when the endpoint exists."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from courseware.fragments import cached_fragment
from courseware.i18n import other_language, switch_language_url

NAV_ITEMS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("course.contents", _l("Module"), ("trainee", "trainer")),
    ("quiz.index", _l("Quiz"), ("trainee", "trainer")),
    ("workshop.index", _l("Workshop"), ("trainee",)),
    ("feedback.index", _l("Feedback"), ("trainee",)),
    ("trainer.cohorts", _l("Cohorts"), ("trainer",)),
)


def nav_items() -> list[dict[str, Any]]:
    """The links the signed-in user may follow, marking the current area."""
    if not current_user.is_authenticated:
        return []
    current_area = (request.endpoint or "").split(".")[0]
    return [
        {"endpoint": endpoint, "label": label, "current": endpoint.split(".")[0] == current_area}
        for endpoint, label, roles in NAV_ITEMS
        if current_user.role in roles and endpoint in current_app.view_functions
    ]


def site_nav() -> Markup:
    """Return the header's brand, language switch and area links for this page and role."""
    switch_url = switch_language_url(other_language())
    if request.query_string:
        # Any query string would make a key of its own: render such pages without the cache.
        return Markup(render_template("_site_nav.html"))  # noqa: S704 # nosec B704
    # The links depend on the role and the page (request.endpoint is in every key), never on
    # who the user is: the name and the sign-out form stay outside.
    role = current_user.role if current_user.is_authenticated else None
    return cached_fragment("_site_nav.html", (role, switch_url))


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"nav_items": nav_items, "site_nav": site_nav})
