"""The workshop case: a consumer-products company and its candidate customers.

Loaded once from `content/<lang>/workshop.yaml` and validated; every error names
the file and the field. Both languages must describe the same candidates with
the same figures: only names and prose are translated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from courseware.content import ContentError
from courseware.content_checks import (
    require_choice,
    require_list,
    require_mapping,
    require_text,
    require_unique_ids,
)
from courseware.workshop.model import DIRECTIONS, FREQUENCIES, RESPONSIBILITIES

CATEGORIES = ("customer", "lost", "target")
RELATIONSHIPS = ("strong", "good", "neutral", "strained", "none")
FACTS = ("launch_partner", "new_region", "shares_forecasts")
MIN_CANDIDATES = 12
MAX_CANDIDATES = 16


@dataclass(frozen=True)
class Figure:
    """A number the KAM team has for every candidate, with its label and unit."""

    id: str
    label: str
    unit: str
    better: str  # the usual direction: "higher" or "lower" (cost to serve)


@dataclass(frozen=True)
class Candidate:
    """A customer the trainee may select as a key account."""

    id: str
    name: str
    segment: str
    category: str
    description: str
    figures: Mapping[str, float]
    facts: Mapping[str, bool]
    relationship: str


@dataclass(frozen=True)
class KpiExample:
    """A sample KPI offered on request; never copied into the trainee's form."""

    id: str
    name: str
    definition: str
    unit: str
    target: str
    frequency: str
    responsibility: str


@dataclass(frozen=True)
class Case:
    """The case brief, its figures and its candidates, in one language."""

    lang: str
    title: str
    brief: str  # may contain "{org}", replaced by the cohort's organisation name
    figures: tuple[Figure, ...]
    candidates: tuple[Candidate, ...]
    kpi_examples: tuple[KpiExample, ...] = ()

    def brief_for(self, org: str) -> str:
        """Return the brief with the cohort's organisation name filled in."""
        return self.brief.replace("{org}", org)

    def brief_paragraphs(self, org: str) -> tuple[str, ...]:
        """Return the brief's paragraphs, organisation filled in, line breaks joined."""
        joiner = "" if self.lang == "zh" else " "
        return tuple(
            joiner.join(line.strip() for line in block.splitlines() if line.strip())
            for block in self.brief_for(org).split("\n\n")
            if block.strip()
        )

    @cached_property
    def figure_ids(self) -> tuple[str, ...]:
        """Return the figures' ids in the case's order."""
        return tuple(figure.id for figure in self.figures)

    @cached_property
    def candidate_ids(self) -> tuple[str, ...]:
        """Return the candidates' ids in the case's order."""
        return tuple(candidate.id for candidate in self.candidates)

    def figure(self, figure_id: str) -> Figure | None:
        """Return the figure with this id, or None."""
        return next((figure for figure in self.figures if figure.id == figure_id), None)

    def candidate(self, candidate_id: str) -> Candidate | None:
        """Return the candidate with this id, or None."""
        return next((item for item in self.candidates if item.id == candidate_id), None)


@dataclass(frozen=True)
class CaseBook:
    """The case in every language, as registered in the content registry."""

    cases: tuple[Case, ...]

    def in_lang(self, lang: str) -> Case:
        """Return the case in this language (the first one if there is none)."""
        return next((case for case in self.cases if case.lang == lang), self.cases[0])


def load_case_book(en_data: Any, zh_data: Any, en_path: Path, zh_path: Path) -> CaseBook:
    """Build the case from both languages' parsed YAML (the content registry's loader)."""
    english = parse_case(en_data, en_path, "en")
    chinese = parse_case(zh_data, zh_path, "zh")
    check_translation(english, chinese, zh_path)
    return CaseBook(cases=(english, chinese))


def parse_case(data: Any, path: Path | str, lang: str) -> Case:
    """Validate parsed YAML and build a `Case`."""
    root = require_mapping(data, "", path)
    figures = tuple(
        _parse_figure(item, f"figures[{i}]", path)
        for i, item in enumerate(require_list(root.get("figures"), "figures", path))
    )
    figure_ids = [figure.id for figure in figures]
    require_unique_ids(figure_ids, "figures", path)
    raw_candidates = require_list(
        root.get("candidates"), "candidates", path, MIN_CANDIDATES, MAX_CANDIDATES, noun="candidates"
    )
    candidates = tuple(
        _parse_candidate(item, f"candidates[{i}]", path, figure_ids) for i, item in enumerate(raw_candidates)
    )
    require_unique_ids([candidate.id for candidate in candidates], "candidates", path)
    examples = tuple(
        _parse_example(item, f"kpi_examples[{i}]", path)
        for i, item in enumerate(require_list(root.get("kpi_examples", []), "kpi_examples", path))
    )
    require_unique_ids([example.id for example in examples], "kpi_examples", path)
    return Case(
        lang=lang,
        title=require_text(root, "title", "", path),
        brief=require_text(root, "brief", "", path),
        figures=figures,
        candidates=candidates,
        kpi_examples=examples,
    )


def check_translation(reference: Case, translation: Case, path: Path | str) -> None:
    """Raise ContentError unless `translation` has the same figures and candidates as `reference`."""
    differs = f"differs from the {reference.lang} case"
    if [f.id for f in reference.figures] != [f.id for f in translation.figures]:
        raise ContentError(path, f"figures ids differ from the {reference.lang} case")
    for figure, other in zip(reference.figures, translation.figures, strict=True):
        if figure.better != other.better:
            raise ContentError(path, f"figures.{figure.id}.better {differs}")
    if [c.id for c in reference.candidates] != [c.id for c in translation.candidates]:
        raise ContentError(path, f"candidates ids or order differ from the {reference.lang} case")
    if [(e.id, e.frequency, e.responsibility) for e in reference.kpi_examples] != [
        (e.id, e.frequency, e.responsibility) for e in translation.kpi_examples
    ]:
        raise ContentError(
            path, f"kpi_examples ids, frequencies or responsibilities differ from the {reference.lang} case"
        )
    for candidate, other in zip(reference.candidates, translation.candidates, strict=True):
        for attribute in ("category", "figures", "facts", "relationship"):
            if getattr(candidate, attribute) != getattr(other, attribute):
                raise ContentError(path, f"candidates.{candidate.id}.{attribute} {differs}")


def _parse_figure(data: Any, where: str, path: Path | str) -> Figure:
    item = require_mapping(data, where, path)
    return Figure(
        id=require_text(item, "id", where, path),
        label=require_text(item, "label", where, path),
        unit=require_text(item, "unit", where, path),
        better=require_choice(item, "better", DIRECTIONS, where, path),
    )


def _parse_example(data: Any, where: str, path: Path | str) -> KpiExample:
    item = require_mapping(data, where, path)
    return KpiExample(
        id=require_text(item, "id", where, path),
        name=require_text(item, "name", where, path),
        definition=require_text(item, "definition", where, path),
        unit=require_text(item, "unit", where, path),
        target=require_text(item, "target", where, path),
        frequency=require_choice(item, "frequency", FREQUENCIES, where, path),
        responsibility=require_choice(item, "responsibility", RESPONSIBILITIES, where, path),
    )


def _parse_candidate(data: Any, where: str, path: Path | str, figure_ids: list[str]) -> Candidate:
    item = require_mapping(data, where, path)
    category = require_choice(item, "category", CATEGORIES, where, path)
    relationship = require_choice(item, "relationship", RELATIONSHIPS, where, path)
    raw_figures = require_mapping(item.get("figures"), f"{where}.figures", path)
    if sorted(raw_figures) != sorted(figure_ids):
        raise ContentError(path, f"{where}.figures must give exactly {', '.join(figure_ids)}")
    figures: dict[str, float] = {}
    for figure_id in figure_ids:
        value = raw_figures[figure_id]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ContentError(path, f"{where}.figures.{figure_id} must be a number")
        figures[figure_id] = float(value)
    raw_facts = require_mapping(item.get("facts"), f"{where}.facts", path)
    facts: dict[str, bool] = {}
    for fact in FACTS:
        if not isinstance(raw_facts.get(fact), bool):
            raise ContentError(path, f"{where}.facts.{fact} must be true or false")
        facts[fact] = raw_facts[fact]
    return Candidate(
        id=require_text(item, "id", where, path),
        name=require_text(item, "name", where, path),
        segment=require_text(item, "segment", where, path),
        category=category,
        description=require_text(item, "description", where, path),
        figures=figures,
        facts=facts,
        relationship=relationship,
    )
