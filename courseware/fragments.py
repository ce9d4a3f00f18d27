"""Rendered pieces of pages kept per worker, keyed by everything their HTML depends on."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    get_flashed_messages,
    render_template,
    request,
    session,
)
from flask_login import current_user
from markupsafe import Markup, escape

from courseware.i18n import current_language
from courseware.security import csrf_token

# A module page's article is about 10 KB: a full cache costs a worker a few tens of MB at most.
FRAGMENT_CACHE_SIZE = 2048
# A whole page is 6 to 35 KB (a quiz attempt): 512 of them cost a worker at most about 18 MB.
PAGE_CACHE_SIZE = 512

# Where a shared page holds the signed-in user's name and form token until a request fills
# them in (private-use characters: no content or markup contains them).
NAME_HOLE = "\ue000name\ue000"
TOKEN_HOLE = "\ue000csrf\ue000"  # noqa: S105 # nosec B105: a placeholder
_HOLES = re.compile(f"({NAME_HOLE}|{TOKEN_HOLE})")
_NAME_HOLE_BYTES, _TOKEN_HOLE_BYTES = NAME_HOLE.encode(), TOKEN_HOLE.encode()


class FragmentCache:
    """A least-recently-used map, safe across threads: rendered HTML, and what pages are built from."""

    def __init__(self, size: int = FRAGMENT_CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
            return html

    def put(self, key: Hashable, html: Any) -> None:
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def app_cache(name: str, size: int) -> FragmentCache:
    """Return the app's cache kept under `name` in its extensions, made on first use."""
    cache = current_app.extensions.get(name)
    if cache is None:
        cache = current_app.extensions.setdefault(name, FragmentCache(size))
    return cache


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


# Lists whose items are kept (a cohort's dashboard rows in one language, say), apart from the
# fragments so that a long list pushes none of them out: a cohort of 500 takes about 0.5 MB.
ITEM_LIST_CACHE_SIZE = 64
# Where a partial rendering a list of items ends each one, and where a page puts the items'
# HTML: markup, which no escaped text (a trainee's name, say) can contain.
ITEM_BREAK = Markup("<!--item-->")
ITEMS_HOLE = Markup("<!--items-->")


def cached_items(template: str, key: tuple[Hashable, ...], items: Sequence[Hashable],
                 **context: Any) -> list[Markup]:
    """Return the HTML of every item in order, rendering only those the list did not show.

    An item is a hashable value holding everything its HTML depends on apart from `key`,
    the language and the context (a named tuple of a table row's data, say): an item that
    changes is a new item, rendered afresh, so a change shows at once. `key` names the list
    and everything in the context the items' HTML depends on. The partial gets the items to
    render as `items` and writes each one followed by `item_break`, nothing outside its loop.
    The list keeps the items of its last rendering, whatever their order: one lookup per
    page, and an item that changed or left the list is dropped with it. Put the parts into
    the page with render_with_items.
    """
    cache: FragmentCache = current_app.extensions["fragment_lists"]
    list_key = (template, current_language(), request.script_root, request.endpoint, key)
    kept: dict[Hashable, Markup] = cache.get(list_key) or {}
    found = [kept.get(item) for item in items]
    if None in found:
        missing = [item for item, part in zip(items, found, strict=True) if part is None]
        html = render_template(template, items=missing, item_break=ITEM_BREAK, **context)
        *parts, rest = html.split(ITEM_BREAK)
        if len(parts) != len(missing) or rest.strip():
            raise RuntimeError(f"{template} wrote {len(parts)} items for {len(missing)}")
        fresh = {item: Markup(part)  # noqa: S704 # nosec B704: rendered with autoescape
                 for item, part in zip(missing, parts, strict=True)}
        found = [fresh[item] if part is None else part
                 for item, part in zip(items, found, strict=True)]
        cache.put(list_key, dict(zip(items, found, strict=True)))
    return found


def render_with_items(template: str, items_html: Sequence[Markup], **context: Any) -> str:
    """Render the page with the items' HTML joined where it writes `{{ items_html }}`.

    Joined here, not written by the template one by one: escaping 500 rows of Markup on
    their way into the page took a tenth of the dashboard's time.
    """
    head, hole, tail = render_template(template, items_html=ITEMS_HOLE, **context).partition(
        ITEMS_HOLE)
    if ITEMS_HOLE in tail or (items_html and not hole):
        raise RuntimeError(f"{template} must write items_html once, or not at all if none")
    return "".join([head, *items_html, tail])


class SharedViewer:
    """Stands in for current_user while a page is rendered for everyone with the same key.

    It knows the role and shows the name as a hole; reading anything else about the user
    fails loudly instead of baking one person's details into everybody's page.
    """

    is_authenticated = True
    is_anonymous = False
    name = Markup(NAME_HOLE)  # noqa: S704 # nosec B704: a constant

    def __init__(self, role: str) -> None:
        self.role = role

    @property
    def is_trainer(self) -> bool:
        return self.role == "trainer"

    def __getattr__(self, attribute: str) -> Any:
        raise RuntimeError(f"a shared page read current_user.{attribute}: "
                           "put it in the page's key or render the page with render_template")


def cached_page(template: str, key: tuple[Hashable, ...],
                build: Callable[[], dict[str, Any]] | None = None, *, viewer: Any = None,
                **context: Any) -> Response:
    """Render a signed-in user's page once per key, then fill in their name and form token.

    The key must name everything else the page shows (the language, the address and the
    role are added here); `build`, when given, is only called when the key is new. A page
    with flashed messages is rendered afresh: those show once. The page comes back as the
    response, its body UTF-8 bytes encoded once with the rest of the page. `viewer` is the
    signed-in user when the view has it already (current_user otherwise).
    """
    # Messages flashed for this page show once, on it: render it afresh. (Nothing reads them
    # before a shared page does, so they are still in the session if there are any.)
    if "_flashes" in session and get_flashed_messages():
        return _html(render_template(template, **context, **(build() if build else {})).encode())
    cache: FragmentCache = current_app.extensions["pages"]
    user = viewer or current_user._get_current_object()  # one lookup, not one per attribute
    role = user.role
    asked = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
    full_key = (template, current_language(), asked.script_root, asked.path,
                asked.query_string, role, key)
    parts = cache.get(full_key)
    if parts is None:
        if build is not None:
            context = {**context, **build()}
        html = render_template(template, **context, current_user=SharedViewer(role))
        # Every form's token (the header's sign-out form, a page's own form) is the session's.
        html = html.replace(csrf_token(), TOKEN_HOLE)
        parts = tuple(part.encode() for part in _HOLES.split(html))
        cache.put(full_key, parts)
    fill = {_NAME_HOLE_BYTES: str(escape(user.name)).encode(),
            _TOKEN_HOLE_BYTES: csrf_token().encode()}
    return _html(b"".join(fill[part] if index % 2 else part for index, part in enumerate(parts)))


def _html(body: bytes) -> Response:
    # Named in full, the type spares Werkzeug working it out (and raising and catching a
    # KeyError to learn that no header names it yet) on every page.
    return Response(body, content_type="text/html; charset=utf-8")


def init_app(app: Flask) -> None:
    # One cache per app: content is loaded per app, and tests build many apps. While
    # templates reload on change (flask run --debug), keep nothing, or an edit would not show.
    size = app.config.get("FRAGMENT_CACHE_SIZE", FRAGMENT_CACHE_SIZE)
    if app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"):
        size = 0
    app.extensions["fragments"] = FragmentCache(size)
    app.extensions["pages"] = FragmentCache(
        0 if size == 0 else app.config.get("PAGE_CACHE_SIZE", PAGE_CACHE_SIZE))
    app.extensions["fragment_lists"] = FragmentCache(0 if size == 0 else ITEM_LIST_CACHE_SIZE)
