"""Rendered pieces of pages that follow from content alone, kept per worker.

A piece is a partial template rendered from the values its key names, and nothing else:
a module page's article and contents list (the page, the organisation's name, which pages
are ticked), each option of a quiz question (ticked or not), the workshop's results (its
numbers), the header's area links (the role, whether feedback is new) and the page's frame
(stylesheets, footer). The key functions below are the one list of what each piece shows,
and each has a test that changing every input changes the piece.

A piece is rendered from its context alone: no context processor runs, so the signed-in
user, the session and the header's account item are out of its reach. Nothing personal
(a name, a token, anybody else's progress or answers) can be inside one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import Flask, current_app, request
from markupsafe import Markup

from courseware.i18n import current_language
from courseware.loaded_course import get_course
from courseware.quiz.bank import Option, Question, QuestionBank
from courseware.quiz.forms import choice_field, match_field
from courseware.quiz.scoring import Answer
from courseware.quiz.shuffle import shuffled_options
from courseware.workshop import messages
from courseware.workshop.case import Case
from courseware.workshop.model import Criterion, JudgementMeasure, Workshop
from courseware.workshop.presentation import DEFAULT_MAX_KEY_ACCOUNTS, review_context
from courseware.workshop.scoring import kpi_coverage, uncovered_responsibilities

HIDDEN_GLOBALS = ("request", "session", "g")
# A module page's article is about 10 KB: a full cache costs a worker a few tens of MB at most.
CACHE_SIZE = 2048


class LruCache:
    """A least-recently-used map, safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def page_scope() -> tuple[str, str, str | None]:
    """What every piece of this page follows besides its key: the language picks the catalog
    and the /en or /zh of every link; the script root and the endpoint are in every link."""
    return current_language(), request.script_root, request.endpoint


def piece(template: str, key: tuple[Hashable, ...], build: Callable[[], dict[str, Any]],
          scope: tuple[str, str, str | None] | None = None) -> Markup:
    """Render the partial from `build()` once per key and `page_scope()`, then reuse it.

    `key` must name everything `build` reads; `build` is only called when the key is new.
    A caller drawing many pieces passes the page's scope, found once.
    """
    cache: LruCache = current_app.extensions["render_cache"]
    full_key = (template, scope or page_scope(), key)
    html = cache.get(full_key)
    if html is None:
        html = render_alone(template, build())
        cache.put(full_key, html)
    return html


def render_alone(template: str, context: dict[str, Any]) -> Markup:
    """Render the partial from `context` and the course alone, as a piece is."""
    env = current_app.jinja_env
    # Flask's request, session and g are Jinja globals: hidden here, as the context
    # processors' current_user and the rest are, so reading them fails loudly.
    hidden = {name: env.undefined(name=name) for name in HIDDEN_GLOBALS}
    context = {**hidden, **context, "lang": current_language(), "endpoint": request.endpoint}
    return Markup(env.get_template(template).render(context))  # noqa: S704 # nosec B704


def init_app(app: Flask) -> None:
    # One cache per app: content is loaded per app, and tests build many apps. While
    # templates reload on change (flask run --debug), keep nothing, or an edit would not show.
    size = app.config.get("RENDER_CACHE_SIZE", CACHE_SIZE)
    if app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"):
        size = 0
    app.extensions["render_cache"] = LruCache(size)
    app.jinja_env.globals["frame"] = frame


# The pieces. Each names its inputs once: they are the key, and the template sees only them
# and what follows from them and the course content.


def frame(part: str) -> Markup:
    """The part of every page that follows from the language alone: "head" or "foot"."""
    return piece(f"_frame_{part}.html", (), dict)


def module_article(page_id: str, org: str) -> Markup:
    """A module page's text, title, figure and links to its neighbours."""

    def build() -> dict[str, Any]:
        course, lang = get_course(), current_language()
        previous, following = course.neighbours(lang, page_id)
        return {"page": course.page(lang, page_id), "previous": previous, "following": following,
                "total": len(course.pages[lang]), "org": org}

    return piece("course/_page_article.html", (page_id, org), build)


def contents_list(page_id: str | None, org: str, read: frozenset[str]) -> Markup:
    """The module's list of pages, ticking those read and marking the current one."""

    def build() -> dict[str, Any]:
        return {"pages": get_course().pages[current_language()], "current_id": page_id,
                "org": org, "read": read}

    return piece("course/_contents_list.html", (page_id, org, read), build)



def quiz_questions(bank: QuestionBank, token: str, answers: Mapping[str, Answer],
                   problems: Mapping[str, str]) -> Markup:
    """An attempt's questions in its own option order, with its answers and what is missing.

    `bank` is the quiz in the page's language, `token` the attempt's (it orders the options),
    `problems` the message shown at each question still to answer. The questions are drawn
    afresh around options that are pieces: attempts share every option's HTML whatever
    their order, so a class starting the quiz together costs little more than one trainee.
    """
    scope = page_scope()
    entries = []
    for question in bank.questions:
        answer = answers.get(question.id)
        options = shuffled_options(question, token)
        entry: dict[str, Any] = {"question": question, "problem": problems.get(question.id)}
        if question.type == "matching":
            pairs = answer.match_map if answer else {}
            entry["rows"] = [(item, Markup("").join(
                match_option(question, item.id, option, pairs.get(item.id) == option.id, scope)
                for option in options)) for item in question.items]
        else:
            chosen = answer.chosen if answer else frozenset()
            entry["options"] = Markup("").join(choice(question, option, option.id in chosen, scope)
                                               for option in options)
        entries.append(entry)
    return render_alone("quiz/_questions.html", {"questions": entries, "match_field": match_field})


def choice(question: Question, option: Option, chosen: bool,
           scope: tuple[str, str, str | None] | None = None) -> Markup:
    """One option of a single or multiple choice question, ticked or not."""
    return piece("quiz/_choice.html", (question.id, option.id, chosen), lambda: {
        "question": question, "option": option, "chosen": chosen, "choice_field": choice_field},
        scope)


def match_option(question: Question, item_id: str, option: Option, selected: bool,
                 scope: tuple[str, str, str | None] | None = None) -> Markup:
    """One option in the list of a matching question's item, selected or not."""
    return piece("quiz/_match_option.html", (question.id, item_id, option.id, selected),
                 lambda: {"option": option, "selected": selected}, scope)


def workshop_results(workshop: Workshop, case: Case, max_key_accounts: int | None) -> Markup:
    """The workshop's key accounts, chart, ranking and sensitivity, from its numbers."""
    return piece("workshop/_results.html", _results_key(workshop, max_key_accounts),
                 lambda: review_context(workshop, case, max_key_accounts))


def workshop_coverage(workshop: Workshop) -> Markup:
    """Which of the account manager's responsibilities the workshop's KPIs monitor."""
    return piece("workshop/_coverage.html", _coverage_key(workshop),
                 lambda: {"labels": messages, "result": {
                     "kpi_coverage": kpi_coverage(workshop.kpis),
                     "uncovered_responsibilities": uncovered_responsibilities(workshop.kpis)}})


def _results_key(workshop: Workshop, max_key_accounts: int | None) -> tuple[Hashable, ...]:
    """Return everything `workshop/_results.html` shows of a workshop, as a key for its rendered HTML.

    The ranking, chart and sensitivity follow from the criteria's names, weights and
    measures, the cut-off and the cohort's manageable number (and the case, by language):
    not from descriptions, anchors, the justification or the KPIs, so a save while the
    trainee writes those reuses the rendered results. Numbers go in by `repr`, so that
    4 and 4.0 or 0.0 and -0.0 never share an entry however the template shows them.
    """
    cutoff = workshop.cutoff
    return (max_key_accounts or DEFAULT_MAX_KEY_ACCOUNTS, cutoff.kind, repr(cutoff.value),
            tuple(_criterion_key(criterion) for criterion in workshop.criteria))


def _coverage_key(workshop: Workshop) -> tuple[Hashable, ...]:
    """Return everything `workshop/_coverage.html` shows of a workshop: the KPIs per responsibility."""
    return tuple(kpi_coverage(workshop.kpis).items())


def _criterion_key(criterion: Criterion) -> tuple[Hashable, ...]:
    measure = criterion.measure
    if isinstance(measure, JudgementMeasure):
        how: tuple[Hashable, ...] = (measure.kind, tuple(measure.scores.items()))
    else:
        how = (measure.kind, measure.figure, measure.direction,
               tuple(repr(threshold) for threshold in measure.thresholds))
    return criterion.name, repr(criterion.weight), how
