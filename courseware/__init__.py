"""KAM Courseware: a bilingual courseware app for a Key Account Management course."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.http import parse_cookie
from werkzeug.utils import cached_property

from courseware import cli, config, content, db, fragments, i18n, navigation, security, templating
from courseware.auth import login_manager
from courseware.auth.session import CoursewareSessionInterface

# Views and hooks number a few dozen; the bound keeps one-off callables from accumulating.
SYNCED_FUNCTIONS = 512
# One entry per browser seen recently (a signed-in browser sends the same Cookie header on
# every request until its session cookie is re-signed, once a minute).
PARSED_COOKIE_HEADERS = 4096


@lru_cache(maxsize=PARSED_COOKIE_HEADERS)
def _parse_cookie_header(header: str) -> ImmutableMultiDict[str, str]:
    return parse_cookie(header, cls=ImmutableMultiDict)


class CoursewareRequest(Request):
    """Flask's request, parsing each distinct Cookie header once per worker.

    It also holds WTForms' catalog for Flask-WTF, found only when a form asks for it.
    """

    wtforms_translations = cached_property(lambda self: i18n.wtforms_translations())

    @cached_property
    def cookies(self) -> ImmutableMultiDict[str, str]:
        # The parsed cookies cannot be changed, so one parse serves every request that sends
        # exactly this header; the session cookie and the language are read on each request.
        return _parse_cookie_header(self.environ.get("HTTP_COOKIE", ""))


class Courseware(Flask):
    """Flask, asking once per view or hook whether it is a coroutine instead of per request.

    Flask asks for every view and every before/after/teardown hook on every request; with
    a dozen hooks that was a tenth of a cached page's own time.
    """

    request_class = CoursewareRequest

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
