"""Load and validate the quiz question bank (content/<lang>/quiz.yaml)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from courseware.content import ContentError, parse_yaml


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    MATCHING = "matching"


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool = False


@dataclass(frozen=True)
class MatchItem:
    """One left-hand item of a matching question; `answer` is the id of its option."""

    id: str
    text: str
    answer: str


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    page: str
    prompt: str
    explanation: str
    options: tuple[Option, ...]
    items: tuple[MatchItem, ...] = ()

    @property
    def is_choice(self) -> bool:
        """Return True for single-choice and multiple-response questions."""
        return self.type is not QuestionType.MATCHING

    @property
    def correct_option_ids(self) -> frozenset[str]:
        """Return the ids of the correct options of a choice question."""
        return frozenset(option.id for option in self.options if option.correct)

    @property
    def option_ids(self) -> frozenset[str]:
        """Return the ids of every option."""
        return frozenset(option.id for option in self.options)

    def option(self, option_id: str) -> Option:
        """Return the option with this id."""
        return next(option for option in self.options if option.id == option_id)

    def item(self, item_id: str) -> MatchItem:
        """Return the matching item with this id."""
        return next(item for item in self.items if item.id == item_id)


@dataclass(frozen=True)
class QuestionBank:
    lang: str
    questions: tuple[Question, ...]

    def __contains__(self, question_id: object) -> bool:
        return any(question.id == question_id for question in self.questions)

    def get(self, question_id: str) -> Question:
        """Return the question with this id, raising KeyError if there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    @property
    def question_ids(self) -> tuple[str, ...]:
        """Return the question ids in bank order."""
        return tuple(question.id for question in self.questions)


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QUESTION_KEYS = {"id", "type", "page", "prompt", "explanation", "options", "items"}


def load_bank(path: Path, lang: str, page_ids: Collection[str] | None = None) -> QuestionBank:
    """Read one quiz.yaml and return its validated bank."""
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(path, "file is missing") from exc
    except yaml.YAMLError as exc:
        raise ContentError(path, f"is not valid YAML: {exc}") from exc
    return parse_bank(raw, path, lang, page_ids)


def load_banks(
    content_dir: Path,
    langs: Sequence[str] = ("en", "zh"),
    page_ids: Collection[str] | None = None,
) -> dict[str, QuestionBank]:
    """Load every language's bank and check they describe the same questions."""
    banks = {lang: load_bank(content_dir / lang / "quiz.yaml", lang, page_ids) for lang in langs}
    reference_lang = langs[0]
    for lang in langs[1:]:
        check_parity(banks[reference_lang], banks[lang], content_dir / lang / "quiz.yaml")
    return banks


def parse_bank(
    raw: Any, path: Path | str, lang: str, page_ids: Collection[str] | None = None
) -> QuestionBank:
    """Validate parsed YAML and build the bank, naming the file and field of any problem."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("questions"), list):
        raise ContentError(path, "must be a mapping with a 'questions' list")
    if not raw["questions"]:
        raise ContentError(path, "'questions' is empty")
    questions: list[Question] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw["questions"]):
        question = _parse_question(entry, f"questions[{index}]", path, page_ids)
        if question.id in seen:
            raise ContentError(path, f"questions[{index}].id '{question.id}' is used twice")
        seen.add(question.id)
        questions.append(question)
    return QuestionBank(lang=lang, questions=tuple(questions))


def check_parity(reference: QuestionBank, other: QuestionBank, path: Path | str) -> None:
    """Raise ContentError unless `other` differs from `reference` only in its texts."""
    if reference.question_ids != other.question_ids:
        missing = sorted(set(reference.question_ids) - set(other.question_ids))
        extra = sorted(set(other.question_ids) - set(reference.question_ids))
        raise ContentError(
            path,
            f"question ids differ from the {reference.lang} bank "
            f"(missing: {missing or 'none'}, extra: {extra or 'none'}, or a different order)",
        )
    for ref, alt in zip(reference.questions, other.questions, strict=True):
        where = f"question '{ref.id}'"
        if ref.type != alt.type:
            raise ContentError(
                path, f"{where}.type is '{alt.type}', the {reference.lang} bank says '{ref.type}'"
            )
        if ref.page != alt.page:
            raise ContentError(
                path, f"{where}.page is '{alt.page}', the {reference.lang} bank says '{ref.page}'"
            )
        ref_options = [(o.id, o.correct) for o in ref.options]
        if ref_options != [(o.id, o.correct) for o in alt.options]:
            raise ContentError(
                path,
                f"{where}.options differ from the {reference.lang} bank in ids, order or 'correct'",
            )
        if [(i.id, i.answer) for i in ref.items] != [(i.id, i.answer) for i in alt.items]:
            raise ContentError(
                path,
                f"{where}.items differ from the {reference.lang} bank in ids, order or 'answer'",
            )


def _parse_question(entry: Any, where: str, path: Path | str, page_ids: Collection[str] | None) -> Question:
    if not isinstance(entry, Mapping):
        raise ContentError(path, f"{where} must be a mapping")
    unknown = set(entry) - _QUESTION_KEYS
    if unknown:
        raise ContentError(path, f"{where} has unknown field(s) {sorted(unknown)}")
    question_id = _require_id(entry, "id", where, path)
    where = f"{where} (id '{question_id}')"
    try:
        question_type = QuestionType(entry.get("type"))
    except ValueError:
        allowed = ", ".join(t.value for t in QuestionType)
        raise ContentError(path, f"{where}.type must be one of {allowed}") from None
    page = _require_text(entry, "page", where, path)
    if page_ids is not None and page not in page_ids:
        raise ContentError(path, f"{where}.page '{page}' is not a page of the module")
    options = _parse_options(entry.get("options"), question_type, f"{where}.options", path)
    items: tuple[MatchItem, ...] = ()
    if question_type is QuestionType.MATCHING:
        items = _parse_items(entry.get("items"), options, f"{where}.items", path)
    elif "items" in entry:
        raise ContentError(path, f"{where}.items is only allowed on matching questions")
    _check_correct_count(question_type, options, where, path)
    return Question(
        id=question_id,
        type=question_type,
        page=page,
        prompt=_require_text(entry, "prompt", where, path),
        explanation=_require_text(entry, "explanation", where, path),
        options=options,
        items=items,
    )


def _parse_options(raw: Any, question_type: QuestionType, where: str, path: Path | str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise ContentError(path, f"{where} must be a list of at least two options")
    options: list[Option] = []
    for index, entry in enumerate(raw):
        here = f"{where}[{index}]"
        if not isinstance(entry, Mapping):
            raise ContentError(path, f"{here} must be a mapping")
        unknown = set(entry) - {"id", "text", "correct"}
        if unknown:
            raise ContentError(path, f"{here} has unknown field(s) {sorted(unknown)}")
        correct = entry.get("correct", False)
        if not isinstance(correct, bool):
            raise ContentError(path, f"{here}.correct must be true or false")
        if correct and question_type is QuestionType.MATCHING:
            raise ContentError(path, f"{here}.correct is not used by matching questions")
        options.append(
            Option(
                id=_require_id(entry, "id", here, path),
                text=_require_text(entry, "text", here, path),
                correct=correct,
            )
        )
    _check_unique([option.id for option in options], where, path)
    return tuple(options)


def _parse_items(
    raw: Any, options: tuple[Option, ...], where: str, path: Path | str
) -> tuple[MatchItem, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise ContentError(path, f"{where} must be a list of at least two items")
    option_ids = {option.id for option in options}
    items: list[MatchItem] = []
    for index, entry in enumerate(raw):
        here = f"{where}[{index}]"
        if not isinstance(entry, Mapping):
            raise ContentError(path, f"{here} must be a mapping")
        unknown = set(entry) - {"id", "text", "answer"}
        if unknown:
            raise ContentError(path, f"{here} has unknown field(s) {sorted(unknown)}")
        answer = _require_id(entry, "answer", here, path)
        if answer not in option_ids:
            raise ContentError(path, f"{here}.answer '{answer}' is not an option id")
        items.append(
            MatchItem(
                id=_require_id(entry, "id", here, path),
                text=_require_text(entry, "text", here, path),
                answer=answer,
            )
        )
    _check_unique([item.id for item in items], where, path)
    return tuple(items)


def _check_correct_count(
    question_type: QuestionType, options: tuple[Option, ...], where: str, path: Path | str
) -> None:
    correct = sum(option.correct for option in options)
    if question_type is QuestionType.SINGLE and correct != 1:
        raise ContentError(path, f"{where}.options must have exactly one correct option, not {correct}")
    if question_type is QuestionType.MULTIPLE and not 1 <= correct < len(options):
        raise ContentError(path, f"{where}.options must have at least one correct and one wrong option")


def _check_unique(ids: list[str], where: str, path: Path | str) -> None:
    duplicates = sorted({value for value in ids if ids.count(value) > 1})
    if duplicates:
        raise ContentError(path, f"{where} has duplicate id(s) {duplicates}")


def _require_text(entry: Mapping[str, Any], key: str, where: str, path: Path | str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, f"{where}.{key} must be non-empty text")
    return value.strip()


def _require_id(entry: Mapping[str, Any], key: str, where: str, path: Path | str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not _ID.match(value):
        raise ContentError(path, f"{where}.{key} must be a lower-case id of letters, digits and hyphens")
    return value


@dataclass(frozen=True)
class Quiz:
    """The question bank in every language, the same questions in each."""

    banks: Mapping[str, QuestionBank]

    def bank(self, lang: str) -> QuestionBank:
        """Return the bank in this language."""
        return self.banks[lang]

    @property
    def page_ids(self) -> frozenset[str]:
        """Return the ids of the module pages the questions come from."""
        return frozenset(question.page for question in next(iter(self.banks.values())).questions)


def load_quiz(en_data: Any, zh_data: Any, en_path: Path, zh_path: Path) -> Quiz:
    """Build the quiz from both languages' parsed YAML (the content registry's loader)."""
    english = parse_bank(en_data, en_path, "en")
    chinese = parse_bank(zh_data, zh_path, "zh")
    check_parity(english, chinese, zh_path)
    return Quiz(banks=MappingProxyType({"en": english, "zh": chinese}))
