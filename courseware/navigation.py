"""The top navigation: one list of (endpoint, label, roles), shown when the endpoint exists."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from courseware.render_cache import piece
from courseware.trainer.feedback import feedback_news

NAV_ITEMS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("course.contents", _l("Module"), ("trainee", "trainer")),
    ("quiz.index", _l("Quiz"), ("trainee", "trainer")),
    ("workshop.index", _l("Workshop"), ("trainee",)),
    ("feedback.index", _l("Feedback"), ("trainee",)),
    ("trainer.cohorts", _l("Cohorts"), ("trainer",)),
)


def nav_items(role: str | None, endpoint: str | None) -> list[dict[str, Any]]:
    """The links a user of `role` may follow from `endpoint`, marking the current area."""
    if role is None:
        return []
    current_area = (endpoint or "").split(".")[0]
    return [
        {"endpoint": item, "label": label, "current": item.split(".")[0] == current_area}
        for item, label, roles in NAV_ITEMS
        if role in roles and item in current_app.view_functions
    ]


def site_nav() -> Markup:
    """The header's area links, as a piece shared by one role on one kind of page.

    They follow from the role, the endpoint and whether feedback is new, never from who
    asks: the account item with the user's name stays in base.html.
    """
    role = current_user.role if current_user.is_authenticated else None
    news = feedback_news() is not None

    return piece("_site_nav.html", (role, news),
                 lambda: {"items": nav_items(role, request.endpoint), "news": news})


def init_app(app: Flask) -> None:
    # A context processor, not a global: pieces see no context processor, so none can hold
    # the header of whoever rendered it first.
    app.context_processor(lambda: {"site_nav": site_nav})
