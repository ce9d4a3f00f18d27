"""Simulated trainees at the end of a workshop: many at once, every acknowledged write checked.

Run `python -m bench.load` (or `make load`): it starts gunicorn with 4 workers on a temp
database, lets 100 trainees join or sign in, save workshop drafts 5 times, submit the quiz
and submit the workshop all at once, then runs the same again killing one worker with
SIGKILL half way. Each run checks the database afterwards against what the server said yes to.
"""

from __future__ import annotations

import argparse
import http.client
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import seed
from bench.browser import Browser, Response, filled_form, hidden_value
from bench.server import HOST, Gunicorn, courseware_server

TRAINEES = 100
DRAFT_SAVES = 5
# Requests one trainee makes: join or sign in (2), the editor (1), 5 saves with a reload
# after each form post, the quiz (4) and the submission (1).
REQUESTS_PER_TRAINEE = 2 + 1 + DRAFT_SAVES + DRAFT_SAVES // 2 + 4 + 1
KILL_AFTER_SHARE = 0.5  # kill a worker once half of all requests have been answered


def workshop_fields(text: str) -> dict[str, str]:
    """Return a complete workshop's form fields; `text` marks which save they belong to."""
    fields = {"cutoff-kind": "top_n", "cutoff-value": "4", "justification": text}
    criteria = (("Revenue", "revenue", "higher", "40", ("10", "30", "60", "100")),
                ("服务成本", "cost_to_serve", "lower", "30", ("14", "11", "8", "6")),
                ("Growth", "growth_3y", "higher", "30", ("0", "5", "15", "30")))
    for index, (name, figure, direction, weight, thresholds) in enumerate(criteria):
        prefix = f"criteria-{index}-"
        fields.update({prefix + "name": name, prefix + "description": f"{name} matters",
                       prefix + "weight": weight, prefix + "kind": "figure",
                       prefix + "figure": figure, prefix + "direction": direction})
        for position, threshold in enumerate(thresholds):
            fields[f"{prefix}threshold-{position}"] = threshold
    for k, responsibility in enumerate(("forecasting", "on_time", "profit_growth")):
        fields.update({
            f"kpis-{k}-name": f"KPI {k}", f"kpis-{k}-definition": "A over B",
            f"kpis-{k}-unit": "%", f"kpis-{k}-target": "95%", f"kpis-{k}-frequency": "monthly",
            f"kpis-{k}-data_source": "ERP", f"kpis-{k}-responsibility": responsibility,
        })
    return fields


@dataclass
class Acknowledged:
    """What the server confirmed to one trainee, with the time it did (monotonic clock)."""

    email: str
    joined_at: float | None = None
    drafts: list[tuple[int, str, float]] = field(default_factory=list)  # revision, text, when
    quiz_attempt: tuple[int, float] | None = None
    submission: tuple[str, float] | None = None  # justification, when

    @property
    def draft(self) -> tuple[int, str, float] | None:
        """Return the latest acknowledged draft save."""
        return self.drafts[-1] if self.drafts else None

    def times(self) -> list[float]:
        """Return when each write, superseded drafts included, was acknowledged."""
        times = [self.joined_at] if self.joined_at is not None else []
        times += [when for _revision, _text, when in self.drafts]
        times += [self.quiz_attempt[1]] if self.quiz_attempt else []
        times += [self.submission[1]] if self.submission else []
        return times

    def as_of(self, moment: float) -> Acknowledged:
        """Return only what had been acknowledged before `moment`."""
        def before(value: tuple | None) -> tuple | None:
            return value if value is not None and value[-1] < moment else None

        return Acknowledged(
            email=self.email,
            joined_at=self.joined_at if self.joined_at and self.joined_at < moment else None,
            drafts=[draft for draft in self.drafts if draft[2] < moment],
            quiz_attempt=before(self.quiz_attempt),
            submission=before(self.submission),
        )


@dataclass
class Tally:
    """Every answer the trainees got, shared between their threads."""

    statuses: Counter[int] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)  # requests whose connection failed
    unexpected: list[str] = field(default_factory=list)
    answered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    answered_event: Callable[[int], None] | None = None

    def record(self, response: Response) -> None:
        with self.lock:
            self.statuses[response.status] += 1
            self.answered += 1
            answered = self.answered
        if self.answered_event:
            self.answered_event(answered)


class TraineeStopped(Exception):
    """The trainee's connection broke or the server answered what a trainee cannot go on from."""


class Trainee:
    """One simulated trainee going through the end of the workshop."""

    def __init__(self, number: int, port: int, cohort: seed.Cohort, tally: Tally,
                 join: bool) -> None:
        self.number = number
        self.lang = ("en", "zh")[number % 2]
        self.browser = Browser(HOST, port)
        self.cohort = cohort
        self.tally = tally
        self.join = join
        email = (f"joiner-{number:03d}@example.com" if join
                 else cohort.trainee_emails[number])
        self.ack = Acknowledged(email=email)

    def run(self) -> None:
        try:
            self._join_or_sign_in()
            self._save_drafts()
            self._take_quiz()
            self._submit_workshop()
        except TraineeStopped:
            pass

    def _send(self, label: str, call: Callable[[], Response], expected: tuple[int, ...]) -> Response:
        try:
            response = call()
        # A worker killed mid-answer shows as a reset (OSError) or a cut-short body
        # (http.client.IncompleteRead, an HTTPException): either way, never acknowledged.
        except (OSError, http.client.HTTPException) as error:
            with self.tally.lock:
                self.tally.broken.append(f"trainee {self.number} {label}: {error!r}")
            raise TraineeStopped from error
        self.tally.record(response)
        if response.status not in expected:
            with self.tally.lock:
                self.tally.unexpected.append(
                    f"trainee {self.number} {label}: HTTP {response.status} {response.body[:200]!r}")
            raise TraineeStopped
        return response

    def _post_json(self, label: str, path: str, data: dict[str, str],
                   expected: tuple[int, ...]) -> Response:
        return self._send(label, lambda: self.browser.post_json(path, data), expected)

    def _get(self, label: str, path: str) -> Response:
        return self._send(label, lambda: self.browser.get(path), (200,))

    def _post(self, label: str, path: str, fields: dict[str, str], expected: tuple[int, ...],
              accept: str = "text/html") -> Response:
        return self._send(label, lambda: self.browser.post(path, fields, accept), expected)

    def _join_or_sign_in(self) -> None:
        lang = self.lang
        if self.join:
            self._get("join form", f"/{lang}/join")
            fields = {"join_code": self.cohort.join_code, "name": f"Joiner {self.number} 学员",
                      "email": self.ack.email, "password": seed.PASSWORD,
                      "confirm": seed.PASSWORD}
            self._post("join", f"/{lang}/join", fields, (302,))
            self.ack.joined_at = time.monotonic()
        else:
            self._get("sign-in form", f"/{lang}/sign-in")
            fields = {"email": self.ack.email, "password": seed.PASSWORD}
            self._post("sign in", f"/{lang}/sign-in", fields, (302,))

    def _save_drafts(self) -> None:
        lang = self.lang
        editor = self._get("workshop editor", f"/{lang}/workshop/").body
        position = {name: hidden_value(editor, name)
                    for name in ("base_version", "revision")}
        shown = {"results_key": "", "coverage_key": ""}  # what the page's results are
        for save in range(1, DRAFT_SAVES + 1):
            text = f"Trainee {self.number}, save {save}。"
            if save % 2:
                # What the page's script sends a few seconds after each change: the fields as
                # JSON with the keys of the results it shows.
                draft = {"base_version": position["base_version"],
                         "revision": position["revision"], **workshop_fields(text), **shown}
                reply = self._post_json(f"autosave {save}", f"/{lang}/workshop/autosave", draft,
                                        (200,)).json()
                if reply.get("status") != "saved":
                    raise TraineeStopped
                position["revision"] = str(reply["revision"])
                shown = {name: reply[name] for name in shown}
                self.ack.drafts.append((reply["revision"], text, time.monotonic()))
            else:
                # "Save draft" pressed: a form post, then the editor again, whose script has
                # yet to learn the results' keys.
                self._post(f"draft save {save}", f"/{lang}/workshop/",
                           {**position, **workshop_fields(text), "action": "save"}, (302,))
                acknowledged_at = time.monotonic()
                editor = self._get(f"editor after save {save}", f"/{lang}/workshop/").body
                position["revision"] = hidden_value(editor, "revision")
                shown = dict.fromkeys(shown, "")
                self.ack.drafts.append((int(position["revision"]), text, acknowledged_at))

    def _take_quiz(self) -> None:
        lang = self.lang
        self._get("quiz", f"/{lang}/quiz/")
        started = self._post("quiz start", f"/{lang}/quiz/start", {}, (302,))
        attempt_path = started.location
        attempt_id = int(attempt_path.rstrip("/").rsplit("/", 1)[1])
        form = filled_form(self._get("quiz attempt", attempt_path).body, "quiz-form")
        self._post("quiz submit", attempt_path, form, (302,))
        self.ack.quiz_attempt = (attempt_id, time.monotonic())

    def _submit_workshop(self) -> None:
        lang = self.lang
        editor = self._get("editor before submitting", f"/{lang}/workshop/").body
        text = f"Trainee {self.number}, submitted。"
        fields = {name: hidden_value(editor, name)
                  for name in ("base_version", "revision")}
        reply = self._post("workshop submit", f"/{lang}/workshop/",
                           {**fields, **workshop_fields(text), "action": "submit"}, (302,))
        if not reply.location.endswith("/workshop/versions/1"):
            with self.tally.lock:
                self.tally.unexpected.append(
                    f"trainee {self.number} workshop submit went to {reply.location}")
            raise TraineeStopped
        self.ack.submission = (text, time.monotonic())


@dataclass
class RunResult:
    trainees: int
    seconds: float
    tally: Tally
    acknowledged: list[Acknowledged]
    missing: list[str]
    integrity: str
    log_alarms: list[str]
    killed_pid: int | None = None
    killed_at: float | None = None
    acknowledged_before_kill: int = 0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.tally.statuses.items() if status >= 500)

    @property
    def acknowledged_writes(self) -> int:
        return sum(len(ack.times()) for ack in self.acknowledged)

    @property
    def passed(self) -> bool:
        kill_broke_some = self.killed_pid is not None
        return (self.server_errors == 0 and not self.missing and self.integrity == "ok"
                and not self.log_alarms and not self.tally.unexpected
                and (kill_broke_some or not self.tally.broken))

    def summary(self) -> str:
        statuses = ", ".join(f"{status}: {count}" for status, count in
                             sorted(self.tally.statuses.items()))
        lines = [
            f"{self.trainees} trainees, {self.tally.answered} answers in {self.seconds:.1f} s "
            f"({self.tally.answered / self.seconds:.0f}/s); statuses {statuses}",
            f"5xx: {self.server_errors}; broken connections: {len(self.tally.broken)}; "
            f"unexpected answers: {len(self.tally.unexpected)}",
            f"acknowledged writes: {self.acknowledged_writes} (a draft save counts as kept when "
            "the trainee's own later save or submission replaced it), missing from the database: "
            f"{len(self.missing)}; integrity_check: {self.integrity}; "
            f"alarming log lines: {len(self.log_alarms)}",
        ]
        if self.killed_pid is not None:
            lines.append(f"killed worker {self.killed_pid} with SIGKILL; writes acknowledged "
                         f"before the kill: {self.acknowledged_before_kill}")
        lines += [f"  broken: {line}" for line in self.tally.broken]
        lines += [f"  unexpected: {line}" for line in self.tally.unexpected[:10]]
        lines += [f"  missing: {line}" for line in self.missing[:10]]
        lines += [f"  log: {line}" for line in self.log_alarms[:10]]
        return "\n".join(lines)


def missing_writes(database: Path, acknowledged: list[Acknowledged]) -> list[str]:
    """Return each acknowledged write the database does not hold."""
    db = sqlite3.connect(str(database))
    db.row_factory = sqlite3.Row
    missing = []
    try:
        for ack in acknowledged:
            user = db.execute("SELECT id FROM users WHERE email = ?", [ack.email]).fetchone()
            if user is None:
                if ack.joined_at is not None:
                    missing.append(f"{ack.email}: the account it joined with")
                continue
            user_id = user["id"]
            submission = db.execute(
                "SELECT workshop FROM workshop_submissions WHERE user_id = ? AND version = 1",
                [user_id]).fetchone()
            if ack.submission is not None:
                if submission is None or ack.submission[0] not in submission["workshop"]:
                    missing.append(f"{ack.email}: the submitted workshop")
            elif ack.draft is not None and submission is None:
                revision, text, _when = ack.draft
                draft = db.execute(
                    "SELECT revision, workshop FROM workshop_drafts WHERE user_id = ?",
                    [user_id]).fetchone()
                # A later save the trainee never heard about may have replaced it; an older
                # one may not.
                if draft is None or draft["revision"] < revision or (
                        draft["revision"] == revision and text not in draft["workshop"]):
                    missing.append(f"{ack.email}: draft revision {revision}")
            if ack.quiz_attempt is not None:
                attempt = db.execute(
                    """SELECT 1 FROM quiz_attempts WHERE id = ? AND user_id = ?
                       AND submitted_at IS NOT NULL AND percent IS NOT NULL""",
                    [ack.quiz_attempt[0], user_id]).fetchone()
                if attempt is None:
                    missing.append(f"{ack.email}: quiz attempt {ack.quiz_attempt[0]}")
    finally:
        db.close()
    return missing


def integrity(database: Path) -> str:
    """Return SQLite's integrity verdict, with any foreign-key violation appended."""
    db = sqlite3.connect(str(database))
    try:
        verdict = "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
        violations = db.execute("PRAGMA foreign_key_check").fetchall()
        return verdict if not violations else f"{verdict}; foreign key violations {violations}"
    finally:
        db.close()


def prepare(workdir: Path, trainees: int) -> tuple[Path, seed.Cohort]:
    """Create a database with a cohort whose odd-numbered trainees already have accounts."""
    database = workdir / "courseware.sqlite"
    seed.create_database(database)
    return database, seed.seed_cohort(database, "Load", trainees)


def run_trainees(server: Gunicorn, cohort: seed.Cohort, trainees: int, kill_worker: bool = False,
                 tally: Tally | None = None) -> tuple[list[Trainee], Tally, int | None, float | None]:
    """Let the trainees loose at once; optionally kill a worker part way through."""
    tally = tally or Tally()
    killed: dict[str, float | int] = {}
    if kill_worker:
        threshold = int(trainees * REQUESTS_PER_TRAINEE * KILL_AFTER_SHARE)
        kill_lock = threading.Lock()

        def maybe_kill(answered: int) -> None:
            if answered < threshold:
                return
            with kill_lock:
                if not killed:
                    killed["at"] = time.monotonic()
                    killed["pid"] = server.kill_one_worker()

        tally.answered_event = maybe_kill
    people = [Trainee(n, server.port, cohort, tally, join=n % 2 == 0) for n in range(trainees)]
    start = threading.Barrier(trainees)

    def go(person: Trainee) -> None:
        start.wait()
        person.run()

    threads = [threading.Thread(target=go, args=(person,), daemon=True) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return people, tally, killed.get("pid"), killed.get("at")  # type: ignore[return-value]


def load_run(workdir: Path, trainees: int = TRAINEES, kill_worker: bool = False) -> RunResult:
    """Run the scenario on a fresh database under gunicorn and check it afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    database, cohort = prepare(workdir, trainees)
    server = courseware_server(database, workdir / "gunicorn.log").start("/en/sign-in")
    began = time.monotonic()
    try:
        people, tally, killed_pid, killed_at = run_trainees(server, cohort, trainees,
                                                            kill_worker)
        seconds = time.monotonic() - began
    finally:
        server.stop()
    acknowledged = [person.ack for person in people]
    before_kill = 0
    if killed_at is not None:
        before_kill = sum(1 for ack in acknowledged for when in ack.times() if when < killed_at)
    return RunResult(
        trainees=trainees, seconds=seconds, tally=tally, acknowledged=acknowledged,
        missing=missing_writes(database, acknowledged), integrity=integrity(database),
        log_alarms=server.log_alarms(), killed_pid=killed_pid, killed_at=killed_at,
        acknowledged_before_kill=before_kill,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=TRAINEES)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="courseware-load-") as tmp:
        for title, kill in (("All workers up", False), ("One worker killed half way", True)):
            result = load_run(Path(tmp) / ("kill" if kill else "steady"), args.trainees, kill)
            print(f"== {title}: {'PASS' if result.passed else 'FAIL'}")
            print(result.summary())
            ok = ok and result.passed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
