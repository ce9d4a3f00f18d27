"""Load and validate the quiz question bank (content/<lang>/quiz.yaml)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from courseware.content import ContentError
from courseware.content_checks import (
    reject_unknown_fields,
    require_choice,
    require_id,
    require_list,
    require_mapping,
    require_text,
    require_unique_ids,
)


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


_QUESTION_KEYS = {"id", "type", "page", "prompt", "explanation", "options", "items"}


def parse_bank(
    raw: Any, path: Path | str, lang: str, page_ids: Collection[str] | None = None
) -> QuestionBank:
    """Validate parsed YAML and build the bank, naming the file and field of any problem."""
    root = require_mapping(raw, "", path, "a 'questions' list")
    entries = require_list(root.get("questions"), "questions", path, minimum=1)
    questions = tuple(
        _parse_question(entry, f"questions[{index}]", path, page_ids) for index, entry in enumerate(entries)
    )
    require_unique_ids([question.id for question in questions], "questions", path)
    return QuestionBank(lang=lang, questions=questions)


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
    entry = require_mapping(entry, where, path)
    reject_unknown_fields(entry, _QUESTION_KEYS, where, path)
    question_id = require_id(entry, "id", where, path)
    where = f"{where} (id '{question_id}')"
    question_type = QuestionType(require_choice(entry, "type", tuple(QuestionType), where, path))
    page = require_text(entry, "page", where, path)
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
        prompt=require_text(entry, "prompt", where, path),
        explanation=require_text(entry, "explanation", where, path),
        options=options,
        items=items,
    )


def _parse_options(raw: Any, question_type: QuestionType, where: str, path: Path | str) -> tuple[Option, ...]:
    options: list[Option] = []
    for index, entry in enumerate(require_list(raw, where, path, minimum=2, noun="options")):
        here = f"{where}[{index}]"
        entry = require_mapping(entry, here, path)
        reject_unknown_fields(entry, {"id", "text", "correct"}, here, path)
        correct = entry.get("correct", False)
        if not isinstance(correct, bool):
            raise ContentError(path, f"{here}.correct must be true or false")
        if correct and question_type is QuestionType.MATCHING:
            raise ContentError(path, f"{here}.correct is not used by matching questions")
        options.append(
            Option(
                id=require_id(entry, "id", here, path),
                text=require_text(entry, "text", here, path),
                correct=correct,
            )
        )
    require_unique_ids([option.id for option in options], where, path)
    return tuple(options)


def _parse_items(
    raw: Any, options: tuple[Option, ...], where: str, path: Path | str
) -> tuple[MatchItem, ...]:
    option_ids = {option.id for option in options}
    items: list[MatchItem] = []
    for index, entry in enumerate(require_list(raw, where, path, minimum=2, noun="items")):
        here = f"{where}[{index}]"
        entry = require_mapping(entry, here, path)
        reject_unknown_fields(entry, {"id", "text", "answer"}, here, path)
        answer = require_id(entry, "answer", here, path)
        if answer not in option_ids:
            raise ContentError(path, f"{here}.answer '{answer}' is not an option id")
        items.append(
            MatchItem(
                id=require_id(entry, "id", here, path),
                text=require_text(entry, "text", here, path),
                answer=answer,
            )
        )
    require_unique_ids([item.id for item in items], where, path)
    return tuple(items)


def _check_correct_count(
    question_type: QuestionType, options: tuple[Option, ...], where: str, path: Path | str
) -> None:
    correct = sum(option.correct for option in options)
    if question_type is QuestionType.SINGLE and correct != 1:
        raise ContentError(path, f"{where}.options must have exactly one correct option, not {correct}")
    if question_type is QuestionType.MULTIPLE and not 1 <= correct < len(options):
        raise ContentError(path, f"{where}.options must have at least one correct and one wrong option")


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
