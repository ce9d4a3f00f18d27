"""The top navigation: one list of (endpoint, label, roles), shown when the endpoint exists."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

NAV_ITEMS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("course.contents", _l("Module"), ("trainee", "trainer")),
    ("quiz.index", _l("Quiz"), ("trainee", "trainer")),
    ("workshop.index", _l("Workshop"), ("trainee",)),
    ("feedback.index", _l("Feedback"), ("trainee",)),
    ("trainer.cohorts", _l("Cohorts"), ("trainer",)),
    ("lti.courses", _l("LMS"), ("trainer",)),
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


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"nav_items": nav_items})
