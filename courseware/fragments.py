"""Rendered pieces of pages kept per worker, keyed by everything their HTML depends on."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app, render_template, request
from markupsafe import Markup

from courseware.i18n import current_language

# A module page's article is about 10 KB: a full cache costs a worker a few tens of MB at most.
FRAGMENT_CACHE_SIZE = 2048


class FragmentCache:
    """A least-recently-used map from a key to rendered HTML, safe across threads."""

    def __init__(self, size: int = FRAGMENT_CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Markup | None:
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
            return html

    def put(self, key: Hashable, html: Markup) -> None:
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def cached_fragment(template: str, key: tuple[Hashable, ...],
                    build: Callable[[], dict[str, Any]] | None = None, **context: Any) -> Markup:
    """Render the partial once per key and language, then reuse the HTML.

    The key must name everything else the partial's output depends on (the organisation
    name, the trainee's read pages, ...): the context is only read when the key is new, and
    `build`, when given, is only called then (for context that is costly to compute).
    Never key on something that identifies a user without it being the whole input.
    """
    cache: FragmentCache = current_app.extensions["fragments"]
    # The language picks the catalog and the /en or /zh of every link; the script root and
    # the endpoint are in every url_for the partial builds.
    full_key = (template, current_language(), request.script_root, request.endpoint, key)
    html = cache.get(full_key)
    if html is None:
        if build is not None:
            context = {**context, **build()}
        html = Markup(render_template(template, **context))  # noqa: S704 # nosec B704
        cache.put(full_key, html)
    return html


def init_app(app: Flask) -> None:
    # One cache per app: content is loaded per app, and tests build many apps. While
    # templates reload on change (flask run --debug), keep nothing, or an edit would not show.
    size = app.config.get("FRAGMENT_CACHE_SIZE", FRAGMENT_CACHE_SIZE)
    if app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"):
        size = 0
    app.extensions["fragments"] = FragmentCache(size)
