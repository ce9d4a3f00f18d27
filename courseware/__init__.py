"""KAM Courseware: a bilingual courseware app for a Key Account Management course."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app (see courseware.app).

    Imported here on call, so that the pure cores (scoring, grading, statistics, content)
    import without Flask.
    """
    from courseware.app import create_app as build

    return build(test_config)
