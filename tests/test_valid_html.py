"""Every page type, as a visitor, a trainee and a trainer in both languages, is valid HTML.

The pages are rendered by the Flask test client, links followed from each role's start pages,
and checked by the Nu HTML Checker (the `vnu-jar` package from npm, on Java 17) in one run:
the JVM takes seconds to start. The jar is fetched once into .cache/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from courseware.auth import resets
from courseware.config import PROJECT_ROOT
from courseware.db import connect
from tests.conftest import (
    TRAINEE,
    TRAINER,
    browser_client,
    make_app,
    seed_people,
    sign_in,
)
from tests.support.live import running_session
from tests.support.trainer import full_levels, grading_url, hand_in, post_grade
from tests.test_quiz_views import bank, right_answers, start, submit

pytestmark = pytest.mark.html

VNU_VERSION = "26.9.27"
VNU_JAR = PROJECT_ROOT / ".cache" / "vnu" / VNU_VERSION / "vnu.jar"
LANGS = ("en", "zh")
# Endpoints that never answer with a page of their own: redirects (followed), then downloads
# and static files (not fetched).
REDIRECTS = {"root", "trainer.landing"}
NOT_FETCHED = {
    "static", "quiz.export_attempts", "trainer.export_results", "trainer.export_workbook",
    "trainer.export_submission", "trainer.export_all_submissions",
    "trainer.export_trainee_submissions", "live.export", "certificates.pdf",
    # JSON for the pages' scripts and the platforms
    "live.projector_state", "live.phone_state", "lti.jwks",
    # A platform's entry points, which need its signed launch (tests/test_lti_launch.py)
    "lti.login", "lti.continue_launch",
}
# Pages whose address carries no language (the certificate's verification page, printed in
# its QR code): checked in each language a browser may ask for, not crawled per prefix.
LANGUAGE_FREE = {"verify.verify"}
NOT_PAGES = REDIRECTS | NOT_FETCHED
# Pages of one type that differ only in their query's values (the dashboard's sort links)
# are checked once: the set of query names is part of the key, not their values.
MAX_PAGES = 600


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def vnu_jar() -> Path:
    """Return the checker's jar, fetching it with npm the first time."""
    if shutil.which("java") is None:
        _missing("java is missing: apt-get install openjdk-17-jre-headless")
    if VNU_JAR.exists():
        return VNU_JAR
    if shutil.which("npm") is None:
        _missing("npm is missing (it fetches the vnu-jar package once): apt-get install npm")
    with tempfile.TemporaryDirectory() as scratch:
        packed = subprocess.run(
            ["npm", "pack", f"vnu-jar@{VNU_VERSION}", "--silent"], cwd=scratch,
            capture_output=True, text=True, timeout=300, check=False)
        tarball = Path(scratch) / f"vnu-jar-{VNU_VERSION}.tgz"
        if packed.returncode or not tarball.exists():
            _missing(f"npm could not fetch vnu-jar@{VNU_VERSION}: {packed.stderr.strip()}")
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/build/dist/vnu.jar")
            assert member is not None
            VNU_JAR.parent.mkdir(parents=True, exist_ok=True)
            partial = VNU_JAR.with_suffix(".part")
            partial.write_bytes(member.read())
            partial.replace(VNU_JAR)  # whole or not at all, for the next run
    return VNU_JAR


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _seed(app, ids) -> dict[str, list[str]]:
    """Give every page something to show; return extra start pages per role."""
    trainee, trainer = browser_client(app), browser_client(app)
    sign_in(trainee, TRAINEE)
    sign_in(trainer, TRAINER)
    for page in ("scope", "focal-point"):
        trainee.get(f"/en/module/{page}")
    first_quiz = start(trainee)
    submit(trainee, first_quiz, right_answers(bank(app)))
    open_quiz = start(trainee)  # left open: the page that takes the quiz
    first = hand_in(app, ids["trainee"], ids["cohort"], justification="=Growth first.")
    post_grade(trainer, grading_url("en", ids["cohort"], first),
               {**full_levels(app, index=1), "comment-overall": "Revise the KPIs.",
                "action": "return"})
    second = hand_in(app, ids["trainee"], ids["cohort"])
    trainer.post("/en/trainer/comment-bank", json={"target": "overall", "text": "Well argued."})
    # A certificate, so that the trainee's certificate page, the trainer's revoke form and the
    # verification page have it to show.
    db = connect(app.config["DATABASE"])
    with db.conn:
        db["certificates"].insert({"id": "c" * 32, "user_id": ids["trainee"], "cohort_id": ids["cohort"],
                                   "name": TRAINEE["name"], "org_name": "Acme", "show_org": 1,
                                   "issued_on": "2026-01-01", "expires_on": "2099-01-01"})
    db.close()
    # A second trainee, removed, so that the dashboard lists removed trainees.
    db = connect(app.config["DATABASE"])
    with db.conn:
        db.execute("UPDATE users SET cohort_id = ? WHERE id = ?",
                   [ids["cohort"], ids["other_trainee"]])
    db.close()
    trainer.post(f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['other_trainee']}/remove")
    db = connect(app.config["DATABASE"])
    with db.conn:
        token, _expires = resets.issue(db, ids["other_trainer"], app.config["CLOCK"]())
    db.close()
    live = running_session(app, ids["cohort"], ids["trainer"])
    cohort, dashboard = ids["cohort"], f"/{{lang}}/trainer/cohorts/{ids['cohort']}"
    return {
        "visitor": ["/{lang}/", "/{lang}/sign-in", "/{lang}/join", "/{lang}/reset-password",
                    f"/{{lang}}/reset-password/{token}", "/{lang}/no-such-page"],
        "trainee": ["/{lang}/", open_quiz.replace("/en/", "/{lang}/", 1), "/{lang}/certificate/",
                    "/{lang}/account/password", "/{lang}/trainer/", "/{lang}/live/join",
                    f"/{{lang}}/live/s/{live.code}/"],
        "trainer": ["/{lang}/trainer/start", f"{dashboard}/",
                    f"{dashboard}/submissions/{second}/?confirm=release",
                    f"{dashboard}/submissions/{second}/?confirm=return",
                    f"{dashboard}/trainees/{ids['trainee']}/?confirm=remove",
                    f"/{{lang}}/quiz/cohort/{cohort}",
                    f"{dashboard}/debrief/exemplars",
                    f"/{{lang}}/live/sessions/{live.session_id}/",
                    f"/{{lang}}/live/sessions/{live.session_id}/projector"],
    }


def _crawl(client, starts: list[str], lang: str) -> list[tuple[str, str, str]]:
    """Return (url, endpoint, html) for each page reached in the language from the starts."""
    adapter = client.application.url_map.bind("localhost")
    queue = deque(start.format(lang=lang) for start in starts)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    pages = []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        key = (parts.path, tuple(sorted(re.findall(r"([^&=]+)=", parts.query))))
        if key in seen or not parts.path.startswith(f"/{lang}/"):
            continue
        seen.add(key)
        try:
            endpoint = adapter.match(parts.path)[0]
        except HTTPException:
            endpoint = "(not found)"
        if endpoint in NOT_FETCHED:
            continue
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.appendleft(response.headers["Location"])
            continue
        if not response.content_type.startswith("text/html"):
            continue
        html = response.get_data(as_text=True)
        pages.append((url, endpoint, html))
        queue.extend(_links(html, url))
    return pages


def _posted_pages(client_for, ids) -> list[tuple[str, str, str, str]]:
    """Pages that answer a form with its errors, as each role sees them."""
    pages = []
    for lang in LANGS:
        visitor = client_for("visitor")
        for url, data in ((f"/{lang}/sign-in", {"email": "x@example.com", "password": "wrong"}),
                          (f"/{lang}/join", {"name": " ", "email": "not-an-email"})):
            pages.append(("visitor", url + " (posted)", "form errors",
                          visitor.post(url, data=data).get_data(as_text=True)))
        trainer = client_for("trainer")
        url = f"/{lang}/trainer/cohorts/{ids['cohort']}/settings"
        pages.append(("trainer", url + " (posted)", "form errors", trainer.post(
            url, data={"name": "", "pass_mark": "200", "max_key_accounts": "x"}
        ).get_data(as_text=True)))
    return pages


def vnu_errors(jar: Path, pages: list[tuple[str, str, str, str]], folder: Path) -> list[str]:
    """Check (role, url, endpoint, html) pages in one run of the checker; return its errors."""
    files = {}
    for number, page in enumerate(pages):
        path = folder / f"{number:04d}.html"
        path.write_text(page[3], encoding="utf-8")
        files[path.name] = page
    result = subprocess.run(
        ["java", "-Xss2m", "-jar", str(jar), "--format", "json", "--errors-only",
         "--exit-zero-always", *[str(folder / name) for name in files]],
        capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = []
    for message in messages:
        name = message.get("url", "").rpartition("/")[2]
        role, url, _endpoint, _html = files.get(name, ("?", message.get("url", "?"), "", ""))
        errors.append(f"{url} as {role}, line {message.get('lastLine', '?')}: "
                      f"{message.get('message', '').strip()}"
                      f" [{message.get('extract', '').strip()[:80]}]")
    return errors


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Crawl every role in both languages, check all pages in one vnu run; return both."""
    jar = vnu_jar()
    app = make_app(tmp_path_factory.mktemp("html"), SMTP_URL="smtp://127.0.0.1:2525",
                   BASE_URL="http://localhost")
    seed_people(app)
    ids = app.config["SEEDED_IDS"]
    starts = _seed(app, ids)
    people = {"visitor": None, "trainee": TRAINEE, "trainer": TRAINER}

    def client_for(role):
        client = browser_client(app)
        if people[role]:
            assert sign_in(client, people[role]).status_code == 302
        return client

    pages = [(role, url, endpoint, html) for role in people for lang in LANGS
             for url, endpoint, html in _crawl(client_for(role), starts[role], lang)]
    pages += _posted_pages(client_for, ids)
    pages += [("visitor", f"/verify/{'c' * 32} ({lang})", "verify.verify", client_for("visitor").get(
        f"/verify/{'c' * 32}", headers={"Accept-Language": lang}).get_data(as_text=True))
        for lang in LANGS]
    errors = vnu_errors(jar, pages, tmp_path_factory.mktemp("pages"))
    return {"pages": pages, "errors": errors, "app": app}


def test_every_page_type_is_crawled_as_someone_in_both_languages(checked):
    get_endpoints = {rule.endpoint for rule in checked["app"].url_map.iter_rules()
                     if "GET" in (rule.methods or set())} - NOT_PAGES - LANGUAGE_FREE
    for lang in LANGS:
        reached = {endpoint for _role, url, endpoint, _html in checked["pages"]
                   if url.startswith(f"/{lang}/")}
        assert get_endpoints <= reached, f"never crawled in {lang}: {get_endpoints - reached}"
    assert "(not found)" in {page[2] for page in checked["pages"]}  # the 404 page
    assert {page[2] for page in checked["pages"]} >= LANGUAGE_FREE


def test_every_page_is_valid_html(checked):
    assert len(checked["pages"]) > 150  # 198 when written
    assert not checked["errors"], (f"{len(checked['errors'])} HTML errors:\n"
                                   + "\n".join(checked["errors"]))


def test_the_checker_names_the_page_and_the_error(tmp_path):
    bad = ("visitor", "/en/bad", "(test)", '<!doctype html><html lang="en"><title>x</title>'
           '<p><span aria-label="x">a</span></p>')
    good = ("visitor", "/en/good", "(test)", '<!doctype html><html lang="en"><title>x</title>')
    errors = vnu_errors(vnu_jar(), [good, bad], tmp_path)
    assert len(errors) == 1
    assert errors[0].startswith("/en/bad as visitor, line 1: The “aria-label” attribute must not")
