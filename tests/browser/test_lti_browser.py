"""The LTI launch in a real browser: from a platform's page on another site (localhost against
127.0.0.1), in its frame and in a new window, in English and Chinese, on a phone and a desktop."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, LiveServer, assert_no_horizontal_overflow
from tests.support.lti import lti_app, register, tool_jwks
from tests.support.lti_platform import Platform

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def tool_and_platform(tmp_path):
    app = lti_app(tmp_path)
    with LiveServer(app) as server:
        platform = Platform(tool_jwks(app))
        # Another site than the tool's 127.0.0.1, as a real platform is: cookies are third-party.
        platform.url = platform.url.replace("127.0.0.1", "localhost")
        platform.issuer = platform.url
        platform.tool_url = server.url
        register(app, platform)
        try:
            yield server, platform
        finally:
            platform.close()


def _context(browser, viewport):
    context = browser.new_context(viewport=viewport)
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error"
            and not msg.text.startswith("Failed to load resource") and errors.append(msg.text))
    return context, page, errors


@pytest.mark.parametrize(("locale", "lang", "heading", "link"), [
    ("en-GB", "en", "Your browser did not keep the launch's cookie", "Open in a new window"),
    ("zh-CN", "zh", "浏览器没有保留这次启动的 Cookie", "在新窗口中打开")])
@pytest.mark.parametrize(("viewport", "size"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_framed_launch_continues_in_a_new_window(browser, tool_and_platform, screenshot,
                                                    locale, lang, heading, link, viewport, size):
    # Over plain http the tool's state cookie cannot be SameSite=None, so the browser drops it
    # in the platform's frame, as browsers that block third-party cookies do over https.
    server, platform = tool_and_platform
    platform.launch_as = {"locale": locale}
    context, page, errors = _context(browser, viewport)
    try:
        page.goto(f"{platform.url}/course")
        frame = page.frame_locator("iframe")
        frame.get_by_role("heading", name=heading).wait_for()
        screenshot(page, f"framed-{lang}-{size}")
        with context.expect_page() as opened:
            frame.get_by_role("link", name=link).first.click()
        window = opened.value
        window.wait_for_load_state()
        assert window.url == f"{server.url}/{lang}/module/"
        assert "Li Lei" in window.inner_text("header")
        assert_no_horizontal_overflow(window)
        screenshot(window, f"new-window-{lang}-{size}")
        assert errors == [], errors
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_expired_launch_shows_both_languages(browser, tool_and_platform, screenshot, lang):
    server, platform = tool_and_platform
    platform.launch_as = {"locale": "zh-CN" if lang == "zh" else "en", "exp_in": -60}
    context, page, _errors = _context(browser, PHONE)
    try:
        page.goto(f"{server.url}/lti/login?iss={platform.issuer}&login_hint=u1&client_id=kam-tool-client")
        page.get_by_text("This launch has expired").wait_for()
        assert "这次启动已过期" in page.inner_text("main")
        assert_no_horizontal_overflow(page)
        screenshot(page, f"expired-{lang}-phone")
    finally:
        context.close()


def test_an_instructor_deep_links_the_quiz(browser, tool_and_platform, screenshot):
    server, platform = tool_and_platform
    platform.launch_as = {"sub": "teacher-1", "message_type": "LtiDeepLinkingRequest",
                          "locale": "zh-CN", "email": "w@p.example",
                          "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]}
    context, page, errors = _context(browser, DESKTOP)
    try:
        page.goto(f"{server.url}/lti/login?iss={platform.issuer}&login_hint=u1&client_id=kam-tool-client")
        page.get_by_role("heading", name="选择这个链接打开的内容").wait_for()
        screenshot(page, "deep-link-zh-desktop")
        page.get_by_label("测验（计分）").check()
        page.get_by_role("button", name="把链接添加到平台").click()
        page.get_by_role("heading", name="Link added").wait_for()
        assert len(platform.deep_link_responses) == 1
        assert errors == [], errors
    finally:
        context.close()


def test_the_registration_page_on_a_phone(browser, tool_and_platform, screenshot):
    server, _platform = tool_and_platform
    for lang in ("en", "zh"):
        context, page, errors = _context(browser, PHONE)
        try:
            page.goto(f"{server.url}/{lang}/sign-in")
            page.fill("input[name=email]", "trainer@example.com")
            page.fill("input[name=password]", "trainer-pass-123")
            page.locator("form button[type=submit]").last.click()
            page.wait_for_load_state()
            page.goto(f"{server.url}/{lang}/trainer/lti/")
            assert_no_horizontal_overflow(page)
            screenshot(page, f"registration-{lang}-phone")
            assert errors == [], errors
        finally:
            context.close()
