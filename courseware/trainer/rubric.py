"""The workshop rubric: content/<lang>/rubric.yaml loaded into frozen objects and validated."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from courseware.content import ContentError, parse_yaml

RUBRIC_FILENAME = "rubric.yaml"
MIN_LEVELS = 2
MAX_LEVELS = 6
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class RubricError(ValueError):
    """A rubric file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class RubricLevel:
    """One level of a rubric criterion: the points it is worth and what it looks like."""

    points: int
    label: str
    descriptor: str


@dataclass(frozen=True)
class RubricCriterion:
    """One rubric criterion with its levels, lowest points first."""

    id: str
    title: str
    description: str
    levels: tuple[RubricLevel, ...]

    @property
    def max_points(self) -> int:
        """Return the points of the highest level."""
        return self.levels[-1].points

    def level_for(self, points: int | None) -> RubricLevel | None:
        """Return the level worth exactly these points, or None."""
        for level in self.levels:
            if level.points == points:
                return level
        return None


@dataclass(frozen=True)
class Rubric:
    """A whole rubric in one language."""

    lang: str
    title: str
    criteria: tuple[RubricCriterion, ...]

    @property
    def max_points(self) -> int:
        """Return the best possible total."""
        return sum(criterion.max_points for criterion in self.criteria)

    @property
    def ids(self) -> tuple[str, ...]:
        """Return the criterion ids in display order."""
        return tuple(criterion.id for criterion in self.criteria)

    def criterion(self, criterion_id: str) -> RubricCriterion | None:
        """Return the criterion with this id, or None."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        return None


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RubricError(f"{where}: must be a non-empty text")
    return value.strip()


def _level(raw: Any, where: str) -> RubricLevel:
    if not isinstance(raw, Mapping):
        raise RubricError(f"{where}: must be a mapping with points, label and descriptor")
    points = raw.get("points")
    # bool is an int subclass; "points: yes" is a typo, not a score.
    if not isinstance(points, int) or isinstance(points, bool) or points < 0:
        raise RubricError(f"{where}.points: must be a whole number of zero or more")
    return RubricLevel(
        points=points,
        label=_text(raw.get("label"), f"{where}.label"),
        descriptor=_text(raw.get("descriptor"), f"{where}.descriptor"),
    )


def _criterion(raw: Any, where: str) -> RubricCriterion:
    if not isinstance(raw, Mapping):
        raise RubricError(f"{where}: must be a mapping with id, title, description and levels")
    criterion_id = raw.get("id")
    if not isinstance(criterion_id, str) or not _ID_PATTERN.match(criterion_id):
        raise RubricError(f"{where}.id: must be lower-case letters, digits and underscores")
    raw_levels = raw.get("levels")
    if not isinstance(raw_levels, list) or not MIN_LEVELS <= len(raw_levels) <= MAX_LEVELS:
        raise RubricError(f"{where}.levels: must list {MIN_LEVELS} to {MAX_LEVELS} levels")
    levels = tuple(_level(item, f"{where}.levels[{i}]") for i, item in enumerate(raw_levels))
    points = [level.points for level in levels]
    if points != sorted(set(points)):
        raise RubricError(f"{where}.levels: points must be distinct and rise from level to level")
    return RubricCriterion(
        id=criterion_id,
        title=_text(raw.get("title"), f"{where}.title"),
        description=_text(raw.get("description"), f"{where}.description"),
        levels=levels,
    )


def parse_rubric(raw: Any, lang: str, source: str) -> Rubric:
    """Validate a parsed rubric document and return it as a Rubric."""
    if not isinstance(raw, Mapping):
        raise RubricError(f"{source}: must be a mapping with title and criteria")
    raw_criteria = raw.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise RubricError(f"{source}: criteria: must list at least one criterion")
    criteria = tuple(
        _criterion(item, f"{source}: criteria[{i}]") for i, item in enumerate(raw_criteria)
    )
    seen: set[str] = set()
    for i, criterion in enumerate(criteria):
        if criterion.id in seen:
            raise RubricError(f"{source}: criteria[{i}].id: {criterion.id!r} is used twice")
        seen.add(criterion.id)
    return Rubric(lang=lang, title=_text(raw.get("title"), f"{source}: title"), criteria=criteria)


def load_rubric_file(path: Path, lang: str) -> Rubric:
    """Read and validate one rubric.yaml."""
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RubricError(f"{path}: cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise RubricError(f"{path}: is not valid YAML ({error})") from error
    return parse_rubric(raw, lang, str(path))


def check_translations_match(rubrics: Mapping[str, Rubric], reference: str = "en") -> None:
    """Raise RubricError unless every language has the reference's ids, order and points."""
    base = rubrics[reference]
    for lang, rubric in rubrics.items():
        where = f"{lang}/{RUBRIC_FILENAME}"
        if rubric.ids != base.ids:
            raise RubricError(
                f"{where}: criteria: ids {list(rubric.ids)} differ from "
                f"{reference}/{RUBRIC_FILENAME} {list(base.ids)}"
            )
        for i, (criterion, base_criterion) in enumerate(
            zip(rubric.criteria, base.criteria, strict=True)
        ):
            points = [level.points for level in criterion.levels]
            base_points = [level.points for level in base_criterion.levels]
            if points != base_points:
                raise RubricError(
                    f"{where}: criteria[{i}].levels: points {points} differ from "
                    f"{reference}/{RUBRIC_FILENAME} {base_points}"
                )


def load_rubrics(content_dir: Path, langs: tuple[str, ...] = ("en", "zh")) -> dict[str, Rubric]:
    """Load the rubric in every language and check the translations line up."""
    rubrics = {lang: load_rubric_file(content_dir / lang / RUBRIC_FILENAME, lang) for lang in langs}
    check_translations_match(rubrics, reference=langs[0])
    return rubrics


@dataclass(frozen=True)
class RubricSet:
    """The rubric in every language, checked to line up."""

    by_lang: tuple[Rubric, ...]

    def get(self, lang: str) -> Rubric:
        """Return the rubric in this language, or the first language's as a fallback."""
        return next((rubric for rubric in self.by_lang if rubric.lang == lang), self.by_lang[0])


def load_rubric_content(en_data: Any, zh_data: Any, en_path: Path, zh_path: Path) -> RubricSet:
    """Load the rubric for the app's content registry, reporting problems as ContentError."""

    rubrics: dict[str, Rubric] = {}
    for lang, data, path in (("en", en_data, en_path), ("zh", zh_data, zh_path)):
        try:
            rubrics[lang] = parse_rubric(data, lang, str(path))
        except RubricError as error:
            raise ContentError(path, str(error).removeprefix(f"{path}: ")) from None
    try:
        check_translations_match(rubrics)
    except RubricError as error:
        raise ContentError(zh_path, str(error).split(": ", 1)[1]) from None
    return RubricSet(by_lang=(rubrics["en"], rubrics["zh"]))
