"""The checks every area's YAML loader shares, each raising ContentError that names file and field.

`where` is the field as a content author finds it in the file, such as `questions[3].options`;
an empty `where` is the file's top level. Each area keeps its own domain rules beside its loader.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from courseware.content import ContentError

# Ids that end up in URLs and form fields: lower-case words joined by hyphens.
SLUG_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_ID_RULE = "a lower-case id of letters, digits and hyphens"


def _field(where: str, key: str) -> str:
    """Return the name of `key` inside `where`, as an author would point at it."""
    return f"{where}.{key}" if where else key


def _fail(path: Path | str, where: str, problem: str) -> ContentError:
    """Return the error for `where`; at the top level the problem is the file's own."""
    return ContentError(path, f"{where} {problem}" if where else problem)


def require_mapping(value: Any, where: str, path: Path | str, fields: str = "") -> Mapping[str, Any]:
    """Return `value` if it is a mapping; `fields` tells the author what it should hold."""
    if not isinstance(value, Mapping):
        raise _fail(path, where, f"must be a mapping with {fields}" if fields else "must be a mapping")
    return value


def reject_unknown_fields(
    entry: Mapping[str, Any], allowed: Collection[str], where: str, path: Path | str
) -> None:
    """Refuse fields the loader would ignore: they are usually a misspelt field name."""
    unknown = set(entry) - set(allowed)
    if unknown:
        raise _fail(path, where, f"has unknown field(s) {sorted(unknown)}")


def require_text(entry: Mapping[str, Any], key: str, where: str, path: Path | str) -> str:
    """Return the field's text without surrounding white space; blank text counts as missing."""
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, f"{_field(where, key)} must be non-empty text")
    return value.strip()


def require_choice(
    entry: Mapping[str, Any], key: str, choices: Sequence[str], where: str, path: Path | str
) -> str:
    """Return the field's value if it is one of `choices`, listing them if it is not."""
    value = entry.get(key)
    text = value.strip() if isinstance(value, str) else value
    if text not in choices:
        raise ContentError(path, f"{_field(where, key)} must be one of {', '.join(choices)}")
    return text


def require_id(
    entry: Mapping[str, Any],
    key: str,
    where: str,
    path: Path | str,
    pattern: re.Pattern[str] = SLUG_ID,
    rule: str = SLUG_ID_RULE,
) -> str:
    """Return the field's id if it matches `pattern`; `rule` says the pattern in words."""
    value = entry.get(key)
    if not isinstance(value, str) or not pattern.match(value):
        raise ContentError(path, f"{_field(where, key)} must be {rule}")
    return value


def require_list(
    value: Any,
    where: str,
    path: Path | str,
    minimum: int = 0,
    maximum: int | None = None,
    noun: str = "entries",
) -> list[Any]:
    """Return `value` if it is a list of `minimum` to `maximum` entries (`noun` names them)."""
    if isinstance(value, list) and len(value) >= minimum and (maximum is None or len(value) <= maximum):
        return value
    if maximum is not None:
        expected = f"must be a list of {minimum} to {maximum} {noun}"
    elif minimum > 1:
        expected = f"must be a list of at least {minimum} {noun}"
    elif minimum == 1:
        expected = "must be a non-empty list"
    else:
        expected = "must be a list"
    # Saying how many there are spares the author counting a long list.
    if isinstance(value, list) and value:
        expected += f" (it has {len(value)})"
    raise _fail(path, where, expected)


def require_unique_ids(ids: Sequence[str], where: str, path: Path | str) -> None:
    """Refuse a list whose entries repeat an id, naming the entry that repeats it."""
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            raise ContentError(path, f"{where}[{index}].id '{value}' is used twice")
        seen.add(value)
