"""The trainer opens the workshop debrief on a 1280 px projector, in English, Chinese and both."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_overflow
from tests.conftest import TRAINER
from tests.support.debrief import add_trainee, hand_in, workshop_choosing
from tests.support.live import criteria_session

PROJECTOR = {"width": 1280, "height": 720}
PICKS = [("huadong-fresh", "shopnow", 60), ("huadong-fresh", "campus-mart", 30),
         ("huadong-fresh", "shopnow", 80), ("jingcheng-hyper", "shopnow", 50),
         ("huadong-fresh", "kangjian-pharmacy", 40)]


def _sign_in(page, person, lang="en"):
    page.goto(f"/{lang}/sign-in")
    page.fill("#email", person["email"])
    page.fill("#password", person["password"])
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def _seed_room(app, ids):
    people = [ids["trainee"]] + [add_trainee(app, ids["cohort"], f"Person{n}")
                                 for n in range(1, len(PICKS))]
    for person, pick in zip(people, PICKS, strict=True):
        hand_in(app, person, ids["cohort"], workshop_choosing(*pick))


def test_the_trainer_debriefs_the_room_on_the_projector(page, live_server, screenshot):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    page.set_viewport_size(PROJECTOR)
    _sign_in(page, TRAINER)

    # Before anyone has submitted, the page says why there is nothing to compare.
    page.goto(f"/en/trainer/cohorts/{ids['cohort']}/")
    page.get_by_role("link", name="Workshop debrief").click()
    expect(page.get_by_role("heading", name="Not enough workshops yet")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "empty-en")

    _seed_room(app, ids)
    page.reload()
    expect(page.get_by_role("heading", name="The room’s ranking")).to_be_visible()
    expect(page.get_by_role("heading", name="Candidates the room disagrees about")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Tom Trainee")
    # The table alternative opens under the chart.
    page.get_by_text("As a table").first.click()
    expect(page.get_by_role("cell", name="5").first).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "room-en")

    # The trainer marks a reference solution: it appears beside the room's ranking.
    page.locator("select[name=submission]").select_option(label="Trainee 2")
    page.get_by_role("button", name="Use as reference").click()
    expect(page.get_by_role("columnheader", name="Reference rank")).to_be_visible()

    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", name="全班的排名")).to_be_visible()
    expect(page.get_by_role("columnheader", name="参考答案排名")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "room-zh")

    page.get_by_label("中英文并排").check()
    page.get_by_role("button", name="显示", exact=True).click()
    expect(page.get_by_role("heading", name="The room’s ranking")).to_be_visible()
    expect(page.get_by_role("heading", name="全班的排名")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_overflow(page)
    screenshot(page, "room-both")


def test_two_workshops_show_side_by_side(page, live_server, screenshot):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    _seed_room(app, ids)
    page.set_viewport_size(PROJECTOR)
    for lang, button, left in (("en", "Show side by side", "Trainee 1"),
                               ("zh", "并排显示", "学员 1")):
        _sign_in(page, TRAINER, lang)
        page.goto(f"/{lang}/trainer/cohorts/{ids['cohort']}/debrief/")
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", name=left, exact=True)).to_be_visible()
        assert_accessible(page)
        assert_no_horizontal_overflow(page)
        screenshot(page, f"exemplars-{lang}")
    page.set_viewport_size(PHONE)
    assert_no_horizontal_overflow(page)
    screenshot(page, "exemplars-zh-phone")


def test_the_live_weights_show_before_anyone_submits(page, live_server, screenshot):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    people = [ids["trainee"], add_trainee(app, ids["cohort"], "Wendy"), "Guest Gao"]
    criteria_session(app, ids["cohort"], ids["trainer"], list(zip(people, [
        {"revenue": 50, "gross_margin": 30, "cost_to_serve": 20},
        {"revenue": 30, "growth_3y": 40, "gross_margin": 30},
        {"revenue": 40, "market_potential": 60}], strict=True)))
    _sign_in(page, TRAINER)
    for lang, heading in (("en", "Weights from the live question"), ("zh", "课堂互动提问中的权重")):
        for name, size in (("projector", PROJECTOR), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(f"/{lang}/trainer/cohorts/{ids['cohort']}/debrief/")
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            page.locator("details summary").first.click()
            assert_accessible(page)
            assert_no_horizontal_overflow(page)
            screenshot(page, f"live-weights-{lang}-{name}")
