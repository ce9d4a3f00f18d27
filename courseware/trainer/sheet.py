"""A trainer's grade sheet for one submission: chosen levels, comments, totals, validation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from courseware.trainer.rubric import Rubric

# Generous on purpose: lengthy feedback is the point; the limit only stops abuse.
MAX_COMMENT_CHARS = 10_000
OVERALL_FIELD = "overall"


@dataclass(frozen=True)
class GradeProblem:
    """Why some grading input or action was refused; views turn `code` into a sentence."""

    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GradeSheet:
    """The trainer's marks: points per criterion id, a comment per criterion, an overall comment.

    A criterion without a chosen level is absent from `levels`. Comments are kept exactly as typed.
    """

    levels: Mapping[str, int] = field(default_factory=dict)
    comments: Mapping[str, str] = field(default_factory=dict)
    overall_comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "levels": dict(self.levels),
            "comments": dict(self.comments),
            "overall_comment": self.overall_comment,
        }

    @classmethod
    def from_dict(cls, raw: Any) -> GradeSheet:
        """Rebuild a sheet from to_dict() output, skipping malformed parts instead of raising."""
        if not isinstance(raw, Mapping):
            return cls()
        levels = raw.get("levels") if isinstance(raw.get("levels"), Mapping) else {}
        comments = raw.get("comments") if isinstance(raw.get("comments"), Mapping) else {}
        overall = raw.get("overall_comment")
        return cls(
            levels={
                str(key): value
                for key, value in levels.items()
                if isinstance(value, int) and not isinstance(value, bool)
            },
            comments={str(key): value for key, value in comments.items() if isinstance(value, str)},
            overall_comment=overall if isinstance(overall, str) else "",
        )

    def comment(self, criterion_id: str) -> str:
        """Return the comment on one criterion, or an empty string."""
        return self.comments.get(criterion_id, "")

    @property
    def has_any_comment(self) -> bool:
        """Tell whether the trainer wrote anything beyond whitespace."""
        texts = [self.overall_comment, *self.comments.values()]
        return any(text.strip() for text in texts)


def rubric_total(rubric: Rubric, levels: Mapping[str, int]) -> int:
    """Add up the points of the chosen levels; unknown criteria and off-rubric points count 0."""
    total = 0
    for criterion in rubric.criteria:
        level = criterion.level_for(levels.get(criterion.id))
        if level is not None:
            total += level.points
    return total


def missing_levels(rubric: Rubric, levels: Mapping[str, int]) -> tuple[str, ...]:
    """Return the ids of criteria that have no valid level chosen yet."""
    return tuple(
        criterion.id
        for criterion in rubric.criteria
        if criterion.level_for(levels.get(criterion.id)) is None
    )


def percent_of(total: int, maximum: int) -> int:
    """Return total as a whole percentage of maximum, rounded half up."""
    if maximum <= 0:
        return 0
    return (200 * total + maximum) // (2 * maximum)


def _parse_points(raw: Any) -> tuple[int | None, bool]:
    """Return (points or None for "no level", ok)."""
    if raw is None:
        return None, True
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, int):
        return raw, True
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None, True
        if text.isdecimal() and text.isascii():
            return int(text), True
    return None, False


def sheet_from_input(
    rubric: Rubric,
    levels: Mapping[str, Any],
    comments: Mapping[str, Any],
    overall_comment: Any,
) -> tuple[GradeSheet, tuple[GradeProblem, ...]]:
    """Build a sheet from raw form or JSON values and list what is wrong with them.

    Comments always survive into the sheet, even when something else is refused, so the
    page can show them again; a level that is not one of the criterion's levels is dropped
    and reported.
    """
    problems: list[GradeProblem] = []
    known = set(rubric.ids)
    for criterion_id in levels:
        if criterion_id not in known:
            problems.append(GradeProblem(criterion_id, "unknown_criterion"))
    for criterion_id in comments:
        if criterion_id not in known:
            problems.append(GradeProblem(criterion_id, "unknown_criterion"))

    chosen: dict[str, int] = {}
    kept_comments: dict[str, str] = {}
    for criterion in rubric.criteria:
        points, ok = _parse_points(levels.get(criterion.id))
        if not ok or (points is not None and criterion.level_for(points) is None):
            problems.append(
                GradeProblem(
                    criterion.id,
                    "not_a_level",
                    {"allowed": ", ".join(str(level.points) for level in criterion.levels)},
                )
            )
        elif points is not None:
            chosen[criterion.id] = points
        text = comments.get(criterion.id)
        text = text if isinstance(text, str) else ""
        if text:
            kept_comments[criterion.id] = text
        if len(text) > MAX_COMMENT_CHARS:
            problems.append(
                GradeProblem(criterion.id, "comment_too_long", {"max": MAX_COMMENT_CHARS})
            )

    overall = overall_comment if isinstance(overall_comment, str) else ""
    if len(overall) > MAX_COMMENT_CHARS:
        problems.append(GradeProblem(OVERALL_FIELD, "comment_too_long", {"max": MAX_COMMENT_CHARS}))
    sheet = GradeSheet(levels=chosen, comments=kept_comments, overall_comment=overall)
    return sheet, tuple(problems)
