"""A live question in both languages, where it comes from, and its answers checked and tallied.

Plain data: the views store a question's `body` as JSON and read it back with `from_body`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from courseware.live import tally

KINDS = ("single", "multiple", "text", "points", "ranking")
CHOICE_KINDS = ("single", "multiple")
OPTION_KINDS = ("single", "multiple", "points", "ranking")
LANGS = ("en", "zh")
MAX_TEXT = 500  # an open answer's characters: a sentence or two for the board
MAX_OPTIONS = 14  # the workshop's candidates fit a ranking
MAX_PROMPT = 1000  # a question or an explanation the projector can still show
MAX_OPTION = 200
# The ready-made 100-point question over the case's figures; the workshop debrief reads it.
CRITERIA_SOURCE = "case:criteria"


@dataclass(frozen=True)
class LiveOption:
    id: str
    text: Mapping[str, str]  # by language; a language the trainer left empty falls back
    correct: bool = False


@dataclass(frozen=True)
class LiveQuestion:
    kind: str
    prompt: Mapping[str, str]
    options: tuple[LiveOption, ...] = ()
    explanation: Mapping[str, str] = field(default_factory=dict)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)

    @property
    def has_answer(self) -> bool:
        """Whether a reveal has something to show beyond the room's results."""
        return any(option.correct for option in self.options) or any(self.explanation.values())


def in_lang(texts: Mapping[str, str], lang: str) -> str:
    """The text in this language, or in the other when the trainer wrote only that one."""
    return texts.get(lang) or next((texts[other] for other in LANGS if texts.get(other)), "")


def to_body(question: LiveQuestion) -> str:
    """The question as stored."""
    return json.dumps({
        "prompt": dict(question.prompt),
        "options": [{"id": option.id, "text": dict(option.text), "correct": option.correct}
                    for option in question.options],
        "explanation": dict(question.explanation or {}),
    }, ensure_ascii=False, sort_keys=True)


def from_body(kind: str, body: str) -> LiveQuestion:
    """The stored question."""
    data = json.loads(body)
    return LiveQuestion(kind, data["prompt"], tuple(
        LiveOption(option["id"], option["text"], option["correct"]) for option in data["options"]
    ), data.get("explanation") or {})


def from_bank(by_lang: Mapping[str, Any]) -> LiveQuestion:
    """A quiz-bank choice question (one `bank.Question` per language) as a live question."""
    first = by_lang["en"]
    return LiveQuestion(
        first.type.value,
        {lang: question.prompt for lang, question in by_lang.items()},
        tuple(LiveOption(option.id, {lang: question.option(option.id).text
                                     for lang, question in by_lang.items()}, option.correct)
              for option in first.options),
        {lang: question.explanation for lang, question in by_lang.items()},
    )


def criteria_question(prompt: Mapping[str, str],
                      figures_by_lang: Mapping[str, Sequence[Any]]) -> LiveQuestion:
    """A 100-point question over the case's figures: each option's id is the figure's id.

    `figures_by_lang` holds each language's `Figure`s (anything with `id` and `label`), in
    the case's order, which is the same in every language.
    """
    first = next(iter(figures_by_lang.values()))
    return LiveQuestion("points", dict(prompt), tuple(
        LiveOption(figure.id, {lang: next(f.label for f in figures if f.id == figure.id)
                               for lang, figures in figures_by_lang.items()})
        for figure in first))


class _NestedList(HTMLParser):
    """Reads a page's list of questions, each with its answer in a list inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.pairs: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "ul":
            self.depth += 1
        elif tag == "li" and self.depth == 1:
            self.pairs.append(["", ""])
        elif tag == "li" and self.depth == 2 and self.pairs and self.pairs[-1][1]:
            self.pairs[-1][1] += " "

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.pairs and self.depth in (1, 2):
            self.pairs[-1][self.depth - 1] += data


def discussion_questions(html_by_lang: Mapping[str, str]) -> tuple[LiveQuestion, ...]:
    """The discussion page's questions as open-text questions, each answer as the explanation."""
    parsed = {}
    for lang, html in html_by_lang.items():
        reader = _NestedList()
        reader.feed(html)
        parsed[lang] = [(" ".join(q.split()), " ".join(a.split())) for q, a in reader.pairs]
    count = min(len(pairs) for pairs in parsed.values())
    return tuple(LiveQuestion("text", {lang: parsed[lang][n][0] for lang in parsed}, (),
                              {lang: parsed[lang][n][1] for lang in parsed})
                 for n in range(count))


@dataclass(frozen=True)
class Written:
    """What a trainer typed for a question of their own, before it is checked."""

    kind: str
    prompt: Mapping[str, str]
    options: Sequence[Mapping[str, str]]  # each {"en": ..., "zh": ...}, blank lines left out
    correct: Sequence[int] = ()  # positions in `options`
    explanation: Mapping[str, str] = field(default_factory=dict)


def written_question(written: Written) -> LiveQuestion | str:
    """The trainer's question, or why it cannot be asked.

    Problems: 'kind', 'prompt' (no language has one), 'long' (a text past its limit),
    'options' (fewer than two, or too many),
    'correct' (a choice question without a right answer is fine; one marked right that is not
    an option is not), 'single' (a single choice with several right answers).
    """
    if written.kind not in KINDS:
        return "kind"
    prompt = {lang: written.prompt.get(lang, "").strip() for lang in LANGS}
    if not any(prompt.values()):
        return "prompt"
    options = [{lang: text.get(lang, "").strip() for lang in LANGS} for text in written.options]
    options = [option for option in options if any(option.values())]
    if written.kind == "text":
        options = []
    elif not 2 <= len(options) <= MAX_OPTIONS:
        return "options"
    explanation = {lang: written.explanation.get(lang, "").strip() for lang in LANGS}
    if (any(len(text) > MAX_PROMPT for text in (*prompt.values(), *explanation.values()))
            or any(len(text) > MAX_OPTION for option in options for text in option.values())):
        return "long"
    correct = set(written.correct) if written.kind in CHOICE_KINDS else set()
    if any(not 0 <= position < len(options) for position in correct):
        return "correct"
    if written.kind == "single" and len(correct) > 1:
        return "single"
    return LiveQuestion(written.kind, prompt, tuple(
        LiveOption(f"o{n + 1}", option, n in correct) for n, option in enumerate(options)
    ), explanation)


def answer_problem(question: LiveQuestion, answer: Any) -> str | None:
    """Why a posted answer cannot count, or None; the views word each problem.

    Answers: a list of option ids (single, multiple), a string (text), a mapping of option id
    to whole points (points), the option ids in order (ranking).
    """
    ids = question.option_ids
    if question.kind in CHOICE_KINDS:
        if not isinstance(answer, list) or not all(isinstance(item, str) for item in answer):
            return "shape"
        return tally.choice_problem(ids, answer, multiple=question.kind == "multiple")
    if question.kind == "text":
        if not isinstance(answer, str):
            return "shape"
        if not tally.normal_text(answer):
            return "empty"
        return "long" if len(answer) > MAX_TEXT else None
    if question.kind == "points":
        if not isinstance(answer, dict) or not all(
                isinstance(value, int) and not isinstance(value, bool) for value in answer.values()):
            return "shape"
        return tally.distribution_problem(ids, answer)
    if not isinstance(answer, list) or not all(isinstance(item, str) for item in answer):
        return "shape"
    return tally.ranking_problem(ids, answer)


def results(question: LiveQuestion, answers: Iterable[tuple[int, Any]]) -> dict[str, Any]:
    """The room's results as plain data for the screens: (answer id, answer) pairs in."""
    answers = list(answers)
    ids = question.option_ids
    values = [answer for _id, answer in answers]
    if question.kind in CHOICE_KINDS:
        counted = tally.multiple_choice_tally(ids, values)
        return {"respondents": counted.respondents,
                "options": [{"id": entry.option_id, "count": entry.count}
                            for entry in counted.counts]}
    if question.kind == "text":
        board = tally.open_text_board(answers)
        return {"respondents": len(values),
                "groups": [{"text": group.text, "count": group.count,
                            "answer_ids": list(group.answer_ids)} for group in board]}
    if question.kind == "points":
        spread = tally.distribution_tally(ids, values)
        return {"respondents": spread.respondents,
                "options": [{"id": option.option_id, "mean": round(option.mean, 1),
                             "spread": round(option.spread, 1), "low": option.low,
                             "high": option.high} for option in spread.options]}
    ranked = tally.ranking_tally(ids, values)
    return {"respondents": ranked.respondents,
            "agreement": None if ranked.agreement is None else round(ranked.agreement, 2),
            "options": [{"id": entry.option_id, "mean_rank": round(entry.mean_rank, 2)}
                        for entry in ranked.options]}
