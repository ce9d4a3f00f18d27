"""The workshop rubric: content/<lang>/rubric.yaml loaded into frozen objects and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from courseware.content import ContentError
from courseware.content_checks import (
    require_id,
    require_list,
    require_mapping,
    require_text,
    require_unique_ids,
)

MIN_LEVELS = 2
MAX_LEVELS = 6
# Criterion ids name form fields and export columns, so they stay short identifiers.
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ID_RULE = "a lower-case id of up to 40 letters, digits and underscores, starting with a letter"


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


def _level(raw: Any, where: str, path: Path | str) -> RubricLevel:
    level = require_mapping(raw, where, path, "points, label and descriptor")
    points = level.get("points")
    # bool is an int subclass; "points: yes" is a typo, not a score.
    if not isinstance(points, int) or isinstance(points, bool) or points < 0:
        raise ContentError(path, f"{where}.points must be a whole number of zero or more")
    return RubricLevel(
        points=points,
        label=require_text(level, "label", where, path),
        descriptor=require_text(level, "descriptor", where, path),
    )


def _criterion(raw: Any, where: str, path: Path | str) -> RubricCriterion:
    criterion = require_mapping(raw, where, path, "id, title, description and levels")
    criterion_id = require_id(criterion, "id", where, path, _ID_PATTERN, _ID_RULE)
    raw_levels = require_list(
        criterion.get("levels"), f"{where}.levels", path, MIN_LEVELS, MAX_LEVELS, noun="levels"
    )
    levels = tuple(_level(item, f"{where}.levels[{i}]", path) for i, item in enumerate(raw_levels))
    points = [level.points for level in levels]
    if points != sorted(set(points)):
        raise ContentError(path, f"{where}.levels must have distinct points that rise from level to level")
    return RubricCriterion(
        id=criterion_id,
        title=require_text(criterion, "title", where, path),
        description=require_text(criterion, "description", where, path),
        levels=levels,
    )


def parse_rubric(raw: Any, lang: str, path: Path | str) -> Rubric:
    """Validate a parsed rubric document and return it as a Rubric."""
    document = require_mapping(raw, "", path, "title and criteria")
    raw_criteria = require_list(document.get("criteria"), "criteria", path, minimum=1)
    criteria = tuple(_criterion(item, f"criteria[{i}]", path) for i, item in enumerate(raw_criteria))
    require_unique_ids([criterion.id for criterion in criteria], "criteria", path)
    return Rubric(lang=lang, title=require_text(document, "title", "", path), criteria=criteria)


def check_translations_match(reference: Rubric, translation: Rubric, path: Path | str) -> None:
    """Raise ContentError unless the translation has the reference's ids, order and points."""
    if translation.ids != reference.ids:
        raise ContentError(
            path,
            f"criteria ids {list(translation.ids)} differ from the {reference.lang} rubric's "
            f"{list(reference.ids)}",
        )
    for i, (criterion, base) in enumerate(zip(translation.criteria, reference.criteria, strict=True)):
        points = [level.points for level in criterion.levels]
        base_points = [level.points for level in base.levels]
        if points != base_points:
            raise ContentError(
                path,
                f"criteria[{i}].levels points {points} differ from the {reference.lang} rubric's "
                f"{base_points}",
            )


@dataclass(frozen=True)
class RubricSet:
    """The rubric in every language, checked to line up."""

    by_lang: tuple[Rubric, ...]

    def get(self, lang: str) -> Rubric:
        """Return the rubric in this language, or the first language's as a fallback."""
        return next((rubric for rubric in self.by_lang if rubric.lang == lang), self.by_lang[0])


def load_rubric_content(en_data: Any, zh_data: Any, en_path: Path, zh_path: Path) -> RubricSet:
    """Build the rubric from both languages' parsed YAML (the content registry's loader)."""
    english = parse_rubric(en_data, "en", en_path)
    chinese = parse_rubric(zh_data, "zh", zh_path)
    check_translations_match(english, chinese, zh_path)
    return RubricSet(by_lang=(english, chinese))
