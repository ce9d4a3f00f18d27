"""The application factory: configuration, content, database, extensions, blueprints, commands."""

from __future__ import annotations

from typing import Any

from flask import Flask

from courseware import (
    cli,
    config,
    db,
    errors,
    i18n,
    loaded_course,
    navigation,
    render_cache,
    request_checks,
    security,
    templating,
)
from courseware.auth.access import login_manager
from courseware.auth.users import dummy_hash


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, content, database, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(config.PROJECT_ROOT / "templates"),
    )
    config.configure(app, test_config)
    dummy_hash(app.config["PASSWORD_HASH_METHOD"])  # now, not on the first unknown email
    loaded_course.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    request_checks.init_app(app)
    errors.init_app(app)
    login_manager.init_app(app)
    navigation.init_app(app)
    templating.init_app(app)
    render_cache.init_app(app)
    cli.init_app(app)

    from courseware.auth.reset_views import bp as reset
    from courseware.auth.views import bp as auth
    from courseware.certificates.views import bp as certificates
    from courseware.certificates.views import init_app as certificates_init_app
    from courseware.certificates.views import public as verify
    from courseware.course.views import bp as course
    from courseware.debrief.views import bp as debrief
    from courseware.live.views import bp as live
    from courseware.lti.setup import init_app as lti_init_app
    from courseware.quiz.views import bp as quiz
    from courseware.trainer.accounts import bp as trainee_account
    from courseware.trainer.feedback import bp as feedback
    from courseware.trainer.feedback import init_app as feedback_init_app
    from courseware.trainer.views import bp as trainer
    from courseware.workshop.views import bp as workshop

    feedback_init_app(app)
    lti_init_app(app)
    certificates_init_app(app)
    for blueprint in (auth, reset, course, quiz, trainer, trainee_account, feedback, workshop,
                      live, debrief, certificates, verify):
        app.register_blueprint(blueprint)
    return app
