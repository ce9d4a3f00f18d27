"""The application factory: configuration, content, database, extensions, blueprints, commands."""

from __future__ import annotations

from typing import Any

from flask import Flask

from courseware import cli, config, content, db, errors, i18n, navigation, render_cache, security, templating
from courseware.auth.access import login_manager


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, content, database, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(config.PROJECT_ROOT / "templates"),
    )
    config.configure(app, test_config)
    content.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    login_manager.init_app(app)
    navigation.init_app(app)
    templating.init_app(app)
    render_cache.init_app(app)
    cli.init_app(app)

    from courseware import auth, course, quiz, trainer, workshop

    for blueprint in (auth.bp, course.bp, quiz.bp, trainer.bp, trainer.feedback_bp, workshop.bp):
        app.register_blueprint(blueprint)
    return app
