"""The course content as the app holds it: loaded and checked once, at start-up."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from courseware.content import ContentError, Course, load_course


def init_app(app: Flask) -> None:
    """Load the content once; refuse to start when any file is broken.

    An app may be handed a course already loaded (COURSEWARE_LOADED_COURSE): the tests build
    hundreds of apps on one parsed course, which never changes.
    """
    loaded = app.config.get("COURSEWARE_LOADED_COURSE")
    if loaded is not None:
        app.extensions["courseware.course"] = loaded
        return
    course, errors = load_course(Path(app.config["CONTENT_DIR"]))
    if errors:
        report = "\n".join(f"  - {error}" for error in errors)
        raise ContentError(app.config["CONTENT_DIR"], f"content is broken:\n{report}")
    app.extensions["courseware.course"] = course


def get_course() -> Course:
    """The course loaded at start-up."""
    return current_app.extensions["courseware.course"]
