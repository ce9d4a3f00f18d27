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

import yaml

from courseware.content import ContentError, parse_yaml
from courseware.workshop.model import DIRECTIONS, FREQUENCIES, RESPONSIBILITIES

CATEGORIES = ("customer", "lost", "target")
RELATIONSHIPS = ("strong", "good", "neutral", "strained", "none")
FACTS = ("launch_partner", "new_region", "shares_forecasts")
MIN_CANDIDATES = 12
MAX_CANDIDATES = 16


class CaseError(ValueError):
    """A workshop case file is missing something or contradicts itself."""


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


def load_area(en_data: Any, zh_data: Any, en_path: Path, zh_path: Path) -> CaseBook:
    """Validate both languages' case for the content registry, raising ContentError."""

    try:
        english = parse_case(en_data, en_path, "en")
        chinese = parse_case(zh_data, zh_path, "zh")
        check_translation(english, chinese, zh_path)
    except CaseError as error:
        raise ContentError(*str(error).split(": ", 1)) from None
    return CaseBook(cases=(english, chinese))


def load_case(path: Path, lang: str) -> Case:
    """Read and validate one language's case file."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CaseError(f"{path}: cannot read: {error}") from error
    return parse_case(data, path, lang)


def load_cases(content_dir: Path, langs: tuple[str, ...] = ("en", "zh")) -> dict[str, Case]:
    """Load the case in every language and check the translations agree."""
    cases = {lang: load_case(content_dir / lang / "workshop.yaml", lang) for lang in langs}
    reference_lang = langs[0]
    reference = cases[reference_lang]
    for lang in langs[1:]:
        check_translation(reference, cases[lang], content_dir / lang / "workshop.yaml")
    return cases


def parse_case(data: Any, source: Path | str, lang: str) -> Case:
    """Validate parsed YAML and build a `Case`."""
    where = _Where(str(source))
    root = where.mapping(data, "")
    figures = tuple(_parse_figure(item, where, f"figures[{i}]") for i, item in
                    enumerate(where.sequence(root.get("figures"), "figures")))
    figure_ids = [figure.id for figure in figures]
    where.unique(figure_ids, "figures")
    raw_candidates = where.sequence(root.get("candidates"), "candidates")
    if not MIN_CANDIDATES <= len(raw_candidates) <= MAX_CANDIDATES:
        where.fail("candidates", f"needs {MIN_CANDIDATES} to {MAX_CANDIDATES} entries, "
                                 f"has {len(raw_candidates)}")
    candidates = tuple(
        _parse_candidate(item, where, f"candidates[{i}]", figure_ids)
        for i, item in enumerate(raw_candidates)
    )
    where.unique([candidate.id for candidate in candidates], "candidates")
    examples = tuple(
        _parse_example(item, where, f"kpi_examples[{i}]")
        for i, item in enumerate(where.sequence(root.get("kpi_examples", []), "kpi_examples"))
    )
    where.unique([example.id for example in examples], "kpi_examples")
    return Case(
        lang=lang,
        title=where.text(root, "title", ""),
        brief=where.text(root, "brief", ""),
        figures=figures,
        candidates=candidates,
        kpi_examples=examples,
    )


def check_translation(reference: Case, translation: Case, source: Path | str) -> None:
    """Fail unless `translation` has the same figures and candidates as `reference`."""
    where = _Where(str(source))
    if [f.id for f in reference.figures] != [f.id for f in translation.figures]:
        where.fail("figures", f"ids differ from the {reference.lang} case")
    for figure, other in zip(reference.figures, translation.figures, strict=True):
        if figure.better != other.better:
            where.fail(f"figures.{figure.id}.better", f"differs from the {reference.lang} case")
    if [c.id for c in reference.candidates] != [c.id for c in translation.candidates]:
        where.fail("candidates", f"ids or order differ from the {reference.lang} case")
    if [(e.id, e.frequency, e.responsibility) for e in reference.kpi_examples] != [
        (e.id, e.frequency, e.responsibility) for e in translation.kpi_examples
    ]:
        where.fail("kpi_examples", f"ids, frequencies or responsibilities differ from the "
                                   f"{reference.lang} case")
    for candidate, other in zip(reference.candidates, translation.candidates, strict=True):
        for attribute in ("category", "figures", "facts", "relationship"):
            if getattr(candidate, attribute) != getattr(other, attribute):
                where.fail(f"candidates.{candidate.id}.{attribute}",
                           f"differs from the {reference.lang} case")


def _parse_figure(data: Any, where: _Where, path: str) -> Figure:
    item = where.mapping(data, path)
    better = where.text(item, "better", path)
    if better not in DIRECTIONS:
        where.fail(f"{path}.better", f"must be one of {', '.join(DIRECTIONS)}")
    return Figure(
        id=where.text(item, "id", path),
        label=where.text(item, "label", path),
        unit=where.text(item, "unit", path),
        better=better,
    )


def _parse_example(data: Any, where: _Where, path: str) -> KpiExample:
    item = where.mapping(data, path)
    frequency = where.text(item, "frequency", path)
    if frequency not in FREQUENCIES:
        where.fail(f"{path}.frequency", f"must be one of {', '.join(FREQUENCIES)}")
    responsibility = where.text(item, "responsibility", path)
    if responsibility not in RESPONSIBILITIES:
        where.fail(f"{path}.responsibility", f"must be one of {', '.join(RESPONSIBILITIES)}")
    return KpiExample(
        id=where.text(item, "id", path),
        name=where.text(item, "name", path),
        definition=where.text(item, "definition", path),
        unit=where.text(item, "unit", path),
        target=where.text(item, "target", path),
        frequency=frequency,
        responsibility=responsibility,
    )


def _parse_candidate(data: Any, where: _Where, path: str, figure_ids: list[str]) -> Candidate:
    item = where.mapping(data, path)
    category = where.text(item, "category", path)
    if category not in CATEGORIES:
        where.fail(f"{path}.category", f"must be one of {', '.join(CATEGORIES)}")
    relationship = where.text(item, "relationship", path)
    if relationship not in RELATIONSHIPS:
        where.fail(f"{path}.relationship", f"must be one of {', '.join(RELATIONSHIPS)}")
    raw_figures = where.mapping(item.get("figures"), f"{path}.figures")
    if sorted(raw_figures) != sorted(figure_ids):
        where.fail(f"{path}.figures", f"must give exactly {', '.join(figure_ids)}")
    figures: dict[str, float] = {}
    for figure_id in figure_ids:
        value = raw_figures[figure_id]
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value):
            where.fail(f"{path}.figures.{figure_id}", "must be a number")
        figures[figure_id] = float(value)
    raw_facts = where.mapping(item.get("facts"), f"{path}.facts")
    facts: dict[str, bool] = {}
    for fact in FACTS:
        if not isinstance(raw_facts.get(fact), bool):
            where.fail(f"{path}.facts.{fact}", "must be true or false")
        facts[fact] = raw_facts[fact]
    return Candidate(
        id=where.text(item, "id", path),
        name=where.text(item, "name", path),
        segment=where.text(item, "segment", path),
        category=category,
        description=where.text(item, "description", path),
        figures=figures,
        facts=facts,
        relationship=relationship,
    )


class _Where:
    """Build error messages that name the file and the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, problem: str) -> None:
        raise CaseError(f"{self.source}: {path or 'top level'}: {problem}")

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(path, "must be a mapping")
        return value

    def sequence(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, "must be a list")
        return value

    def text(self, item: Mapping[str, Any], key: str, path: str) -> str:
        value = item.get(key)
        field_path = f"{path}.{key}" if path else key
        if not isinstance(value, str) or not value.strip():
            self.fail(field_path, "must be a non-empty text")
        return value.strip()

    def unique(self, ids: list[str], path: str) -> None:
        seen: set[str] = set()
        for value in ids:
            if value in seen:
                self.fail(path, f"id {value!r} appears twice")
            seen.add(value)
