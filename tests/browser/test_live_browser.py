"""The live session in three browsers at once: the projector, an English and a Chinese phone."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.conftest import SCREENSHOTS, assert_accessible, assert_no_horizontal_overflow
from tests.conftest import TRAINEE, TRAINER
from tests.support.live import add_second_trainee, count, running_session

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
OFFLINE_SECONDS = 10

# Every text a live region takes, in order, so the test can tell how often each was spoken.
RECORD_ANNOUNCEMENTS = """
window.__spoken = [];
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[aria-live], [role=status]").forEach(function (region) {
    new MutationObserver(function () {
      window.__spoken.push(region.textContent);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
});
"""


class Screen:
    """One browser context with its page; records script errors and failed resources."""

    def __init__(self, browser, base_url: str, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport, base_url=base_url)
        self.context.add_init_script(RECORD_ANNOUNCEMENTS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda msg: msg.type == "error"
                     and not msg.text.startswith("Failed to load resource")
                     and "ERR_INTERNET_DISCONNECTED" not in msg.text
                     and self.errors.append(msg.text))
        self.page.on("response", lambda response: response.status >= 400
                     and response.request.resource_type != "document"
                     and self.errors.append(f"{response.status} {response.url}"))

    def sign_in(self, person: dict[str, str], lang: str) -> None:
        self.page.goto(f"/{lang}/sign-in")
        self.page.fill("#email", person["email"])
        self.page.fill("#password", person["password"])
        self.page.click("main button[type=submit]")
        self.page.wait_for_url(re.compile(rf"/{lang}/(trainer/(cohorts/\d+/)?)?$"))

    def shoot(self, name: str, *, full: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"test_live_session-{name}.png"), full_page=full)

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


def _answers_of(app, email: str) -> tuple[int, int]:
    """The stored answers and the sends seen of the trainee with this email."""
    mine = ("participant_id IN (SELECT live_participants.id FROM live_participants"
            " JOIN users ON users.id = user_id WHERE users.email = ?)")
    return (count(app, "SELECT count(*) FROM live_answers WHERE " + mine, (email,)),  # noqa: S608
            count(app, "SELECT count(*) FROM live_answer_sends WHERE " + mine, (email,)))  # noqa: S608


def test_live_session(browser, live_server):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    second = add_second_trainee(app, ids["cohort"])
    live = running_session(app, ids["cohort"], ids["trainer"])

    projector = Screen(browser, live_server.url, PROJECTOR)
    english = Screen(browser, live_server.url, PHONE)
    chinese = Screen(browser, live_server.url, PHONE)
    screens = (projector, english, chinese)
    try:
        projector.sign_in(TRAINER, "en")
        projector.page.goto(f"/en/live/sessions/{live.session_id}/projector")
        projector.page.get_by_role("heading", name="1. Which is a key account?").wait_for()
        assert projector.page.locator(".join-code").inner_text() == f"{live.code[:3]} {live.code[3:]}"
        projector.page.get_by_text("1. 哪个是大客户？").wait_for()  # both languages by default

        # The English phone types the code; the Chinese one opens the QR code's address.
        english.sign_in(TRAINEE, "en")
        english.page.goto("/en/live/join")
        english.page.fill("#code", live.code.lower())
        english.page.click("main button[type=submit]")
        english.page.get_by_role("heading", name="1. Which is a key account?").wait_for()
        chinese.sign_in(second, "zh")
        chinese.page.goto(f"/zh/live/join?code={live.code}")
        chinese.page.get_by_role("heading", name="1. 哪个是大客户？").wait_for()
        assert chinese.page.get_by_label("乙").is_visible()
        for phone, name in ((english, "en"), (chinese, "zh")):
            assert_accessible(phone.page)
            assert_no_horizontal_overflow(phone.page)
            phone.shoot(f"{name}-phone-question-360")

        english.page.get_by_label("Alpha").check()
        english.page.click("#send")
        english.page.locator("#q-note", has_text="Answer received.").wait_for()
        projector.page.get_by_text("Answers: 1").wait_for()

        # Reloaded mid-question, the phone shows the question with its answer.
        english.page.reload()
        english.page.get_by_role("heading", name="1. Which is a key account?").wait_for()
        english.page.wait_for_function("document.querySelector('#q-body input[value=a]')?.checked")
        assert english.page.locator("#send").inner_text() == "Change answer"

        # Offline, the Chinese phone keeps its answer and says so; back online it lands once.
        chinese.context.set_offline(True)
        offline_at = time.monotonic()
        chinese.page.get_by_label("乙").check()
        chinese.page.click("#send")
        chinese.page.locator("#q-note", has_text="已保存在本机：恢复联网后会自动发送。").wait_for()
        assert _answers_of(app, second["email"]) == (0, 0)
        # The room goes on meanwhile: the projector in Chinese passes axe.
        projector.page.goto(f"/zh/live/sessions/{live.session_id}/projector")
        projector.page.get_by_text("回答数：1").wait_for()
        assert_accessible(projector.page)
        projector.shoot("zh-projector-open-1280x720", full=False)
        # The phone stays offline for the scenario's ten seconds, polling in vain meanwhile.
        remaining = OFFLINE_SECONDS - (time.monotonic() - offline_at)
        if remaining > 0:
            chinese.page.wait_for_function(
                "ms => { const end = performance.now() + ms;"
                " return new Promise(done => { (function tick() {"
                " performance.now() >= end ? done(true) : requestAnimationFrame(tick); })(); }); }",
                arg=remaining * 1000, timeout=(remaining + 5) * 1000)
        assert chinese.page.locator("#q-note").inner_text() == "已保存在本机：恢复联网后会自动发送。"
        chinese.context.set_offline(False)
        chinese.page.locator("#q-note", has_text="已收到你的回答。").wait_for()
        projector.page.get_by_text("回答数：2").wait_for()
        assert _answers_of(app, second["email"]) == (1, 1)
        assert _answers_of(app, TRAINEE["email"]) == (1, 1)
        chinese.page.reload()
        chinese.page.wait_for_function("document.querySelector('#q-body input[value=b]')?.checked")
        assert _answers_of(app, second["email"]) == (1, 1)

        # The trainer reveals from the panel; every screen shows the results.
        panel = projector.context.new_page()
        panel.goto(f"/en/live/sessions/{live.session_id}/")
        panel.get_by_role("button", name="Reveal the results and the answer").click()
        projector.page.get_by_text("甲符合标准。").wait_for()
        projector.page.goto(f"/en/live/sessions/{live.session_id}/projector")
        projector.page.get_by_text("Alpha meets the criteria.").wait_for()
        assert_accessible(projector.page)
        projector.shoot("en-projector-revealed-1280x720", full=False)
        english.page.get_by_role("table").wait_for()
        table = english.page.get_by_role("table")
        assert "Alpha" in table.inner_text() and "Correct answer" in table.inner_text()
        chinese.page.get_by_text("全场结果").wait_for()
        for phone, name in ((english, "en"), (chinese, "zh")):
            assert_accessible(phone.page)
            assert_no_horizontal_overflow(phone.page)
            phone.shoot(f"{name}-phone-revealed-360")
            phone.page.set_viewport_size(DESKTOP)
            phone.shoot(f"{name}-phone-revealed-1280")

        # Polls that bring nothing new announce nothing: each change is spoken once.
        for _ in range(3):
            with english.page.expect_response(lambda r: r.url.endswith("/state")):
                pass
        spoken = [text for text in english.page.evaluate("window.__spoken") if text]
        assert spoken.count("The results of question 1 are shown.") == 1, spoken
        assert all(a != b for a, b in zip(spoken, spoken[1:], strict=False)), spoken
    finally:
        for screen in screens:
            screen.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trainer_panel_is_accessible(browser, live_server, lang):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    live = running_session(app, ids["cohort"], ids["trainer"])
    screen = Screen(browser, live_server.url, DESKTOP)
    try:
        screen.sign_in(TRAINER, lang)
        screen.page.goto(f"/{lang}/live/sessions/{live.session_id}/")
        screen.page.locator("#stage-body table, #stage-body p").first.wait_for()
        assert_accessible(screen.page)
        screen.shoot(f"{lang}-panel-1280")
        screen.page.set_viewport_size(PHONE)
        assert_no_horizontal_overflow(screen.page)
        screen.shoot(f"{lang}-panel-360")
    finally:
        screen.close()


def test_points_and_ranking_are_answered_on_a_phone(browser, live_server):
    from courseware.db import connect
    from courseware.live import store
    from courseware.live.questions import LiveOption, LiveQuestion

    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    live = running_session(app, ids["cohort"], ids["trainer"], open_first=False)
    options = tuple(LiveOption(f"o{n}", {"en": name, "zh": name}) for n, name in
                    enumerate(("Revenue", "Growth", "Loyalty"), start=1))
    db = connect(app.config["DATABASE"])
    with db.conn:
        points = store.add_question(db, live.session_id, LiveQuestion(
            "points", {"en": "Weigh the criteria", "zh": "为标准分配权重"}, options), "test")
        ranking = store.add_question(db, live.session_id, LiveQuestion(
            "ranking", {"en": "Rank the criteria", "zh": "为标准排序"}, options), "test")
        store.open_question(db, live.session_id, points)
    db.close()
    phone = Screen(browser, live_server.url, PHONE)
    try:
        phone.sign_in(TRAINEE, "en")
        phone.page.goto(f"/en/live/join?code={live.code}")
        phone.page.get_by_role("heading", name="3. Weigh the criteria").wait_for()
        phone.page.get_by_label("Revenue").fill("50")
        phone.page.get_by_label("Growth").fill("30")
        phone.page.get_by_text("Points given: 80 of 100").wait_for()
        phone.page.click("#send")
        phone.page.locator("#q-note", has_text="Give exactly 100 points in all.").wait_for()
        assert [error.split()[0] for error in phone.errors] == ["422"]  # the refusal, expected
        phone.errors.clear()
        phone.page.get_by_label("Loyalty").fill("20")
        phone.page.click("#send")
        phone.page.locator("#q-note", has_text="Answer received.").wait_for()
        assert_accessible(phone.page)
        phone.shoot("en-phone-points-360")

        db = connect(app.config["DATABASE"])
        with db.conn:
            store.open_question(db, live.session_id, ranking)
        db.close()
        phone.page.get_by_role("heading", name="4. Rank the criteria").wait_for()
        phone.page.get_by_role("button", name="Move up: Loyalty").click()
        phone.page.get_by_role("button", name="Move up: Loyalty").click()
        phone.page.click("#send")
        phone.page.locator("#q-note", has_text="Answer received.").wait_for()
        assert_accessible(phone.page)
        phone.shoot("en-phone-ranking-360")
        answers = {row[0]: row[1] for row in connect(app.config["DATABASE"]).execute(
            "SELECT question_id, answer FROM live_answers")}
        assert answers == {points: '{"o1": 50, "o2": 30, "o3": 20}',
                           ranking: '["o3", "o1", "o2"]'}
    finally:
        phone.close()
