"""Course content: load and validate content/{en,zh} once, at start-up, into immutable objects."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

LANGUAGES = ("en", "zh")
ORG_PLACEHOLDER = "{org}"
PAGE_FILE = re.compile(r"^(?P<order>\d{2})-(?P<slug>[a-z0-9-]+)\.md$")
REQUIRED_FRONT_MATTER = {"id": str, "order": int, "title": str, "summary": str}

# Content files that belong to an area: name -> (file name in each language, "module:function").
# The function takes (en_data, zh_data, en_path, zh_path), validates both languages against
# each other and returns an immutable object, or raises ContentError naming file and field
# (courseware.content_checks holds the checks the areas share).
AREA_CONTENT: dict[str, tuple[str, str]] = {
    "quiz": ("quiz.yaml", "courseware.quiz.bank:load_quiz"),
    "rubric": ("rubric.yaml", "courseware.trainer.rubric:load_rubric_content"),
    "workshop": ("workshop.yaml", "courseware.workshop.case:load_case_book"),
}

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False})


class ContentError(Exception):
    """A content file is missing, malformed, or disagrees with its translation."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class Role:
    label: str
    page: str
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    caption: str
    centre: Role
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class Page:
    id: str
    order: int
    title: str
    summary: str
    html: Markup
    blocks: tuple[Markup, ...]  # the body split into the units the side-by-side view pairs
    path: Path
    figure: Figure | None = None


@dataclass(frozen=True)
class Course:
    """All pages in both languages, and each area's content, keyed by area name."""

    pages: dict[str, tuple[Page, ...]]
    areas: dict[str, Any] = field(default_factory=dict)

    def page(self, lang: str, page_id: str) -> Page | None:
        return self._by_id.get((lang, page_id))

    @cached_property
    def _by_id(self) -> dict[tuple[str, str], Page]:
        # Every page view looks its page up: a dict, not a walk through the list.
        return {(lang, page.id): page for lang, pages in self.pages.items() for page in pages}

    def page_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pages[LANGUAGES[0]])

    def neighbours(self, lang: str, page_id: str) -> tuple[Page | None, Page | None]:
        pages = self.pages[lang]
        index = next(i for i, p in enumerate(pages) if p.id == page_id)
        previous = pages[index - 1] if index > 0 else None
        following = pages[index + 1] if index + 1 < len(pages) else None
        return previous, following


def with_org(value: str, org: str) -> Markup:
    """Put the organisation name where the content says {org}, escaping it."""
    text = value if isinstance(value, Markup) else escape(value)
    return Markup(str(text).replace(ORG_PLACEHOLDER, str(escape(org))))  # noqa: S704 # nosec B704: both escaped


def load_course(root: Path) -> tuple[Course | None, list[ContentError]]:
    """Load every content file under root; return the course, or the list of problems."""
    errors: list[ContentError] = []
    pages: dict[str, tuple[Page, ...]] = {}
    for lang in LANGUAGES:
        folder = root / lang
        if not folder.is_dir():
            errors.append(ContentError(folder, "the folder is missing"))
            continue
        loaded = []
        for path in sorted(folder.glob("*.md")):
            try:
                loaded.append(_load_page(path))
            except ContentError as error:
                errors.append(error)
        pages[lang] = tuple(sorted(loaded, key=lambda p: p.order))
    if not errors:
        errors.extend(_check_parity(pages, root))
    areas: dict[str, Any] = {}
    for name in AREA_CONTENT:
        try:
            areas[name] = load_area(root, name)
        except ContentError as error:
            errors.append(error)
    if errors:
        return None, errors
    return Course(pages=pages, areas=areas), []


# libyaml's parser where PyYAML was built with it: the same safe subset, parsed in C.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Parse YAML text into plain data (no tags that build objects)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 # nosec B506: a safe loader


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, reporting a syntax error with the file name and line."""
    if not path.is_file():
        raise ContentError(path, "the file is missing")
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(path, f"is not valid YAML: {error}") from None
    except UnicodeDecodeError:
        raise ContentError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise ContentError(path, f"cannot be read ({error.strerror})") from None


def load_area(root: Path, name: str) -> Any:
    """Read one registered area's file in both languages and return what its loader builds."""
    filename, loader = AREA_CONTENT[name]
    module_name, function_name = loader.split(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module_name), function_name)
    en_path, zh_path = root / "en" / filename, root / "zh" / filename
    return function(read_yaml(en_path), read_yaml(zh_path), en_path, zh_path)


def _load_page(path: Path) -> Page:
    match = PAGE_FILE.match(path.name)
    if not match:
        raise ContentError(path, "the file name must look like NN-slug.md (e.g. 01-scope.md)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, "is not UTF-8 text") from None
    front, body = _split_front_matter(path, text)
    for key, kind in REQUIRED_FRONT_MATTER.items():
        value = front.get(key)
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            raise ContentError(path, f"front matter needs '{key}' ({kind.__name__})")
    if front["id"] != match["slug"]:
        raise ContentError(path, f"front matter id '{front['id']}' differs from the file name")
    if front["order"] != int(match["order"]):
        raise ContentError(path, f"front matter order {front['order']} differs from the file name")
    tokens = _markdown.parse(body)
    if not tokens:
        raise ContentError(path, "the page has no text")
    return Page(
        id=front["id"],
        order=front["order"],
        title=front["title"].strip(),
        summary=front["summary"].strip(),
        # Markup: the HTML comes from our own Markdown with raw HTML switched off.
        html=Markup(_markdown.renderer.render(tokens, _markdown.options, {})),  # noqa: S704 # nosec B704
        blocks=tuple(Markup(block) for block in _render_blocks(tokens)),  # noqa: S704 # nosec B704
        path=path,
        figure=_figure(path, front.get("figure")),
    )


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        raise ContentError(path, "must start with front matter between '---' lines")
    end = text.find("\n---\n", 4)
    if end == -1:
        raise ContentError(path, "front matter is not closed by a '---' line")
    try:
        front = parse_yaml(text[4:end])
    except yaml.YAMLError as error:
        raise ContentError(path, f"front matter is not valid YAML: {error}") from None
    if not isinstance(front, dict):
        raise ContentError(path, "front matter must be a mapping of keys to values")
    return front, text[end + 5 :]


def _render_blocks(tokens: list[Token]) -> list[str]:
    """Split the body into top-level blocks, and each top-level list into its items."""
    blocks, start = [], 0
    while start < len(tokens):
        opening = tokens[start]
        end = _block_end(tokens, start)
        if opening.type in ("bullet_list_open", "ordered_list_open"):
            item = start + 1
            while item < end:
                item_end = _block_end(tokens, item)
                wrapped = [opening, *tokens[item : item_end + 1], tokens[end]]
                blocks.append(_markdown.renderer.render(wrapped, _markdown.options, {}))
                item = item_end + 1
        else:
            blocks.append(_markdown.renderer.render(tokens[start : end + 1], _markdown.options, {}))
        start = end + 1
    return blocks


def _block_end(tokens: list[Token], start: int) -> int:
    """Index of the token that closes the block opened at start."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _figure(path: Path, data: Any) -> Figure | None:
    if data is None:
        return None
    try:
        return Figure(
            caption=str(data["caption"]),
            centre=_role(data["centre"]),
            roles=tuple(_role(item) for item in data["roles"]),
        )
    except (KeyError, TypeError) as error:
        raise ContentError(path, f"figure needs caption, centre and roles ({error})") from None


def _role(data: dict[str, Any]) -> Role:
    return Role(label=str(data["label"]), page=str(data["page"]), parts=tuple(data.get("parts", ())))


def _check_parity(pages: dict[str, tuple[Page, ...]], root: Path) -> list[ContentError]:
    errors = []
    en, zh = ({p.id: p for p in pages[lang]} for lang in LANGUAGES)
    for missing in sorted(set(en) - set(zh)):
        errors.append(ContentError(root / "zh", f"page '{missing}' has no Chinese version"))
    for missing in sorted(set(zh) - set(en)):
        errors.append(ContentError(root / "en", f"page '{missing}' has no English version"))
    orders = [p.order for p in pages["en"]]
    if orders != list(range(1, len(orders) + 1)):
        errors.append(ContentError(root / "en", f"page orders must run 1, 2, 3... (found {orders})"))
    for page_id in sorted(set(en) & set(zh)):
        english, chinese = en[page_id], zh[page_id]
        if english.order != chinese.order:
            errors.append(ContentError(chinese.path, "order differs from the English page"))
        if len(english.blocks) != len(chinese.blocks):
            errors.append(
                ContentError(
                    chinese.path,
                    f"has {len(chinese.blocks)} paragraphs or list items, the English page "
                    f"{len(english.blocks)}: the side-by-side view pairs them one to one",
                )
            )
        if _figure_shape(english.figure) != _figure_shape(chinese.figure):
            errors.append(ContentError(chinese.path, "figure differs from the English page's"))
        for role in _figure_roles(english.figure):
            if role.page not in en:
                errors.append(ContentError(english.path, f"figure links to unknown page {role.page}"))
    return errors


def _figure_roles(figure: Figure | None) -> tuple[Role, ...]:
    return () if figure is None else (figure.centre, *figure.roles)


def _figure_shape(figure: Figure | None) -> tuple[tuple[str, int], ...]:
    return tuple((role.page, len(role.parts)) for role in _figure_roles(figure))
