"""Module pages stay light on a phone's connection: HTML, styles and scripts under 100 KB."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from courseware.loaded_course import get_course

LIMIT_BYTES = 100 * 1024
# Fonts are not counted: the pages use the system's fonts and the app ships none.
FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf")
REFERENCE = re.compile(
    r'<(?:link\b[^>]*\bhref|script\b[^>]*\bsrc|img\b[^>]*\bsrc)="([^"]+)"', re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def transferred(client, url: str) -> dict[str, int]:
    """Return the bytes of the page and of everything it makes the browser fetch."""
    sizes: dict[str, int] = {}
    pending = [url]
    while pending:
        current = pending.pop()
        if current in sizes or current.endswith(FONT_SUFFIXES):
            continue
        response = client.get(current)
        body = response.get_data()
        response.close()  # static files are streamed from an open file
        assert response.status_code == 200, current
        sizes[current] = len(body)
        found = []
        if current == url:
            found = REFERENCE.findall(body.decode())
        elif current.endswith(".css"):
            found = CSS_URL.findall(body.decode())
        for reference in found:
            parts = urlsplit(reference)
            if not parts.scheme and not reference.startswith(("data:", "#")):
                pending.append(parts.path)
    return sizes


def module_urls(app, lang: str) -> list[str]:
    with app.app_context():
        page_ids = [page.id for page in get_course().pages[lang]]
    return ([f"/{lang}/module/", f"/{lang}/module/handout"]
            + [f"/{lang}/module/{page_id}" for page_id in page_ids]
            + [f"/{lang}/module/{page_id}/side-by-side" for page_id in page_ids])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_module_page_transfers_under_100_kb(trainee_client, app, lang):
    weights = {}
    for url in module_urls(app, lang):
        sizes = transferred(trainee_client, url)
        assert any(path.endswith(".css") for path in sizes), f"{url}: no stylesheet found"
        weights[url] = sum(sizes.values())
    heavy = {url: weight for url, weight in weights.items() if weight > LIMIT_BYTES}
    assert not heavy, f"over {LIMIT_BYTES} bytes: {heavy}"
    assert len(weights) > 20
