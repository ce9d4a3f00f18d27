"""The language prefix of every URL (/en/..., /zh/...) and locale selection."""

from __future__ import annotations

from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    after_this_request,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_babel import Babel, refresh
from flask_login import current_user

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

babel = Babel()


def preferred_language() -> str:
    """The remembered choice, else the browser's Accept-Language (any zh-* means Chinese)."""
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    for value, _quality in request.accept_languages:
        primary = value.lower().split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the page being served (for a 404, the language its address names)."""
    lang = g.get("lang")
    if lang:
        return lang
    prefix = request.path.lstrip("/").split("/", 1)[0]
    return prefix if prefix in LANGUAGES else preferred_language()


def other_language() -> str:
    """Return the language the page's switch offers."""
    return "zh" if current_language() == "en" else "en"


def switch_language_url(lang: str) -> str:
    """The same page in another language (the home page where that cannot be built)."""
    # The view's arguments no longer hold "lang": _pull_language moved it to g.
    # A form page re-shown after a POST links to the same address, fetched afresh.
    args = dict(request.view_args or {})
    rule = request.url_rule
    if rule and "GET" in (rule.methods or ()) and _app_expects_language(rule.endpoint):
        args["lang"] = lang
        query = request.query_string.decode("latin-1")
        return url_for(rule.endpoint, **args) + (f"?{query}" if query else "")
    return url_for("course.home", lang=lang)


def _pull_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "lang" in values:
        lang = values.pop("lang")
        if lang not in LANGUAGES:
            abort(404)
        g.lang = lang
        if request.cookies.get(COOKIE) != lang:
            after_this_request(_remember_language)


def _add_language(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" not in values and _app_expects_language(endpoint):
        values["lang"] = current_language()


def _app_expects_language(endpoint: str) -> bool:
    return current_app.url_map.is_endpoint_expecting(endpoint, "lang")


def _remember_language(response: Response) -> Response:
    # Only for a page whose language the cookie does not hold yet (see _pull_language).
    response.set_cookie(
        COOKIE, g.lang, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
        secure=request.is_secure,
    )
    return response


def _root() -> Response:
    return redirect(url_for("course.home", lang=preferred_language()))


def current_time_zone() -> str:
    """The zone times are shown in: the cohort's being looked at, the reader's cohort's, or the
    configured one (COURSEWARE_TIMEZONE), so a trainee in Shanghai reads Shanghai's day."""
    zone = g.get("time_zone")
    if not zone:
        user = current_user if has_request_context() else None
        zone = getattr(user, "cohort_time_zone", None)
    return zone or current_app.config["BABEL_DEFAULT_TIMEZONE"]


def use_time_zone(zone: str | None) -> None:
    """Show this request's times in the zone of the cohort it is about (a trainer's pages)."""
    if zone:
        g.time_zone = zone
        refresh()  # Flask-Babel keeps the first zone it was asked for


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=current_language, timezone_selector=current_time_zone)
    app.url_value_preprocessor(_pull_language)
    app.url_defaults(_add_language)
    app.add_url_rule("/", "root", _root)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        lang = current_language()
        return {
            "lang": lang,
            "html_lang": HTML_LANG[lang],
            "other_language": other_language(),
            "language_names": LANGUAGE_NAMES,
            "switch_language_url": switch_language_url,
        }
