"""Throughput of the app's busiest pages as a share of a bare Flask "Hello, World!" app.

Run `python -m bench.speed` (or `make bench`). The figures are a regression check printed
beside `make capacity`, which is the measure that matters: only the module page has a floor
(0.3), so that a change that makes the commonest page much slower is noticed.

Both apps run under gunicorn with the same settings (4 sync workers, loopback); wrk loads
them alternately, round after round, so both see the same machine in the same state. Each
round's ratio is the app's rate over the hello-world rate measured just before it; the
median of the rounds' ratios is reported, with their range. This machine is a virtual one:
its host may hand some of its CPU time to other guests during a run (Linux counts that time
as "steal"), so each rate is taken per second of CPU the machine had, and the table says how
much was taken.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import seed
from bench.browser import Browser, hidden_value
from bench.load import workshop_fields
from bench.server import HOST, PROJECT_ROOT, Gunicorn, courseware_server, hello_server

WRK_SCRIPTS = Path(__file__).resolve().parent / "wrk"
CONNECTIONS = 8  # twice the workers, so none waits for the client between requests
ROUNDS = 5  # the median of several rounds: on a shared host one round can land far off
SECONDS = 3
DASHBOARD_COHORT = 500
MODULE_PAGE = "module page (signed in)"
MODULE_PAGE_FLOOR = 0.3


@dataclass(frozen=True)
class DraftSessions:
    """Signed-in trainees for the draft-save script: one per wrk connection."""

    path: Path
    database: Path
    # user id, cookie, the draft as JSON without the revision and results' keys
    lines: tuple[tuple[int, str, str], ...]

    def write(self) -> Path:
        """Write the sessions with each draft's current revision, as the page would hold it."""
        db = sqlite3.connect(str(self.database))
        try:
            revisions = dict(db.execute("SELECT user_id, revision FROM workshop_drafts"))
        finally:
            db.close()
        self.path.write_text("".join(
            f"{cookie}\t{revisions.get(user_id, 0)}\t{body}\n"
            for user_id, cookie, body in self.lines))
        return self.path


@dataclass(frozen=True)
class Target:
    """One thing to load: a path with the session it needs."""

    name: str
    path: str
    email: str = ""  # whose signed-in page it is
    drafts: DraftSessions | None = None


@dataclass(frozen=True)
class Measurement:
    target: Target
    app_rates: tuple[float, ...]
    hello_rates: tuple[float, ...]
    not_200: int
    # Each run's share of the machine's CPU time that the host gave to other guests.
    app_stolen: tuple[float, ...] = ()
    hello_stolen: tuple[float, ...] = ()

    @property
    def app_rate(self) -> float:
        return statistics.median(self.app_rates)

    @property
    def hello_rate(self) -> float:
        return statistics.median(self.hello_rates)

    @property
    def round_ratios(self) -> list[float]:
        # Each round against its own hello-world run: the machine's speed drifts between
        # rounds on a shared host, and a ratio of medians taken minutes apart carries that.
        # Each rate counts the seconds of CPU the machine had, not those the host took back.
        app = _per_cpu_had(self.app_rates, self.app_stolen)
        hello = _per_cpu_had(self.hello_rates, self.hello_stolen)
        return [app_rate / hello_rate for app_rate, hello_rate in zip(app, hello, strict=True)]

    @property
    def raw_ratio(self) -> float:
        """The median ratio of the rates as measured, CPU taken by the host included."""
        return statistics.median(app / hello for app, hello in
                                 zip(self.app_rates, self.hello_rates, strict=True))

    @property
    def stolen(self) -> float:
        """The largest share of CPU time the host took during any of the runs."""
        return max((*self.app_stolen, *self.hello_stolen), default=0.0)

    @property
    def ratio(self) -> float:
        return statistics.median(self.round_ratios)


def _per_cpu_had(rates: tuple[float, ...], stolen: tuple[float, ...]) -> list[float]:
    return [rate / (1 - share) for rate, share in zip(rates, stolen or (0.0,) * len(rates),
                                                      strict=True)]


def cpu_times() -> tuple[int, ...]:
    """The machine's CPU time so far, in ticks: user, nice, system, idle, iowait, irq,
    softirq, steal (empty where /proc/stat does not say)."""
    try:
        with open("/proc/stat") as stat:
            return tuple(int(ticks) for ticks in stat.readline().split()[1:9])
    except (OSError, ValueError):
        return ()


def stolen_share(before: tuple[int, ...], after: tuple[int, ...]) -> float:
    """The share of the CPU time between two readings that the host gave to other guests."""
    if len(before) < 8 or len(after) < 8:
        return 0.0
    spent = [later - earlier for earlier, later in zip(before, after, strict=True)]
    total = sum(spent)
    # (Capped: a run the host took nearly all of would say nothing either way.)
    return min(spent[7] / total, 0.9) if total > 0 else 0.0


def wrk(url: str, seconds: int, script: Path, cookie: str = "",
        script_args: tuple[str, ...] = ()) -> tuple[float, int, float]:
    """Run wrk against url; return requests per second, how many answers were not 200 and
    the share of CPU time the host took meanwhile."""
    command = ["wrk", f"-t{CONNECTIONS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += [url]
    if script_args:
        command += ["--", *script_args]
    before = cpu_times()
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout
    stolen = stolen_share(before, cpu_times())
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    bad = re.search(r"NOT-200 (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    if not rate or not bad:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    broken = sum(int(n) for n in errors.groups()) if errors else 0
    return float(rate.group(1)), int(bad.group(1)) + broken, stolen


def measure(app: Gunicorn, hello: Gunicorn, target: Target, rounds: int,
            seconds: int) -> Measurement:
    """Load hello-world and the target alternately; return both rates per round."""
    app_rates, hello_rates, app_stolen, hello_stolen, not_200 = [], [], [], [], 0
    for _round in range(rounds):
        rate, _bad, stolen = wrk(hello.base_url + "/", seconds, WRK_SCRIPTS / "count.lua")
        hello_rates.append(rate)
        hello_stolen.append(stolen)
        if target.drafts is not None:
            # A save cut off when the previous run stopped may have moved a revision on.
            rate, bad, stolen = wrk(app.base_url + target.path, seconds,
                                    WRK_SCRIPTS / "draft_save.lua",
                                    script_args=(str(target.drafts.write()),))
        else:
            browser = signed_in(app.port, target.email)
            checked(browser, target.path)
            rate, bad, stolen = wrk(app.base_url + target.path, seconds,
                                    WRK_SCRIPTS / "count.lua", cookie=browser.session_cookie())
        app_rates.append(rate)
        app_stolen.append(stolen)
        not_200 += bad
    return Measurement(target, tuple(app_rates), tuple(hello_rates), not_200,
                       tuple(app_stolen), tuple(hello_stolen))


def signed_in(port: int, email: str, lang: str = "en") -> Browser:
    """Return a browser signed in as email (a seeded account)."""
    browser = Browser(HOST, port)
    browser.get(f"/{lang}/sign-in")
    reply = browser.post(f"/{lang}/sign-in", {"email": email, "password": seed.PASSWORD})
    if reply.status != 302:
        raise RuntimeError(f"could not sign in {email}: HTTP {reply.status}")
    return browser


def checked(browser: Browser, path: str) -> str:
    """Return the page's HTML, insisting it is a 200 (not a sign-in redirect)."""
    reply = browser.get(path)
    if reply.status != 200:
        raise RuntimeError(f"{path} answered HTTP {reply.status}, not 200")
    return reply.body


def targets(app: Gunicorn, workdir: Path, database: Path) -> list[Target]:
    """Seed the database and sign people in; return what to load."""
    cohort = seed.seed_cohort(database, f"Dashboard {DASHBOARD_COHORT}", DASHBOARD_COHORT,
                              with_progress=True)
    bench = seed.seed_cohort(database, "Bench", CONNECTIONS + 1)

    reader = signed_in(app.port, bench.trainee_emails[0])
    module_page = f"/en/module/{seed.page_ids()[0]}"
    checked(reader, module_page)
    checked(reader, "/en/quiz/")
    started = reader.post("/en/quiz/start", {})
    quiz_page = started.location
    checked(reader, quiz_page)

    # One trainee per wrk connection, each with the draft its workshop page's script would send.
    lines = []
    for email in bench.trainee_emails[1:]:
        writer = signed_in(app.port, email)
        editor = checked(writer, "/en/workshop/")
        draft = {"base_version": hidden_value(editor, "base_version"),
                 **workshop_fields("Saved by the benchmark.")}
        lines.append((seed.user_id(database, email), writer.session_cookie(),
                      json.dumps(draft)))
    drafts = DraftSessions(workdir / "draft_sessions.tsv", database, tuple(lines))

    trainer = signed_in(app.port, seed.TRAINER_EMAIL)
    dashboard = f"/en/trainer/cohorts/{cohort.id}/"
    checked(trainer, dashboard)
    return [
        Target(MODULE_PAGE, module_page, email=bench.trainee_emails[0]),
        Target("quiz page", quiz_page, email=bench.trainee_emails[0]),
        Target("workshop draft save", "/en/workshop/autosave", drafts=drafts),
        Target(f"trainer dashboard, {DASHBOARD_COHORT} trainees", dashboard,
               email=seed.TRAINER_EMAIL),
    ]


def run(rounds: int, seconds: int, only: str = "") -> list[Measurement]:
    """Start both apps, measure every target, stop both."""
    with tempfile.TemporaryDirectory(prefix="courseware-bench-") as tmp:
        workdir = Path(tmp)
        database = workdir / "courseware.sqlite"
        seed.create_database(database)
        with courseware_server(database, workdir / "app.log") as app, \
                hello_server(workdir / "hello.log") as hello:
            app.start("/en/sign-in")
            hello.start("/")
            results = [measure(app, hello, target, rounds, seconds)
                       for target in targets(app, workdir, database) if only in target.name]
            alarms = app.log_alarms()
        if alarms:
            raise RuntimeError("the app's log shows errors:\n" + "\n".join(alarms[:20]))
    return results


def report(results: list[Measurement]) -> tuple[str, bool]:
    """Return the table of ratios, and whether every answer was a 200 and the module page
    kept its floor."""
    lines = [f"{'what':36} {'app req/s':>10} {'hello req/s':>12} {'ratio':>6} {'rounds':>10} "
             f"{'raw':>5} {'host took':>9}", "-" * 94]
    ok = True
    for item in results:
        notes = []
        if item.not_200:
            notes.append(f"{item.not_200} answers not 200")
            ok = False
        if item.target.name == MODULE_PAGE and item.ratio < MODULE_PAGE_FLOOR:
            notes.append(f"BELOW THE FLOOR OF {MODULE_PAGE_FLOOR}")
            ok = False
        spread = f"{min(item.round_ratios):.2f}-{max(item.round_ratios):.2f}"
        lines.append(f"{item.target.name:36} {item.app_rate:10.1f} {item.hello_rate:12.1f} "
                     f"{item.ratio:6.2f} {spread:>10} {item.raw_ratio:5.2f} "
                     f"{item.stolen:>8.0%}  {'; '.join(notes)}".rstrip())
    lines.append("ratio: per second of CPU the machine had; raw: per second of the clock; "
                 "host took: the most CPU time the host gave other guests during a run")
    return "\n".join(lines), ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--seconds", type=int, default=SECONDS, help="per wrk run")
    parser.add_argument("--only", default="", help="measure only the targets whose name has this")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    os.chdir(PROJECT_ROOT)
    print(f"gunicorn, 4 sync workers each; wrk {CONNECTIONS} connections; {args.rounds} rounds "
          f"of {args.seconds} s per target, alternating; {os.cpu_count()} CPUs")
    results = run(args.rounds, args.seconds, args.only)
    text, ok = report(results)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
