"""A trainee joins, reads the module, switches language and opens the side-by-side view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, assert_no_horizontal_overflow
from tests.conftest import JOIN_CODE


def join(page, lang: str = "en") -> None:
    page.goto(f"/{lang}/join")
    page.fill("#join_code", JOIN_CODE)
    page.fill("#name", "李娜")
    page.fill("#email", "li.na@example.com")
    page.fill("#password", "a-long-passphrase")
    page.fill("#confirm", "a-long-passphrase")
    page.click("button[type=submit]")


def test_trainee_joins_reads_switches_language_and_opens_side_by_side(page, screenshot):
    join(page)
    expect(page.locator(".flash")).to_contain_text("Welcome, 李娜!")
    page.get_by_role("link", name="Start the module").click()
    expect(page.locator("h1")).to_have_text("Categories of customers")
    page.locator("a[rel=next]").click()
    expect(page.locator("h1")).to_have_text("Description")
    expect(page.locator(".progress-label").first).to_have_text("2 of 15 pages read")

    page.get_by_role("link", name="中文").click()
    expect(page).to_have_url(re.compile(r"/zh/module/description$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text("概述")

    page.get_by_role("link", name="中英对照显示").click()
    expect(page).to_have_url(re.compile(r"/zh/module/description/side-by-side$"))
    expect(page.locator(".pair [lang=en]").first).to_be_visible()
    expect(page.locator(".pair [lang=zh-Hans]").first).to_be_visible()

    page.goto("/zh/")
    expect(page.get_by_role("link", name=re.compile("继续学习"))).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_pages_render_in_both_languages_at_phone_and_desktop_width(page, screenshot, lang, device,
                                                                    viewport):
    join(page, lang)
    page.set_viewport_size(viewport)
    for page_id in ["customer-categories", "account-manager-role"]:
        page.goto(f"/{lang}/module/{page_id}")
        screenshot(page, f"{page_id}-{lang}-{device}")
        assert_no_horizontal_overflow(page)
    page.goto(f"/{lang}/module/selection-criteria/side-by-side")
    screenshot(page, f"side-by-side-{lang}-{device}")
    assert_no_horizontal_overflow(page)
    page.goto(f"/{lang}/")
    screenshot(page, f"home-{lang}-{device}")


def test_cjk_text_renders_with_a_cjk_font(page):
    join(page, "zh")
    page.goto("/zh/module/scope")
    # A missing CJK font shows boxes of equal width; real glyphs differ from the fallback box.
    width = page.evaluate("""() => {
        const span = document.createElement('span');
        span.textContent = '大客户管理';
        document.body.appendChild(span);
        return span.getBoundingClientRect().width;
    }""")
    assert width > 40
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
