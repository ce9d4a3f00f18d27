"""Where a request's time goes: the benchmark's pages called in process, without HTTP.

Run `python -m bench.profile` for microseconds per request of each page, or
`python -m bench.profile --profile NAME` for a cProfile of one of them. The app is called as
gunicorn calls it (a WSGI environ, the same cookie each time), on a database seeded like the
benchmark's, so what shows here is the app's own cost per request.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.test import EnvironBuilder

from bench import seed
from bench.browser import hidden_value
from bench.hello import app as hello_app
from bench.load import workshop_fields
from courseware import create_app


def _app(database: Path) -> Flask:
    return create_app({"DATABASE": str(database), "SECRET_KEY": "profile-secret"})


def _sign_in(app: Flask, email: str) -> Any:
    client = app.test_client()
    reply = client.post("/en/sign-in", data={"email": email, "password": seed.PASSWORD})
    if reply.status_code != 302:
        raise RuntimeError(f"could not sign in {email}")
    return client


def _cookie(client: Any) -> str:
    cookie = client.get_cookie("session")
    return f"session={cookie.value}; lang=en"


def requests(database: Path) -> tuple[Flask, dict[str, Callable[[], dict[str, Any]]]]:
    """Seed like the benchmark; return the app and a WSGI environ maker for each page."""
    seed.create_database(database)
    large = seed.seed_cohort(database, "Dashboard 500", 500, with_progress=True)
    bench = seed.seed_cohort(database, "Bench", 2)
    app = _app(database)
    reader = _sign_in(app, bench.trainee_emails[0])
    module_page = f"/en/module/{seed.page_ids()[0]}"
    reader.get(module_page)
    quiz_page = reader.post("/en/quiz/start").headers["Location"]
    writer = _sign_in(app, bench.trainee_emails[1])
    editor = writer.get("/en/workshop/").get_data(as_text=True)
    trainer = _sign_in(app, seed.TRAINER_EMAIL)
    fields = {"base_version": hidden_value(editor, "base_version"),
              **workshop_fields("Saved by the profile.")}

    def get(path: str, client: Any) -> Callable[[], dict[str, Any]]:
        cookie = _cookie(client)
        return lambda: EnvironBuilder(path=path, headers={"Cookie": cookie}).get_environ()

    # What the page holds between saves: the revision and the keys of the results and
    # coverage it shows, each as the previous save returned it.
    shown = {"revision": "0", "results_key": "", "coverage_key": ""}

    def draft_save() -> dict[str, Any]:
        # The page's script sends the form's fields as JSON, from the app's own page.
        body = json.dumps({**fields, **shown})
        return EnvironBuilder(path="/en/workshop/autosave", method="POST", data=body,
                              content_type="application/json",
                              headers={"Cookie": _cookie(writer), "Accept": "application/json",
                                       "Origin": "http://localhost",
                                       "Sec-Fetch-Site": "same-origin"}).get_environ()

    def remember(reply: bytes) -> None:
        saved = json.loads(reply)
        shown.update({name: str(saved[name]) for name in shown if name in saved})

    draft_save.remember = remember  # type: ignore[attr-defined]
    return app, {
        "module": get(module_page, reader),
        "quiz": get(quiz_page, reader),
        "draft": draft_save,
        "dashboard500": get(f"/en/trainer/cohorts/{large.id}/", trainer),
    }


def call(app: Flask, environ: dict[str, Any]) -> tuple[str, bytes]:
    """Call the app as a WSGI server would; return the status and the body."""
    status: list[str] = []
    body = b"".join(app.wsgi_app(environ, lambda s, h, e=None: status.append(s)))
    return status[0], body


def time_page(app: Flask, make: Callable[[], dict[str, Any]], count: int) -> float:
    """Return microseconds per request, environ building excluded."""
    remember = getattr(make, "remember", None)
    total = 0.0
    for _ in range(count):
        environ = make()
        start = time.perf_counter()
        status, body = call(app, environ)
        total += time.perf_counter() - start
        if not status.startswith("200"):
            raise RuntimeError(f"answered {status}")
        if remember:
            remember(body)
    return total / count * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="cProfile this page")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime, ...")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="courseware-profile-") as tmp:
        app, pages = requests(Path(tmp) / "courseware.sqlite")
        if not args.profile:
            hello = lambda: EnvironBuilder(path="/").get_environ()  # noqa: E731
            time_page(hello_app, hello, 100)
            print(f"{'hello-world':22} {time_page(hello_app, hello, args.count):8.0f} µs per request")
        for name, make in pages.items():
            if args.profile and name != args.profile:
                continue
            count = args.count // 20 if name.startswith("dashboard") else args.count
            time_page(app, make, max(count // 10, 3))  # warm the caches
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                time_page(app, make, count)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(60)
                print(out.getvalue())
            print(f"{name:22} {time_page(app, make, count):8.0f} µs per request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
