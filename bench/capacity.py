"""Capacity against Moodle 4.5's quiz load test: N trainees sign in, start the quiz at once,
save every answer as they go after 30-90 s of thought, submit and read the review.

Moodle's published test has 2,000 simultaneous users take a 16-question quiz on 12 app vCPUs
(about 125 users per vCPU), with the synchronized start as the stress point. Here N trainees
take our quiz, as many questions as its bank has, against gunicorn with the README's 4 sync
workers on loopback, on a temporary database seeded with the N trainees in one cohort:

1. each signs in (the sign-in page, the post, the page it redirects to), the sign-ins spread
   evenly over the sign-in window; the workshop's autosavers also open the workshop editor,
   in a tab of its own whose failures never hold up the quiz;
2. all start the quiz within the start window, at one moment after the sign-in window (the
   start post, then the attempt page it redirects to);
3. before each answer a trainee thinks for a time drawn uniformly between the think bounds,
   then saves that answer as JSON to the attempt's answers endpoint, as the page's script does;
4. each submits the attempt form (the page's final post) and reads the review;
5. meanwhile a share of them autosave their workshop draft every so often, as its page does.

Run `python -m bench.capacity --trainees N` (or `make capacity N=...`); `--plan-only` prints how
long the run would take without running it. The run stops by itself at a hard deadline taken
from the plan, with every request bounded by a timeout, and stops gunicorn. It prints, per
request type, the count, the p50/p95/p99 latency, the errors and the time gunicorn's worker
spent on it, then how late this generator's event loop woke, every acknowledged write missing
from the database, the alarming lines of gunicorn's log, the CPU use and a verdict.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import math
import os
import random
import re
import resource
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import aiohttp

from bench import seed
from bench.load import integrity, workshop_fields
from bench.server import courseware_server
from bench.speed import cpu_times
from courseware.config import PROJECT_ROOT
from courseware.content import load_course
from courseware.i18n import LANGUAGES

# What Moodle 4.5's test had: 2,000 users on a 12-vCPU app server and a 4-vCPU database
# server, 125 users per vCPU. Here the app, its database and this generator share the machine.
MOODLE_USERS = 2000
MOODLE_VCPUS = 12 + 4
P95_LIMIT_MS = 500.0

# The request types, in the order a trainee makes them; the report lists them so.
SIGN_IN_PAGE = "sign-in page"
SIGN_IN_POST = "sign-in post"
LANDING_PAGE = "landing page"  # where the sign-in redirects to, as a browser follows it
WORKSHOP_PAGE = "workshop page"
QUIZ_START = "quiz start"
ATTEMPT_PAGE = "attempt page"
ANSWER_SAVE = "answer save"
SUBMIT = "submit"
REVIEW = "review"
WORKSHOP_AUTOSAVE = "workshop autosave"
REQUEST_TYPES = (SIGN_IN_PAGE, SIGN_IN_POST, LANDING_PAGE, WORKSHOP_PAGE, QUIZ_START,
                 ATTEMPT_PAGE, ANSWER_SAVE, SUBMIT, REVIEW, WORKSHOP_AUTOSAVE)
# The requests every trainee makes whatever happens, beyond the answer saves and autosaves.
FIXED_REQUESTS = 7  # sign-in page, post, landing page, start, attempt page, submit, review

# The quiz starts this long after the sign-in window closes, so the last sign-in is through.
START_GAP_SECONDS = 5.0
# Sockets open to gunicorn at once; 0: no cap. Each trainee's browser opens its own, so the
# only queue is the kernel's accept backlog, first come first served, as in a real class. A
# cap shared by every trainee would be a queue of this process's own, and aiohttp's is not
# first come first served: a request made as a socket comes free takes it ahead of those
# already waiting (docs/performance.md, "Where a start's time goes").
CONNECTIONS = 0
# Each request names its type in this header, and gunicorn's access log writes it beside the
# time the worker spent on the request: the client's latency minus that is time spent queueing.
KIND_HEADER = "X-Capacity-Kind"
ACCESS_FORMAT = f"%({{{KIND_HEADER.lower()}}}i)s|%(D)s"  # gunicorn names headers in lower case
# How often the generator checks that its own event loop keeps up: a loop that wakes late
# adds its lateness to every latency it measures.
LAG_INTERVAL = 0.05


@dataclass(frozen=True)
class Settings:
    """The run's parameters (the command line's options)."""

    trainees: int
    signin_window: float = 600.0
    start_window: float = 10.0
    start_gap: float = START_GAP_SECONDS
    think_min: float = 30.0
    think_max: float = 90.0
    workshop_share: float = 0.2
    workshop_interval: float | None = None  # None: the mean think time
    seed: int = 1
    connections: int = CONNECTIONS
    request_timeout: float = 60.0

    @property
    def autosave_interval(self) -> float:
        """Return the mean time between two autosaves of one trainee's workshop."""
        if self.workshop_interval is not None:
            return self.workshop_interval
        return (self.think_min + self.think_max) / 2

    def check(self) -> None:
        """Raise ValueError for parameters no plan can follow."""
        if self.trainees < 1:
            raise ValueError("--trainees must be at least 1")
        if not 0 < self.signin_window <= 600:
            raise ValueError("--signin-window must be more than 0 and at most 600 s")
        if not 0 < self.start_window <= 10:
            raise ValueError("--start-window must be more than 0 and at most 10 s")
        if self.start_gap < 0:
            raise ValueError("--start-gap must be at least 0")
        if not 0 <= self.think_min <= self.think_max:
            raise ValueError("--think-min must be at least 0 and at most --think-max")
        if not 0 <= self.workshop_share <= 1:
            raise ValueError("--workshop-share must be between 0 and 1")
        if self.autosave_interval <= 0:
            raise ValueError("--workshop-interval must be more than 0")
        if self.connections < 0 or self.request_timeout <= 0:
            raise ValueError("--connections must be 0 or more and --request-timeout positive")


@dataclass(frozen=True)
class TraineePlan:
    """What one trainee does when, in seconds from the run's start."""

    number: int
    lang: str
    sign_in_at: float
    start_at: float
    thinks: tuple[float, ...]  # before each answer
    autosave_gaps: tuple[float, ...] = ()  # between the workshop's autosaves; empty: none

    @property
    def planned_end(self) -> float:
        """Return when the last answer is saved if every request took no time."""
        return self.start_at + sum(self.thinks)

    @property
    def request_bound(self) -> int:
        """Return the most requests this trainee can make."""
        workshop = 1 + len(self.autosave_gaps) if self.autosave_gaps else 0
        return FIXED_REQUESTS + len(self.thinks) + workshop


@dataclass(frozen=True)
class Plan:
    settings: Settings
    start_moment: float
    trainees: tuple[TraineePlan, ...]

    @property
    def duration(self) -> float:
        """Return when the last trainee saves their last answer, requests taking no time."""
        return max(trainee.planned_end for trainee in self.trainees)

    @property
    def deadline(self) -> float:
        """Return when the run is stopped whatever is still going, from its start.

        Each trainee's think times follow the answer before them, so a slow server moves its
        end later by every request's latency: the margin allows a tenth of the plan, and at
        least two minutes, plus one request's timeout for the submit and review at the end.
        """
        margin = max(120.0, 0.1 * self.duration) + 2 * self.settings.request_timeout
        return self.duration + margin

    @property
    def request_bound(self) -> int:
        """Return the most requests the run can make."""
        return sum(trainee.request_bound for trainee in self.trainees)


def bank_sizes() -> dict[str, int]:
    """Return how many questions the quiz's bank asks in each language, as the server loads it
    (the attempt page must show as many)."""
    course, errors = load_course(PROJECT_ROOT / "content")
    if course is None or errors:
        raise RuntimeError(f"the content does not load: {errors[0] if errors else 'no course'}")
    quiz = course.areas["quiz"]
    return {lang: len(quiz.bank(lang).questions) for lang in LANGUAGES}


def make_plan(settings: Settings, questions: Mapping[str, int] | None = None) -> Plan:
    """Return the schedule: sign-ins evenly over their window in a shuffled order, the quiz
    starts at random within the start window after it, think times and autosaves drawn.

    `questions` is the bank's size in each language; by default read from the content.
    """
    settings.check()
    questions = bank_sizes() if questions is None else questions
    rng = random.Random(settings.seed)
    count = settings.trainees
    order = list(range(count))
    rng.shuffle(order)
    sign_in_at = {number: position * settings.signin_window / count
                  for position, number in enumerate(order)}
    start_moment = settings.signin_window + settings.start_gap
    workshop = set(rng.sample(range(count), round(settings.workshop_share * count)))
    plans = []
    for number in range(count):
        lang = LANGUAGES[number % len(LANGUAGES)]
        start_at = start_moment + rng.uniform(0, settings.start_window)
        thinks = tuple(rng.uniform(settings.think_min, settings.think_max)
                       for _question in range(questions[lang]))
        gaps: list[float] = []
        if number in workshop:
            # Autosaves while the quiz lasts, each gap half to one and a half times the mean.
            while sum(gaps) < sum(thinks):
                gaps.append(rng.uniform(0.5, 1.5) * settings.autosave_interval)
        plans.append(TraineePlan(number, lang, sign_in_at[number], start_at, thinks,
                                 tuple(gaps)))
    return Plan(settings, start_moment, tuple(plans))


def percentile(values: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile (share in 0..1) of values; NaN for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


# --- What the pages carry -------------------------------------------------------------------

_INPUT = re.compile(r"<input\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z_:-]+)="([^"]*)"')
_SELECT = re.compile(r'<select\b[^>]*\bname="answer:([^":]+):([^"]+)"[^>]*>(.*?)</select>', re.S)
_OPTION_VALUE = re.compile(r'<option value="([^"]+)"')
_ATTEMPT_PATH = re.compile(r"^/(en|zh)/quiz/attempt/(\d+)$")


def hidden_field(html: str, name: str) -> str:
    """Return the value of the hidden input `name`; raise ValueError when there is none."""
    for tag in _INPUT.findall(html):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get("name") == name:
            return unescape(attributes.get("value", ""))
    raise ValueError(f"no field {name} on the page")


@dataclass(frozen=True)
class QuestionFields:
    """One question as the attempt form asks it: its kind, and the ids it offers."""

    id: str
    kind: str  # "single", "multiple" or "matching"
    options: tuple[str, ...]
    items: tuple[str, ...] = ()  # a matching question's items


def attempt_questions(html: str) -> list[QuestionFields]:
    """Return the attempt form's questions in page order, read from their input names.

    Regular expressions over the template's markup rather than an HTML parser: at the
    synchronized start thousands of pages arrive within seconds, and the generator's CPU
    is the server's too.
    """
    found: dict[str, QuestionFields] = {}
    positions: dict[str, int] = {}
    for match in _INPUT.finditer(html):
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        name = attributes.get("name", "")
        kind = {"radio": "single", "checkbox": "multiple"}.get(attributes.get("type", ""))
        if kind is None or not name.startswith("answer:"):
            continue
        qid = unescape(name.split(":", 1)[1])
        before = found.get(qid)
        options = (before.options if before else ()) + (unescape(attributes["value"]),)
        found[qid] = QuestionFields(qid, kind, options)
        positions.setdefault(qid, match.start())
    for match in _SELECT.finditer(html):
        qid, item = unescape(match.group(1)), unescape(match.group(2))
        options = tuple(unescape(value) for value in _OPTION_VALUE.findall(match.group(3)))
        before = found.get(qid)
        found[qid] = QuestionFields(qid, "matching", options,
                                    (before.items if before else ()) + (item,))
        positions.setdefault(qid, match.start())
    return sorted(found.values(), key=lambda question: positions[question.id])


# An answer as the endpoint takes it: option ids for a choice, item -> option for matching.
AnswerValue = list[str] | dict[str, str]


def choose(question: QuestionFields, rng: random.Random) -> AnswerValue:
    """Return a trainee's answer: one option, a non-empty subset, or an option per item."""
    if question.kind == "matching":
        return {item: rng.choice(question.options) for item in question.items}
    if question.kind == "single":
        return [rng.choice(question.options)]
    size = rng.randint(1, len(question.options))
    return sorted(rng.sample(question.options, size))


def answer_key(value: AnswerValue) -> tuple[str, frozenset]:
    """Return an answer in a form that compares equal however it was built or stored."""
    if isinstance(value, dict):
        return ("matching", frozenset(value.items()))
    return ("choice", frozenset(value))


def form_answers(questions: Iterable[QuestionFields],
                 answers: Mapping[str, AnswerValue]) -> list[tuple[str, str]]:
    """Return the attempt form's answer fields, as the page posts them."""
    fields = []
    for question in questions:
        value = answers.get(question.id)
        if isinstance(value, dict):
            fields += [(f"answer:{question.id}:{item}", option) for item, option in value.items()]
        elif value:
            fields += [(f"answer:{question.id}", option) for option in value]
    return fields


# --- What the server acknowledged, and what the database must hold --------------------------

@dataclass
class AnswerWrite:
    """One write of a question's answer: a save, or the submitted form (which holds them all)."""

    question: str
    value: tuple[str, frozenset]
    acknowledged: bool


def allowed_answers(writes: Sequence[AnswerWrite]) -> dict[str, set[tuple[str, frozenset]]]:
    """Return, per question with an acknowledged write, the answers the database may hold.

    The last acknowledged write stands, unless a later one the server never acknowledged
    (it timed out, its connection broke) was applied after all: either may be stored.
    """
    allowed: dict[str, set[tuple[str, frozenset]]] = {}
    for write in writes:
        if write.acknowledged:
            allowed[write.question] = {write.value}
        elif write.question in allowed:
            allowed[write.question].add(write.value)
    return allowed


@dataclass
class Ledger:
    """What one trainee sent and what the server acknowledged."""

    number: int
    email: str
    attempt_id: int | None = None
    answer_writes: list[AnswerWrite] = field(default_factory=list)
    submitted: bool = False  # the submit was acknowledged with the redirect to the review
    drafts: list[tuple[int, str]] = field(default_factory=list)  # acknowledged: revision, text
    finished: bool = False
    late_start: float = 0.0  # how long after its planned moment the trainee could start


def missing_writes(database: Path, ledgers: Iterable[Ledger]) -> list[str]:
    """Return every acknowledged write the database does not hold, one line each."""
    db = sqlite3.connect(str(database))
    missing = []
    try:
        for ledger in ledgers:
            if ledger.attempt_id is not None:
                missing += _missing_answers(db, ledger)
                if ledger.submitted:
                    row = db.execute(
                        """SELECT 1 FROM quiz_attempts WHERE id = ? AND submitted_at IS NOT NULL
                           AND percent IS NOT NULL""", [ledger.attempt_id]).fetchone()
                    if row is None:
                        missing.append(f"{ledger.email}: submitted attempt {ledger.attempt_id}")
            if ledger.drafts:
                revision, text = ledger.drafts[-1]
                row = db.execute(
                    """SELECT workshop_drafts.revision, workshop_drafts.workshop
                       FROM workshop_drafts JOIN users ON users.id = workshop_drafts.user_id
                       WHERE users.email = ?""", [ledger.email]).fetchone()
                # A later save the trainee never heard back from may have replaced it.
                if row is None or row[0] < revision or (row[0] == revision and text not in row[1]):
                    missing.append(f"{ledger.email}: workshop draft revision {revision}")
    finally:
        db.close()
    return missing


def _missing_answers(db: sqlite3.Connection, ledger: Ledger) -> list[str]:
    chosen: dict[str, set[str]] = {}
    matched: dict[str, dict[str, str]] = {}
    for question, item, option in db.execute(
            "SELECT question_id, item_id, option_id FROM quiz_answers WHERE attempt_id = ?",
            [ledger.attempt_id]):
        if item:
            matched.setdefault(question, {})[item] = option
        else:
            chosen.setdefault(question, set()).add(option)
    stored = {question: answer_key(sorted(options)) for question, options in chosen.items()}
    stored.update({question: answer_key(pairs) for question, pairs in matched.items()})
    return [f"{ledger.email}: attempt {ledger.attempt_id} question {question}"
            for question, allowed in allowed_answers(ledger.answer_writes).items()
            if stored.get(question) not in allowed]


# --- The simulated browsers -----------------------------------------------------------------

# The error reason of a page or reply the runner cannot read: a change of the app's markup or
# JSON, counted with the server's errors so that a run that cannot take the quiz never holds.
UNREADABLE = "unreadable"


class BudgetExceeded(RuntimeError):
    """The run tried more requests than its plan allows: a bug in the runner, not the server."""


@dataclass
class Tally:
    """Every request's latency and every error, by request type."""

    latencies: dict[str, list[float]] = field(
        default_factory=lambda: {kind: [] for kind in REQUEST_TYPES})
    errors: dict[str, Counter[str]] = field(
        default_factory=lambda: {kind: Counter() for kind in REQUEST_TYPES})
    examples: list[str] = field(default_factory=list)
    sent: int = 0

    def error(self, kind: str, reason: str, detail: str = "") -> None:
        self.errors[kind][reason] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{kind}: {reason} {detail}".rstrip())


@dataclass(frozen=True)
class Reply:
    status: int
    location: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Run:
    """What every trainee of one run shares: the server, the sockets, the clock, the tally."""

    def __init__(self, plan: Plan, base_url: str, connector: aiohttp.TCPConnector) -> None:
        self.plan = plan
        self.base_url = base_url
        self.connector = connector
        self.tally = Tally()
        self.timeout = aiohttp.ClientTimeout(total=plan.settings.request_timeout)
        self.request_bound = plan.request_bound  # a sum over every trainee: taken once
        self.started = time.monotonic()
        self.lag = LagProbe()

    def at(self, moment: float) -> float:
        """Return how long until `moment` seconds after the run's start (0 if past)."""
        return max(0.0, self.started + moment - time.monotonic())

    def count_request(self) -> None:
        self.tally.sent += 1
        if self.tally.sent > self.request_bound:
            raise BudgetExceeded(f"more than the plan's {self.request_bound} requests")


class TraineeStopped(Exception):
    """The trainee cannot go on: the page it needed did not come."""


class Trainee:
    """One trainee's browser: its own cookie jar, a socket of its own per request."""

    def __init__(self, run: Run, plan: TraineePlan, email: str) -> None:
        self.run = run
        self.plan = plan
        self.lang = plan.lang
        self.ledger = Ledger(plan.number, email)
        self.rng = random.Random(f"{run.plan.settings.seed}-{plan.number}")
        # aiohttp's jar refuses cookies from an IP address unless told it may.
        self.session = aiohttp.ClientSession(
            base_url=run.base_url, connector=run.connector, connector_owner=False,
            cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=run.timeout)
        self.quiz_done = asyncio.Event()

    async def go(self) -> None:
        workshop: asyncio.Future[None] | None = None
        try:
            await asyncio.sleep(self.run.at(self.plan.sign_in_at))
            await self._sign_in()
            if self.plan.autosave_gaps:
                # The workshop is another tab: its page loading slowly or failing, or a save
                # failing, must neither delay nor stop the quiz.
                workshop = asyncio.ensure_future(self._workshop())
            await self._take_quiz()
            self.ledger.finished = True
        except TraineeStopped:
            pass
        except asyncio.CancelledError:
            # The run's deadline: the tab goes with its trainee, mid-request or not.
            if workshop is not None:
                workshop.cancel()
            raise
        finally:
            self.quiz_done.set()  # the trainee leaves, and types in the workshop no more
            if workshop is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await workshop  # at most one request still under way
            await self.session.close()

    async def _send(self, kind: str, method: str, path: str, expect: int, *,
                    data: Any = None, body: dict[str, Any] | None = None,
                    headers: dict[str, str] | None = None) -> Reply | None:
        """Send one request; return its reply, or None (an error, tallied) if not `expect`."""
        self.run.count_request()
        sent_headers = {**(headers or {}), KIND_HEADER: kind}
        if method == "POST":
            # What a browser adds to a post from the app's own page: the app refuses posts
            # whose headers name another site.
            sent_headers.update({"Origin": self.run.base_url, "Sec-Fetch-Site": "same-origin"})
        if body is not None:
            data = json.dumps(body)
            sent_headers.update({"Content-Type": "application/json", "Accept": "application/json"})
        began = time.monotonic()
        try:
            async with self.session.request(method, path, data=data, headers=sent_headers,
                                            allow_redirects=False) as response:
                content = await response.read()
                reply = Reply(response.status, response.headers.get("Location", ""), content)
        except TimeoutError:
            self._timed(kind, began)
            self.run.tally.error(kind, "timeout", path)
            return None
        except aiohttp.ClientError as error:
            self._timed(kind, began)
            self.run.tally.error(kind, f"connection: {type(error).__name__}", path)
            return None
        self._timed(kind, began)
        if reply.status != expect:
            self.run.tally.error(kind, f"HTTP {reply.status}",
                                 f"{path} {reply.text[:160]!r}")
            return None
        return reply

    def _timed(self, kind: str, began: float) -> None:
        self.run.tally.latencies[kind].append((time.monotonic() - began) * 1000)

    async def _sign_in(self) -> None:
        lang = self.lang
        page = await self._send(SIGN_IN_PAGE, "GET", f"/{lang}/sign-in", 200)
        if page is None:
            raise TraineeStopped
        fields = [("email", self.ledger.email), ("password", seed.PASSWORD)]
        signed_in = await self._send(SIGN_IN_POST, "POST", f"/{lang}/sign-in", 302, data=fields)
        if signed_in is None:
            raise TraineeStopped
        # A browser follows the redirect.
        landing = await self._send(LANDING_PAGE, "GET", _path(signed_in.location), 200)
        if landing is None:
            raise TraineeStopped

    async def _workshop(self) -> None:
        """Open the workshop editor, then autosave it while the quiz lasts; every failure is
        tallied and ends only this tab."""
        page = await self._send(WORKSHOP_PAGE, "GET", f"/{self.lang}/workshop/", 200)
        if page is None:
            return
        try:
            position = {name: hidden_field(page.text, name)
                        for name in ("base_version", "revision")}
        except ValueError as error:
            self.run.tally.error(WORKSHOP_PAGE, UNREADABLE, str(error))
            return
        await self._autosave(position)

    async def _autosave(self, position: dict[str, str]) -> None:
        """Save the workshop draft every so often while the quiz lasts, as its page does."""
        shown = {"results_key": "", "coverage_key": ""}  # what the page's results are
        # The tab stays open from sign-in, but its trainee types in it only during the quiz.
        await asyncio.sleep(self.run.at(self.plan.start_at))
        for number, gap in enumerate(self.plan.autosave_gaps, start=1):
            try:
                await asyncio.wait_for(self.quiz_done.wait(), gap)
                return
            except TimeoutError:
                pass
            text = f"Trainee {self.plan.number}, autosave {number}。"
            draft = {**position, **workshop_fields(text), **shown}
            reply = await self._send(WORKSHOP_AUTOSAVE, "POST", f"/{self.lang}/workshop/autosave",
                                     200, body=draft)
            answer = self._json_reply(WORKSHOP_AUTOSAVE, reply)
            if answer is None:
                continue
            if answer.get("status") != "saved" or type(answer.get("revision")) is not int:
                self.run.tally.error(WORKSHOP_AUTOSAVE, f"status {answer.get('status')}",
                                     repr(answer)[:160])
                continue
            position["revision"] = str(answer["revision"])
            shown = {name: answer.get(name, shown[name]) for name in shown}
            self.ledger.drafts.append((answer["revision"], text))

    async def _take_quiz(self) -> None:
        lang = self.lang
        planned = self.plan.start_at
        await asyncio.sleep(self.run.at(planned))
        self.ledger.late_start = max(0.0, time.monotonic() - self.run.started - planned)
        # The start button's form has no field: an empty form post, as a browser sends it.
        started = await self._send(QUIZ_START, "POST", f"/{lang}/quiz/start", 302, data=[])
        if started is None:
            raise TraineeStopped
        attempt_path = _path(started.location)
        match = _ATTEMPT_PATH.match(attempt_path)
        if match is None:
            self.run.tally.error(QUIZ_START, "redirect", f"to {started.location}")
            raise TraineeStopped
        self.ledger.attempt_id = int(match.group(2))
        page = await self._send(ATTEMPT_PAGE, "GET", attempt_path, 200)
        if page is None:
            raise TraineeStopped
        html = page.text
        questions = attempt_questions(html)
        try:
            token = hidden_field(html, "token")
        except ValueError as error:
            self.run.tally.error(ATTEMPT_PAGE, UNREADABLE, str(error))
            raise TraineeStopped from error
        if len(questions) != len(self.plan.thinks):
            self.run.tally.error(ATTEMPT_PAGE, UNREADABLE,
                                 f"{len(questions)} questions, the bank has {len(self.plan.thinks)}")
            raise TraineeStopped
        unanswerable = [question.id for question in questions
                        if not question.options or (question.kind == "matching"
                                                    and not question.items)]
        if unanswerable:
            self.run.tally.error(ATTEMPT_PAGE, UNREADABLE,
                                 f"no options read for {', '.join(unanswerable)}")
            raise TraineeStopped
        answers: dict[str, AnswerValue] = {}
        for question, think in zip(questions, self.plan.thinks, strict=True):
            await asyncio.sleep(think)
            value = choose(question, self.rng)
            answers[question.id] = value
            await self._save_answer(attempt_path, token, question.id, value, len(answers),
                                    len(questions))
        fields = [("token", token), *form_answers(questions, answers)]
        submitted = await self._send(SUBMIT, "POST", attempt_path, 302, data=fields)
        acknowledged = (submitted is not None
                        and _path(submitted.location) == f"{attempt_path}/review")
        if submitted is not None and not acknowledged:
            self.run.tally.error(SUBMIT, "redirect", f"to {submitted.location}")
        # The submitted form holds every answer: a later write of each question.
        self.ledger.answer_writes += [AnswerWrite(qid, answer_key(value), acknowledged)
                                      for qid, value in answers.items()]
        if not acknowledged:
            raise TraineeStopped
        self.ledger.submitted = True
        await self._send(REVIEW, "GET", f"{attempt_path}/review", 200)

    async def _save_answer(self, attempt_path: str, token: str, question: str,
                           value: AnswerValue, answered: int, total: int) -> None:
        reply = await self._send(ANSWER_SAVE, "POST", f"{attempt_path}/answers", 200,
                                 body={"token": token, "question": question, "answer": value})
        acknowledged = False
        # A 200 whose body cannot be read is not taken as a yes: the write may or may not
        # stand, as with a timeout.
        answer = self._json_reply(ANSWER_SAVE, reply)
        if answer is not None:
            expected = {"status": "saved", "answered": answered, "total": total}
            if all(answer.get(name) == wanted for name, wanted in expected.items()):
                acknowledged = True
            elif answer.get("status") == "saved":
                # Saved, but counting other than the trainee did: the write counts as
                # acknowledged, the reply as wrong.
                acknowledged = True
                self.run.tally.error(ANSWER_SAVE, "reply",
                                     f"{answer} where {answered} of {total} are answered")
            else:
                self.run.tally.error(ANSWER_SAVE, "reply", repr(answer)[:160])
        self.ledger.answer_writes.append(AnswerWrite(question, answer_key(value), acknowledged))

    def _json_reply(self, kind: str, reply: Reply | None) -> dict[str, Any] | None:
        """Return the reply's JSON object; None, tallied as unreadable, if it is not one."""
        if reply is None:
            return None
        try:
            answer = json.loads(reply.body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            self.run.tally.error(kind, UNREADABLE, repr(reply.body[:160]))
            return None
        return answer


def _path(location: str) -> str:
    """Return the path of a redirect's Location, absolute or not."""
    return re.sub(r"^https?://[^/]+", "", location) or "/"


# --- The run as a whole ---------------------------------------------------------------------

@dataclass(frozen=True)
class TypeFigures:
    kind: str
    count: int
    p50: float
    p95: float
    p99: float
    max: float
    errors: int
    error_reasons: dict[str, int]
    # The time gunicorn's worker spent, from its access log; the rest of a latency is queueing.
    app_p50: float = math.nan
    app_p95: float = math.nan

    @property
    def held(self) -> bool:
        return self.count == 0 or (self.p95 < P95_LIMIT_MS and self.errors == 0)


def type_figures(tally: Tally,
                 app_times: Mapping[str, Sequence[float]] | None = None) -> list[TypeFigures]:
    """Return the figures of each request type, in the order a trainee makes them."""
    figures = []
    for kind in REQUEST_TYPES:
        values = tally.latencies[kind]
        in_app = (app_times or {}).get(kind, ())
        figures.append(TypeFigures(
            kind, len(values), percentile(values, 0.50), percentile(values, 0.95),
            percentile(values, 0.99), max(values, default=math.nan),
            sum(tally.errors[kind].values()), dict(tally.errors[kind]),
            percentile(in_app, 0.50), percentile(in_app, 0.95)))
    return figures


def app_times(access_log: Path) -> dict[str, list[float]]:
    """Return the milliseconds gunicorn's workers spent on each request, by request type."""
    times: dict[str, list[float]] = {kind: [] for kind in REQUEST_TYPES}
    if not access_log.exists():
        return times
    for line in access_log.read_text(errors="replace").splitlines():
        kind, _bar, micros = line.rpartition("|")
        if kind in times and micros.isdigit():
            times[kind].append(int(micros) / 1000)
    return times


class LagProbe:
    """Measure how late the generator's event loop wakes: the lateness is in every latency
    measured meanwhile, so a run whose loop falls behind says so instead of blaming the app."""

    def __init__(self, interval: float = LAG_INTERVAL) -> None:
        self.interval = interval
        self.samples: list[tuple[float, float]] = []  # (monotonic time, lateness in ms)

    async def run(self) -> None:
        while True:
            planned = time.monotonic() + self.interval
            await asyncio.sleep(self.interval)
            woke = time.monotonic()
            self.samples.append((woke, max(0.0, woke - planned) * 1000))

    def lateness(self, since: float = -math.inf, until: float = math.inf) -> tuple[float, float]:
        """Return the p99 and the largest lateness between two monotonic times, in ms."""
        values = [late for moment, late in self.samples if since <= moment <= until]
        return percentile(values, 0.99), max(values, default=math.nan)


@dataclass
class CpuUse:
    """The machine's CPU over the run, and who spent it."""

    busy_share: float = 0.0  # of all cores, the host's steal counted as not ours
    steal_share: float = 0.0
    peak_busy_share: float = 0.0  # the busiest 10 s
    start_busy_share: float = 0.0  # over the start window and the 10 s after it
    generator_seconds: float = 0.0
    gunicorn_seconds: float = 0.0
    cores: int = 1
    # How late the generator's event loop woke, in ms: p99 and worst over the run, worst
    # over the start window and the 10 s after it.
    loop_lag_p99: float = math.nan
    loop_lag_max: float = math.nan
    start_loop_lag_max: float = math.nan


@dataclass
class Result:
    settings: Settings
    planned_seconds: float
    deadline_seconds: float
    seconds: float
    figures: list[TypeFigures]
    trainees_finished: int
    late_starts: int  # trainees who could start more than a second after their moment
    max_late_start: float
    stopped_at_deadline: int
    missing: list[str]
    log_alarms: list[str]
    integrity: str
    cpu: CpuUse
    examples: list[str]
    requests: int

    @property
    def errors(self) -> int:
        return sum(figure.errors for figure in self.figures)

    @property
    def held(self) -> bool:
        return verdict(self.figures, self.missing, self.log_alarms, self.stopped_at_deadline,
                       self.integrity)


def verdict(figures: Sequence[TypeFigures], missing: Sequence[str], log_alarms: Sequence[str],
            stopped_at_deadline: int = 0, integrity_verdict: str = "ok") -> bool:
    """Return True when N held: every p95 under the limit, no error, no write lost."""
    return (all(figure.held for figure in figures) and not missing and not log_alarms
            and stopped_at_deadline == 0 and integrity_verdict == "ok")


def report(result: Result) -> str:
    """Return the run's table and verdict as printed."""
    s = result.settings
    lines = [
        f"{s.trainees} trainees, sign-in window {s.signin_window:g} s, start window "
        f"{s.start_window:g} s after a gap of {s.start_gap:g} s, think {s.think_min:g}-"
        f"{s.think_max:g} s, workshop share {s.workshop_share:g} every "
        f"{s.autosave_interval:g} s on average, seed {s.seed}",
        f"planned {result.planned_seconds:.0f} s (deadline {result.deadline_seconds:.0f} s), "
        f"took {result.seconds:.0f} s ({result.seconds / 60:.1f} min), {result.requests} requests",
        "",
        f"{'request type':<18} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'errors':>7} {'app p50':>8} {'app p95':>8}",
    ]
    for figure in result.figures:
        lines.append(f"{figure.kind:<18} {figure.count:>7} {figure.p50:>8.0f} {figure.p95:>8.0f} "
                     f"{figure.p99:>8.0f} {figure.max:>8.0f} {figure.errors:>7} "
                     f"{figure.app_p50:>8.1f} {figure.app_p95:>8.1f}"
                     + ("" if figure.held else "  <-"))
    lines.append("(app: the time gunicorn's worker spent on the request, from its access log; "
                 "the rest of the latency is queueing)")
    lines.append("")
    for figure in result.figures:
        if figure.error_reasons:
            reasons = ", ".join(f"{reason} x{count}" for reason, count in
                                sorted(figure.error_reasons.items()))
            lines.append(f"errors, {figure.kind}: {reasons}")
    lines += [f"  e.g. {example}" for example in result.examples[:5]]
    cpu = result.cpu
    lines += [
        f"trainees finished: {result.trainees_finished} of {s.trainees}; stopped at the "
        f"deadline: {result.stopped_at_deadline}; started over 1 s late: {result.late_starts} "
        f"(latest {result.max_late_start:.1f} s)",
        f"acknowledged writes missing from the database: {len(result.missing)}; "
        f"integrity_check: {result.integrity}",
        *[f"  missing: {line}" for line in result.missing[:10]],
        f"gunicorn log alarms ({', '.join(('database is locked', 'Traceback', 'WORKER TIMEOUT'))}):"
        f" {len(result.log_alarms)}",
        *[f"  log: {line}" for line in result.log_alarms[:10]],
        f"CPU ({cpu.cores} cores): {cpu.busy_share:.0%} busy over the run, {cpu.peak_busy_share:.0%}"
        f" in its busiest 10 s, {cpu.start_busy_share:.0%} over the synchronized start; the host "
        f"took {cpu.steal_share:.0%}; gunicorn {cpu.gunicorn_seconds:.0f} s of CPU, this "
        f"generator {cpu.generator_seconds:.0f} s",
        f"generator's event loop woke late by p99 {cpu.loop_lag_p99:.0f} ms, at worst "
        f"{cpu.loop_lag_max:.0f} ms ({cpu.start_loop_lag_max:.0f} ms over the start)",
        f"Moodle 4.5's test: {MOODLE_USERS} users on {MOODLE_VCPUS} vCPUs (app and database), "
        f"{MOODLE_USERS / MOODLE_VCPUS:.0f} per vCPU; here {s.trainees} on {cpu.cores}, "
        f"{s.trainees / cpu.cores:.0f} per vCPU",
        f"VERDICT: {s.trainees} trainees {'HELD' if result.held else 'NOT HELD'} "
        f"(p95 < {P95_LIMIT_MS:.0f} ms for every request type, 0 errors, 0 lost writes)",
    ]
    return "\n".join(lines)


class CpuSampler:
    """Read /proc/stat once a second, to find the run's busy share and its busiest spell.

    It reads from a thread of its own: at the synchronized start the trainees' event loop is
    busiest, and a sampler waiting its turn there would stretch the very spell it measures.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.samples: list[tuple[float, tuple[int, ...]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def _sample_until_stopped(self) -> None:
        self.sample()
        while not self._stop.wait(self.interval):
            self.sample()
        self.sample()

    def sample(self) -> None:
        ticks = cpu_times()
        if ticks:
            self.samples.append((time.monotonic(), ticks))

    def __enter__(self) -> CpuSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def busy(self, since: float = -math.inf, until: float = math.inf) -> tuple[float, float]:
        """Return the busy and stolen shares of all cores between two monotonic times."""
        inside = [ticks for moment, ticks in self.samples if since <= moment <= until]
        if len(inside) < 2:
            return 0.0, 0.0
        return _shares(inside[0], inside[-1])

    def peak(self, seconds: float = 10.0) -> float:
        """Return the busy share of the busiest spell of at least `seconds` between two
        samples; of the whole run, if it was shorter."""
        moments = [moment for moment, _ticks in self.samples]
        ticks = [sample_ticks for _moment, sample_ticks in self.samples]
        best: float | None = None
        for index, moment in enumerate(moments):
            end = bisect.bisect_left(moments, moment + seconds, lo=index)
            if end == len(moments):
                break  # every later spell is shorter still
            busy, _steal = _shares(ticks[index], ticks[end])
            best = busy if best is None else max(best, busy)
        return self.busy()[0] if best is None else best


def _shares(earlier: tuple[int, ...], later: tuple[int, ...]) -> tuple[float, float]:
    """Return the busy and stolen shares of all cores between two readings of /proc/stat."""
    spent = [after - before for before, after in zip(earlier, later, strict=True)]
    total = sum(spent)
    if total <= 0:
        return 0.0, 0.0
    idle = spent[3] + spent[4]  # idle, iowait
    steal = spent[7]
    return (total - idle - steal) / total, steal / total


def process_cpu_seconds(pids: Iterable[int]) -> float:
    """Return the user and system CPU seconds the live processes have spent."""
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks_per_second


async def drive(plan: Plan, base_url: str,
                emails: Sequence[str]) -> tuple[Run, list[Trainee], int]:
    """Let the plan's trainees loose on the server at base_url, each with the seeded
    password; return the run, the trainees and how many the deadline stopped."""
    connector = aiohttp.TCPConnector(limit=plan.settings.connections, force_close=True)
    run = Run(plan, base_url, connector)
    trainees = [Trainee(run, trainee, emails[trainee.number]) for trainee in plan.trainees]
    tasks = [asyncio.ensure_future(trainee.go()) for trainee in trainees]
    probe = asyncio.ensure_future(run.lag.run())
    try:
        _done, pending = await asyncio.wait(tasks, timeout=run.at(plan.deadline))
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]  # a bug in the runner itself
    finally:
        probe.cancel()
        await connector.close()
    return run, trainees, len(pending)


def drive_in_own_thread(plan: Plan, base_url: str,
                        emails: Sequence[str]) -> tuple[Run, list[Trainee], int]:
    """Run drive() to its end on an event loop of its own thread, so that it works from
    callers that already run one (pytest with Playwright's sync API, say)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, drive(plan, base_url, emails)).result()


def run_capacity(settings: Settings, workdir: Path) -> Result:
    """Seed a database, start gunicorn, run the plan against it, check the database."""
    plan = make_plan(settings)
    # A trainee has at most two requests in flight: the quiz's and the workshop's autosave.
    allow_open_files(2 * settings.trainees + 256)
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "courseware.sqlite"
    seed.create_database(database)
    cohort = seed.seed_cohort(database, "Capacity", settings.trainees)
    access_log = workdir / "access.log"
    server = courseware_server(database, workdir / "gunicorn.log", access_log=access_log,
                               access_format=ACCESS_FORMAT)
    server.start("/en/sign-in")
    generator_before = _own_cpu_seconds()
    began = time.monotonic()
    try:
        with CpuSampler() as sampler:
            run, trainees, stopped = drive_in_own_thread(plan, server.base_url,
                                                         cohort.trainee_emails)
        seconds = time.monotonic() - began
        gunicorn_seconds = process_cpu_seconds([server.process.pid, *server.worker_pids()]
                                               if server.process else [])
    finally:
        server.stop()
    busy, steal = sampler.busy()
    start_from = run.started + plan.start_moment
    start_until = start_from + settings.start_window + 10
    start_busy, _steal = sampler.busy(start_from, start_until)
    lag_p99, lag_max = run.lag.lateness()
    _start_p99, start_lag_max = run.lag.lateness(start_from, start_until)
    cpu = CpuUse(busy, steal, sampler.peak(), start_busy, _own_cpu_seconds() - generator_before,
                 gunicorn_seconds, os.cpu_count() or 1, lag_p99, lag_max, start_lag_max)
    ledgers = [trainee.ledger for trainee in trainees]
    lates = [ledger.late_start for ledger in ledgers]
    return Result(
        settings=settings, planned_seconds=plan.duration, deadline_seconds=plan.deadline,
        seconds=seconds, figures=type_figures(run.tally, app_times(access_log)),
        trainees_finished=sum(ledger.finished for ledger in ledgers),
        late_starts=sum(late > 1.0 for late in lates), max_late_start=max(lates, default=0.0),
        stopped_at_deadline=stopped, missing=missing_writes(database, ledgers),
        log_alarms=server.log_alarms(), integrity=integrity(database), cpu=cpu,
        examples=run.tally.examples, requests=run.tally.sent)


def allow_open_files(wanted: int) -> None:
    """Raise this process's soft limit on open files towards `wanted`, up to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, required=True)
    parser.add_argument("--signin-window", type=float, default=600.0,
                        help="seconds over which the sign-ins are spread (at most 600)")
    parser.add_argument("--start-window", type=float, default=10.0,
                        help="seconds within which every trainee starts the quiz (at most 10)")
    parser.add_argument("--start-gap", type=float, default=START_GAP_SECONDS,
                        help="seconds between the sign-in window's end and the quiz's start")
    parser.add_argument("--think-min", type=float, default=30.0)
    parser.add_argument("--think-max", type=float, default=90.0)
    parser.add_argument("--workshop-share", type=float, default=0.2,
                        help="share of the trainees who autosave the workshop meanwhile")
    parser.add_argument("--workshop-interval", type=float, default=None,
                        help="mean seconds between autosaves (default: the mean think time)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--connections", type=int, default=CONNECTIONS,
                        help="sockets open to gunicorn at once (default 0: no cap, a socket "
                             "per request in flight, as each trainee's browser opens its own)")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the database and gunicorn's log here (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--plan-only", action="store_true",
                        help="print how long the run would take, and run nothing")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = Settings(
        trainees=args.trainees, signin_window=args.signin_window,
        start_window=args.start_window, start_gap=args.start_gap, think_min=args.think_min,
        think_max=args.think_max,
        workshop_share=args.workshop_share, workshop_interval=args.workshop_interval,
        seed=args.seed, connections=args.connections, request_timeout=args.request_timeout)
    try:
        plan = make_plan(settings)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"plan: {settings.trainees} trainees, last answer at {plan.duration:.0f} s "
          f"({plan.duration / 60:.1f} min), hard deadline {plan.deadline:.0f} s "
          f"({plan.deadline / 60:.1f} min), at most {plan.request_bound} requests", flush=True)
    if args.plan_only:
        return 0
    if args.workdir is not None:
        result = run_capacity(settings, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="courseware-capacity-") as tmp:
            result = run_capacity(settings, Path(tmp))
    print(report(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result_json(result), indent=2, ensure_ascii=False) + "\n")
    return 0 if result.held else 1


def result_json(result: Result) -> dict[str, Any]:
    """Return the results as plain data, for --json."""
    data = asdict(result)
    data["errors"] = result.errors
    data["held"] = result.held
    data["settings"]["autosave_interval"] = result.settings.autosave_interval
    for figure in data["figures"]:
        for name in ("p50", "p95", "p99", "max", "app_p50", "app_p95"):
            if math.isnan(figure[name]):
                figure[name] = None
    for name in ("loop_lag_p99", "loop_lag_max", "start_loop_lag_max"):
        if math.isnan(data["cpu"][name]):
            data["cpu"][name] = None
    return data


if __name__ == "__main__":
    sys.exit(main())
