"""Browser tests: the app on a live local server, driven in Debian's Chromium by Playwright."""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app, seed_people
from tests.support.servers import QUICK_SHUTDOWN

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}



def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


logging.getLogger("werkzeug").setLevel(logging.WARNING)


class LiveServer:
    def __init__(self, app) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs=QUICK_SHUTDOWN, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The app with the seeded cohort, trainer and trainee, on a free local port."""
    app = make_app(tmp_path)
    seed_people(app)
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context at desktop width; tests resize it for phone shots."""
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    external: list[str] = []
    context.on("request", lambda request: request.url.startswith(live_server.url)
               or request.url.startswith("data:") or external.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    # A 404 *page* is something tests visit on purpose; a broken script, style or image is not.
    page.on("console", lambda msg: msg.type == "error"
            and not msg.text.startswith("Failed to load resource") and errors.append(msg.text))
    page.on("response", lambda response: response.status >= 400
            and response.request.resource_type != "document"
            and errors.append(f"{response.status} {response.url}"))
    yield page
    context.close()
    assert external == [], f"the page made requests outside the app: {external}"
    assert errors == [], f"console errors or failed resources (CSP violations show here): {errors}"


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot as test-results/screenshots/<test>-<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{request.node.originalname}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def assert_no_horizontal_overflow(page) -> None:
    """Nothing sticks out sideways (the classic phone-layout bug)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A/AA (or best-practice) violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"{page.url}:\n{report}"
