"""KAM Courseware: a bilingual courseware app for a Key Account Management course."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from courseware import cli, config, content, db, fragments, i18n, navigation, security, templating
from courseware.auth import login_manager
from courseware.auth.session import CoursewareSessionInterface

# Views and hooks number a few dozen; the bound keeps one-off callables from accumulating.
SYNCED_FUNCTIONS = 512


class Courseware(Flask):
    """Flask, asking once per view or hook whether it is a coroutine instead of per request.

    Flask asks for every view and every before/after/teardown hook on every request; with
    a dozen hooks that was a tenth of a cached page's own time.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._synced: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        synced = self._synced.get(func)
        if synced is None:
            if len(self._synced) >= SYNCED_FUNCTIONS:
                self._synced.clear()  # one-off callables (after_this_request) must not pile up
            synced = self._synced[func] = super().ensure_sync(func)
        return synced


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, content, database, extensions, blueprints, commands."""
    app = Courseware(
        __name__,
        instance_relative_config=True,
        template_folder=str(config.PROJECT_ROOT / "templates"),
    )
    config.configure(app, test_config)
    app.session_interface = CoursewareSessionInterface()
    content.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    login_manager.init_app(app)
    navigation.init_app(app)
    templating.init_app(app)
    fragments.init_app(app)
    cli.init_app(app)

    from courseware import auth, course, quiz, trainer, workshop

    for blueprint in (auth.bp, course.bp, quiz.bp, trainer.bp, trainer.feedback_bp, workshop.bp):
        app.register_blueprint(blueprint)
    return app
