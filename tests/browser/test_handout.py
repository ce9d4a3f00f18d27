"""The printable handout: English, Chinese or side by side, each with a print button."""

from __future__ import annotations

import unicodedata

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, SCREENSHOTS, assert_no_horizontal_overflow
from tests.browser.test_module_browser import join

PHONE_360 = {"width": 360, "height": 740}
TEXTS = {"en": "Categories of customers", "zh": "客户类别"}
# Words of page 1 as the PDF's text layer gives them back (its CJK font maps 户 to a radical
# that normalises to 戶, so the Chinese words avoid that character).
PDF_WORDS = {"en": "Categoriesofcustomers", "zh": "开拓新业务"}
PRINT_BUTTON = {"en": "Print this handout", "zh": "打印这份讲义"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("text", ["en", "zh", "side-by-side"])
def test_each_handout_has_a_print_button_and_prints_without_navigation(page, screenshot, lang,
                                                                       text):
    join(page, lang)
    for device, viewport in [("phone", PHONE_360), ("desktop", DESKTOP)]:
        page.set_viewport_size(viewport)
        page.goto(f"/{lang}/module/handout/{text}")
        button = page.get_by_role("button", name=PRINT_BUTTON[lang])
        expect(button).to_be_visible()
        expect(page.locator(".handout-texts a[aria-current=page]")).to_have_count(1)
        shown = [TEXTS["en"], TEXTS["zh"]] if text == "side-by-side" else [TEXTS[text]]
        for title in shown:
            expect(page.locator(".handout-page :is(h2, .h2)", has_text=title).first).to_be_visible()
        assert_no_horizontal_overflow(page)
        screenshot(page, f"{text}-{lang}-{device}")
        _top(page, f"handout-{text}-{lang}-{device}")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(button).to_be_hidden()
    expect(page.locator(".handout-texts")).to_be_hidden()


def test_the_print_button_opens_the_print_dialog(page):
    join(page)
    page.goto("/en/module/handout/zh")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.get_by_role("button", name="Print this handout").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")


def test_without_javascript_there_is_no_dead_print_button(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    join(page)
    page.goto("/en/module/handout/side-by-side")
    expect(page.locator("h2", has_text=TEXTS["en"]).first).to_be_visible()
    expect(page.get_by_role("button", name="Print this handout")).to_be_hidden()
    context.close()


def _top(page, name: str) -> None:
    """The first screenful too: a full handout is too long to read in one image."""
    page.screenshot(path=str(SCREENSHOTS / f"{name}-top.png"))


def _text_by_column(pdf_page) -> dict[str, str]:
    """The page's text split at the middle of the sheet into its left and right halves."""
    width, height = pdf_page.get_size()
    text = pdf_page.get_textpage()
    return {"left": _plain(text.get_text_bounded(0, 0, width / 2, height)),
            "right": _plain(text.get_text_bounded(width / 2, 0, width, height))}


def _all_text(document) -> str:
    return "".join(page.get_textpage().get_text_range() for page in document)


def _plain(text: str) -> str:
    """PDF text as a reader sees it: the CJK font's Kangxi radicals (⼾) as the characters (户)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_side_by_side_handout_prints_as_two_columns_on_a4(page, screenshot, lang):
    join(page, lang)
    page.goto(f"/{lang}/module/handout/side-by-side")
    # The sheet as the print stylesheet lays it out, A4's width at 96 dpi, to look at.
    page.set_viewport_size({"width": 794, "height": 1123})
    page.emulate_media(media="print")
    screenshot(page, f"print-{lang}")
    _top(page, f"handout-print-{lang}")
    document = pdfium.PdfDocument(page.pdf(prefer_css_page_size=True))
    first = document[0]
    # A4 in points, as the print stylesheet asks.
    assert tuple(round(side) for side in first.get_size()) == (595, 842)
    columns = _text_by_column(first)
    assert PDF_WORDS["en"] in columns["left"] and PDF_WORDS["zh"] not in columns["left"]
    assert PDF_WORDS["zh"] in columns["right"] and PDF_WORDS["en"] not in columns["right"]
    whole = _all_text(document)
    # Nothing of the screen's furniture is printed.
    assert PRINT_BUTTON[lang] not in whole and "Sign out" not in whole and "退出登录" not in whole
    # Each module page starts a sheet: 15 pages of text need at least 15 sheets.
    assert len(document) >= 15


@pytest.mark.parametrize("text", ["en", "zh"])
def test_a_one_language_handout_prints_its_text_on_a4(page, text):
    join(page, "en")
    page.goto(f"/en/module/handout/{text}")
    document = pdfium.PdfDocument(page.pdf(prefer_css_page_size=True))
    assert PDF_WORDS[text] in _plain(document[0].get_textpage().get_text_range())
    assert "Print this handout" not in _all_text(document)
