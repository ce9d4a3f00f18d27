"""Requests no page of the app sends get a 4xx, never a 500.

- JSON nested thousands deep, or carrying lone surrogates ("\\udc80", which no page or
  database can hold), is unreadable JSON: every `get_json()` sees a 400's None.
- A JSON body goes only to the views that read JSON (`accepts_json`); a form view answers
  415 to it, rather than letting Flask-WTF read the JSON as form data.
- Ids in URLs are SQLite integers: 2^63 and more do not match a route (404).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.routing import IntegerConverter

SQLITE_MAX_INTEGER = 2**63 - 1

View = TypeVar("View", bound=Callable[..., Any])


class CheckedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing as unreadable what no page of the app would send."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = json.loads(s, **kwargs)
            # A lone surrogate cannot be encoded: checked once here, for every view.
            json.dumps(value, ensure_ascii=False).encode()
        except (RecursionError, UnicodeEncodeError) as error:
            raise ValueError("unreadable JSON") from error
        return value


class IdConverter(IntegerConverter):
    """`<int:...>` in the app's routes: a non-negative integer SQLite can hold."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (Werkzeug's name)
        kwargs.setdefault("max", SQLITE_MAX_INTEGER)
        super().__init__(map, *args, **kwargs)


def accepts_json(view: View) -> View:
    """Mark a view as one that reads a JSON body."""
    view.accepts_json = True  # type: ignore[attr-defined]
    return view


def _refuse_unexpected_json() -> None:
    if not request.is_json or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "accepts_json", False):
        raise UnsupportedMediaType()


def init_app(app: Flask) -> None:
    """Install the checks; before any blueprint, so that its routes use the id converter."""
    app.json = CheckedJSONProvider(app)
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_unexpected_json)
