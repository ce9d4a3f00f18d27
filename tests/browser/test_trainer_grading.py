"""A trainer grades with the comment bank and releases; the trainee reads it in Chinese."""

from __future__ import annotations

from playwright.sync_api import expect

from courseware.db import connect
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_horizontal_overflow,
)
from tests.conftest import OTHER_TRAINER, TRAINEE, TRAINER
from tests.support.trainer import hand_in

BANKED = "请补充成本和准时交付方面的 KPI。"


def _sign_in(page, person, lang="en"):
    page.goto(f"/{lang}/sign-in")
    page.fill("#email", person["email"])
    page.fill("#password", person["password"])
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def _both_widths(page, screenshot, name):
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_overflow(page)
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop")


def test_trainer_grades_with_the_bank_releases_and_trainee_reads_chinese(
    page, live_server, screenshot
):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    db = connect(app.config["DATABASE"])
    db["comment_bank"].insert({"trainer_id": ids["trainer"], "target": "overall",
                               "text": "Clear, well-argued work."})
    db.close()
    url = f"/en/trainer/cohorts/{ids['cohort']}/submissions/{submission}/"

    _sign_in(page, TRAINER)
    page.goto(f"/en/trainer/cohorts/{ids['cohort']}/")
    _both_widths(page, screenshot, "dashboard-en")
    page.get_by_role("link", name="Grade Tom Trainee").click()
    expect(page.get_by_role("heading", name="Tom Trainee")).to_be_visible()

    # Levels: the total follows each click.
    total = page.locator("#live-total")
    page.locator("#criterion-criteria_defined label.level").nth(3).click()
    expect(total).to_have_text("20")
    for criterion in ("strategic_growth", "weighting_coherent", "list_manageable",
                      "kpi_coverage", "kpi_measurable"):
        page.locator(f"#criterion-{criterion} label.level").nth(2).click()
    expect(total).to_have_text(str(20 + 11 + 11 + 11 + 11 + 14))

    # A comment saved to the bank, cleared, and put back with one click.
    comment = page.locator("#comment-kpi_coverage")
    comment.fill(BANKED)
    page.locator("#criterion-kpi_coverage button[name=bank_add]").click()
    bank_button = page.locator("#criterion-kpi_coverage .bank-entry", has_text=BANKED)
    expect(bank_button).to_be_visible()
    comment.fill("")
    bank_button.click()
    expect(comment).to_have_value(BANKED)
    page.locator(".bank-entry[data-bank-target=overall]",
                 has_text="Clear, well-argued work.").click()
    expect(page.locator("#comment-overall")).to_have_value("Clear, well-argued work.")

    # Continuous draft save: the page says when, and a reload finds everything.
    expect(page.locator("#save-status")).to_contain_text("Last saved at")
    page.reload()
    expect(page.locator("#comment-kpi_coverage")).to_have_value(BANKED)
    expect(total).to_have_text("78")
    _both_widths(page, screenshot, "grading-en")
    page.goto(url.replace("/en/", "/zh/"))
    expect(page.locator("#live-total")).to_have_text("78")
    _both_widths(page, screenshot, "grading-zh")

    page.get_by_role("button", name="向学员发布").click()
    page.get_by_role("button", name="是，发布").click()  # the confirmation it asks
    expect(page.locator(".flash")).to_contain_text("已向Tom Trainee发布成绩")
    page.locator(".site-header button.link").click()

    _sign_in(page, TRAINEE, "zh")
    page.goto("/zh/feedback/")
    expect(page.locator(".total-line")).to_contain_text("78")
    expect(page.locator("main")).to_contain_text("标准明确、客观")
    expect(page.locator("main")).to_contain_text("凡有数据可依的都用客观数据衡量")
    expect(page.locator("main")).to_contain_text(BANKED)
    expect(page.locator("main")).to_contain_text("Clear, well-argued work.")
    _both_widths(page, screenshot, "feedback-zh")
    page.goto("/en/feedback/")
    expect(page.locator(".total-line")).to_contain_text("78 of 100")
    _both_widths(page, screenshot, "feedback-en")


def test_second_trainers_feedback_survives_a_conflict(page, browser, live_server, screenshot):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    db = connect(app.config["DATABASE"])
    db["cohort_trainers"].insert({"cohort_id": ids["cohort"], "user_id": ids["other_trainer"]})
    db.close()
    path = f"/cohorts/{ids['cohort']}/submissions/{submission}/"

    other_context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    other = other_context.new_page()
    _sign_in(page, TRAINER)
    _sign_in(other, OTHER_TRAINER, "zh")
    page.goto("/en/trainer" + path)
    other.goto("/zh/trainer" + path)

    page.locator("#comment-overall").fill("Tess was here first.")
    expect(page.locator("#save-status")).to_contain_text("Last saved at")

    long_feedback = "这是一段很长的反馈。" * 20
    other.locator("#comment-overall").fill(long_feedback)
    expect(other.locator("#save-status")).to_contain_text("Tess Trainer")
    expect(other.locator("#comment-overall")).to_have_value(long_feedback)

    # The plain save shows both versions and keeps the text; saving again replaces theirs.
    other.get_by_role("button", name="保存草稿").click()
    expect(other.locator("#conflict")).to_contain_text("Tess was here first.")
    expect(other.locator("#comment-overall")).to_have_value(long_feedback)
    _both_widths(other, screenshot, "conflict-zh")
    other.get_by_role("button", name="保存草稿").click()
    expect(other.locator(".flash")).to_contain_text("草稿已保存")
    page.reload()
    expect(page.locator("#comment-overall")).to_have_value(long_feedback)
    _both_widths(page, screenshot, "after-conflict-en")
    other_context.close()
