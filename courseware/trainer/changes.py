"""What changed between two submitted versions of a workshop, for the trainer to read at a glance.

Everything here is pure: the view passes the translated names the changes are written with.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from courseware.workshop.model import (
    CUTOFF_TOP_N,
    Criterion,
    FigureMeasure,
    JudgementMeasure,
    Kpi,
    Workshop,
)

CRITERIA, CUTOFF, KEY_ACCOUNTS, JUSTIFICATION, KPIS = (
    "criteria", "cutoff", "key_accounts", "justification", "kpis")
KPI_FIELDS = ("name", "definition", "unit", "target", "frequency", "data_source", "responsibility")


@dataclass(frozen=True)
class ChangeNames:
    """The words the changes are written with, already translated."""

    judgement: str
    top_n: str
    min_score: str
    figure_names: Mapping[str, str] = field(default_factory=dict)
    direction_names: Mapping[str, str] = field(default_factory=dict)
    candidate_names: Mapping[str, str] = field(default_factory=dict)
    frequency_names: Mapping[str, str] = field(default_factory=dict)
    responsibility_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One field that differs: `item` names the criterion or KPI (empty for a whole section)."""

    section: str
    item: str
    field: str  # "added" and "removed" for a whole criterion or KPI
    before: str
    after: str


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _measure_fields(criterion: Criterion, names: ChangeNames) -> dict[str, str]:
    measure = criterion.measure
    if isinstance(measure, FigureMeasure):
        figure = names.figure_names.get(measure.figure, measure.figure)
        direction = names.direction_names.get(measure.direction, measure.direction)
        return {"measure": f"{figure} ({direction})",
                "thresholds": " / ".join(_number(value) for value in measure.thresholds)}
    if isinstance(measure, JudgementMeasure):
        scores = ", ".join(f"{names.candidate_names.get(cid, cid)}: {score}"
                           for cid, score in sorted(measure.scores.items()))
        anchors = "\n".join(f"{level}. {text}" for level, text in
                            enumerate(measure.anchors, start=1))
        return {"measure": names.judgement, "anchors": anchors, "scores": scores}
    return {}


def _criterion_fields(criterion: Criterion, names: ChangeNames) -> dict[str, str]:
    weight = "" if criterion.weight is None else f"{criterion.weight}%"
    return {"name": criterion.name, "description": criterion.description, "weight": weight,
            **_measure_fields(criterion, names)}


def _kpi_fields(kpi: Kpi, names: ChangeNames) -> dict[str, str]:
    values = {name: getattr(kpi, name) for name in KPI_FIELDS}
    values["frequency"] = names.frequency_names.get(kpi.frequency, kpi.frequency)
    values["responsibility"] = names.responsibility_names.get(kpi.responsibility, kpi.responsibility)
    return values


def _summary(fields: Mapping[str, str]) -> str:
    return " · ".join(value for value in fields.values() if value)


def _compare_lists(section: str, old: Sequence[dict[str, str]], new: Sequence[dict[str, str]],
                   number_word: str) -> list[Change]:
    """Compare two lists position by position: changed fields, then added or removed entries."""
    changes: list[Change] = []
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        label = (after or before or {}).get("name") or f"{number_word}{index + 1}"
        if before is None and after is not None:
            changes.append(Change(section, label, "added", "", _summary(after)))
        elif after is None and before is not None:
            changes.append(Change(section, label, "removed", _summary(before), ""))
        elif before is not None and after is not None:
            for key in dict.fromkeys([*before, *after]):
                if before.get(key, "") != after.get(key, ""):
                    changes.append(Change(section, label, key, before.get(key, ""),
                                          after.get(key, "")))
    return changes


def workshop_changes(
    old: Workshop,
    new: Workshop,
    old_key_accounts: Sequence[str],
    new_key_accounts: Sequence[str],
    names: ChangeNames,
) -> list[Change]:
    """Return every difference from the old version to the new, in the workshop's order."""
    changes = _compare_lists(
        CRITERIA, [_criterion_fields(c, names) for c in old.criteria],
        [_criterion_fields(c, names) for c in new.criteria], "#")

    def cutoff(workshop: Workshop) -> str:
        kind = names.top_n if workshop.cutoff.kind == CUTOFF_TOP_N else names.min_score
        return f"{kind}: {_number(workshop.cutoff.value)}"

    if cutoff(old) != cutoff(new):
        changes.append(Change(CUTOFF, "", "cutoff", cutoff(old), cutoff(new)))
    if list(old_key_accounts) != list(new_key_accounts):
        def accounts(ids: Sequence[str]) -> str:
            return ", ".join(names.candidate_names.get(cid, cid) for cid in ids)

        changes.append(Change(KEY_ACCOUNTS, "", "key_accounts", accounts(old_key_accounts),
                              accounts(new_key_accounts)))
    if old.justification != new.justification:
        changes.append(Change(JUSTIFICATION, "", "justification", old.justification,
                              new.justification))
    changes += _compare_lists(KPIS, [_kpi_fields(k, names) for k in old.kpis],
                              [_kpi_fields(k, names) for k in new.kpis], "KPI ")
    return changes


# Words, runs of space, or single characters of a script without spaces (Chinese): the units
# a trainer sees struck out or inserted.
_TOKENS = re.compile(r"[A-Za-z0-9_'’-]+|\s+|.", re.S)


def text_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Return the text as ("same" | "removed" | "added", piece) runs, word by word."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            runs.append(("removed", "".join(old[a1:a2])))
        if b2 > b1:
            runs.append(("added", "".join(new[b1:b2])))
    return runs
