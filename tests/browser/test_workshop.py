"""The workshop in a real browser: build it in Chinese, watch it react, save, reload, submit."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_horizontal_overflow,
)
from tests.conftest import TRAINEE

AUTOSAVE_WAIT_MS = 15_000

CRITERIA = [
    # name, weight, figure, direction, thresholds
    ("销售额", "40", "revenue", "higher", ("10", "30", "60", "100")),
    ("服务成本", "30", "cost_to_serve", "lower", ("14", "11", "8", "6")),
]
ANCHORS = ["没有往来", "偶尔联系", "定期沟通", "互相信任", "战略伙伴"]
KPIS = [
    ("预测准确率", "1 −（|预测 − 实际| ÷ 实际）", "%", "≥ 80%", "monthly", "ERP 系统", "forecasting"),
    ("准时足量交付率", "准时足量的订单行 ÷ 全部订单行", "%", "≥ 95%", "weekly", "物流报表",
     "on_time"),
    ("客户毛利", "净销售额 − 产品成本 − 渠道费用", "百万元", "+8%", "quarterly", "财务系统",
     "profit_growth"),
]


def sign_in(page, lang: str) -> None:
    page.goto(f"/{lang}/sign-in")
    page.fill("#email", TRAINEE["email"])
    page.fill("#password", TRAINEE["password"])
    page.click("main button[type=submit]")
    page.goto(f"/{lang}/workshop/")


def fill_figure_criterion(page, index: int, name, weight, figure, direction, thresholds) -> None:
    prefix = f"#criteria-{index}-"
    page.fill(prefix + "name", name)
    page.fill(prefix + "description", f"{name}：越{'高' if direction == 'higher' else '低'}越好")
    page.fill(prefix + "weight", weight)
    page.select_option(prefix + "figure", figure)
    page.select_option(prefix + "direction", direction)
    for position, value in enumerate(thresholds):
        page.fill(f"{prefix}threshold-{position}", value)


def test_build_a_whole_workshop_in_chinese(page, screenshot):
    sign_in(page, "zh")
    weight_sum = page.locator("#weight-sum")
    key_bars = page.locator("#results .score-chart__row--key")
    expect(weight_sum).to_have_text("权重合计：0 / 100")

    fill_figure_criterion(page, 0, *CRITERIA[0])
    expect(weight_sum).to_have_text("权重合计：40 / 100")  # as the trainee types
    fill_figure_criterion(page, 1, *CRITERIA[1])
    expect(weight_sum).to_have_text("权重合计：70 / 100")
    expect(weight_sum).to_have_class("weight-sum is-off")
    expect(page.locator("#criterion-1 [data-comparison]").first).to_have_text("≤")

    # Adding a row is a plain post: the draft is saved on the way.
    page.click("button[value=add_criterion]")
    expect(page.locator("#criteria-2-name")).to_be_visible()
    expect(page.locator("#criteria-0-name")).to_have_value("销售额")
    expect(weight_sum).to_have_text("权重合计：70 / 100")

    page.fill("#criteria-2-name", "合作关系")
    page.fill("#criteria-2-weight", "30")
    expect(weight_sum).to_have_text("权重合计：100 / 100")
    expect(weight_sum).to_have_class("weight-sum")
    page.select_option("#criteria-2-kind", "judgement")
    judgement = page.locator("#criterion-2 [data-measure=judgement]")
    expect(judgement).to_be_visible()
    expect(page.locator("#criterion-2 [data-measure=figure]")).to_be_hidden()
    for level, anchor in enumerate(ANCHORS, start=1):
        page.fill(f"#criteria-2-anchor-{level}", anchor)
    score_inputs = judgement.locator(".score-grid input")
    for number in range(score_inputs.count()):
        score_inputs.nth(number).fill(str(number % 5 + 1))

    # No cut-off yet: no key accounts in the chart. Then set one and watch the chart follow.
    expect(key_bars).to_have_count(0, timeout=AUTOSAVE_WAIT_MS)
    page.select_option("#cutoff-kind", "top_n")
    page.fill("#cutoff-value", "3")
    expect(key_bars).to_have_count(3, timeout=AUTOSAVE_WAIT_MS)
    expect(page.locator("#results .score-chart__cutoff")).to_have_count(1)
    # The page's language sets the clock, whatever the browser's own locale: 21:25, never 09:25 PM.
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^已于 \d{2}:\d{2} UTC 保存$"))

    page.fill("#justification", "以增长和盈利为导向。\n名单控制在三家，便于管理。")
    for index, kpi in enumerate(KPIS):
        prefix = f"#kpis-{index}-"
        name, definition, unit, target, frequency, source, responsibility = kpi
        page.fill(prefix + "name", name)
        page.fill(prefix + "definition", definition)
        page.fill(prefix + "unit", unit)
        page.fill(prefix + "target", target)
        page.select_option(prefix + "frequency", frequency)
        page.fill(prefix + "data_source", source)
        page.select_option(prefix + "responsibility", responsibility)
    page.locator(".examples summary").click()
    expect(page.locator(".examples")).to_contain_text("预测准确率")
    page.click(".save-bar button[value=save]")
    expect(page.locator(".flash-success")).to_have_text("草稿已保存。")

    page.reload()
    expect(page.locator("#criteria-0-name")).to_have_value("销售额")
    expect(page.locator("#criteria-1-direction")).to_have_value("lower")
    expect(page.locator("#criteria-1-threshold-3")).to_have_value("6")
    expect(page.locator("#criteria-2-kind")).to_have_value("judgement")
    expect(page.locator("#criteria-2-anchor-5")).to_have_value("战略伙伴")
    expect(score_inputs.nth(4)).to_have_value("5")
    expect(page.locator("#justification")).to_have_value(
        "以增长和盈利为导向。\n名单控制在三家，便于管理。")
    expect(page.locator("#kpis-2-responsibility")).to_have_value("profit_growth")
    expect(weight_sum).to_have_text("权重合计：100 / 100")
    expect(key_bars).to_have_count(3)
    expect(page.locator("#coverage .missing")).to_have_count(5)

    screenshot(page, "zh-desktop")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    screenshot(page, "zh-phone")
    assert_no_horizontal_overflow(page)
    page.set_viewport_size(DESKTOP)

    page.once("dialog", lambda dialog: dialog.accept())  # "Submit this version?" Yes.
    page.click("button[value=submit]")
    expect(page.locator(".flash-success")).to_contain_text("第 1 版已提交给培训师评分")
    expect(page.locator("main")).to_contain_text("以增长和盈利为导向。")
    expect(page.locator("#workshop-form")).to_have_count(0)
    screenshot(page, "zh-submitted-desktop")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    screenshot(page, "zh-submitted-phone")
    assert_no_horizontal_overflow(page)


def test_english_editor_reacts_and_fits_phone_and_desktop(page, screenshot):
    sign_in(page, "en")
    fill_figure_criterion(page, 0, "Revenue", "60", "revenue", "higher", ("10", "30", "60", "100"))
    fill_figure_criterion(page, 1, "Growth", "40", "growth_3y", "higher", ("0", "5", "15", "30"))
    expect(page.locator("#weight-sum")).to_have_text("Weights: 100 of 100")
    page.fill("#cutoff-value", "7")
    expect(page.locator("#results .score-chart__row--key")).to_have_count(
        7, timeout=AUTOSAVE_WAIT_MS)
    expect(page.locator("#results .notice-warn")).to_contain_text(
        "to adjust the number of key accounts to a manageable level")
    screenshot(page, "en-desktop")
    assert_no_horizontal_overflow(page)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    screenshot(page, "en-phone")
    assert_no_horizontal_overflow(page)
    # On a phone the editor shows one section at a time (test_workshop_sections.py); the
    # rest of this test reads across sections, as the desktop's one page does.
    page.set_viewport_size(DESKTOP)

    # Writing the justification changes no number: the save's reply leaves the results out
    # and the page keeps showing them; a changed number then shows at once.
    key_bars = page.locator("#results .score-chart__row--key")
    with page.expect_response(lambda response: response.url.endswith("/workshop/autosave"),
                              timeout=AUTOSAVE_WAIT_MS) as saved:
        page.fill("#justification", "Revenue first, then growth.")
    assert saved.value.ok and "results_html" not in saved.value.json()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at \d{2}:\d{2} UTC$"))
    expect(key_bars).to_have_count(7)
    page.fill("#cutoff-value", "2")
    expect(key_bars).to_have_count(2, timeout=AUTOSAVE_WAIT_MS)
    page.reload()
    expect(page.locator("#justification")).to_have_value("Revenue first, then growth.")
    expect(key_bars).to_have_count(2)


def test_the_workshop_works_without_javascript(browser, live_server, screenshot):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url,
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "en")
        fill_figure_criterion(page, 0, "Revenue", "50", "revenue", "higher",
                              ("10", "30", "60", "100"))
        page.fill("#criteria-1-name", "Relationship")
        page.fill("#criteria-1-weight", "40")
        page.select_option("#criteria-1-kind", "judgement")
        expect(page.locator("#criterion-1 [data-measure=judgement]")).to_be_hidden()
        page.click(".save-bar button[value=save]")
        # Saved: the page comes back with the judgement fields and the server's weight sum.
        expect(page.locator("#criterion-1 [data-measure=judgement]")).to_be_visible()
        expect(page.locator("#weight-sum")).to_contain_text("90 of 100")
        expect(page.locator("#weights-error")).to_have_text("Weights must add up to 100 (now 90).")
        page.click("button[value=add_kpi]")
        expect(page.locator("#kpis-3-name")).to_be_visible()
        page.click("button[value='remove_criterion:0']")
        expect(page.locator("#criteria-0-name")).to_have_value("Relationship")
        screenshot(page, "en-phone-no-javascript")
    finally:
        context.close()


def test_a_draft_too_large_to_save_says_so_and_saves_again_once_shortened(browser, live_server):
    # Its own context: the page fixture counts the refused save (413) as a failed resource.
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, "zh")
        status = page.locator("#save-status")
        page.fill("#justification", "长" * 100_000)  # 300 KB to send: more than a request may carry
        expect(status).to_have_text("未保存：草稿内容过多。请删减最长的几段文字，之后会自动重新保存。",
                                    timeout=AUTOSAVE_WAIT_MS)
        expect(page.locator("#justification")).to_have_value("长" * 100_000)
        page.fill("#justification", "以增长为导向。")
        expect(status).to_have_text(re.compile(r"^已于 \d{2}:\d{2} UTC 保存$"), timeout=AUTOSAVE_WAIT_MS)
        page.reload()
        expect(page.locator("#justification")).to_have_value("以增长为导向。")
    finally:
        context.close()


def test_the_justification_counts_its_length_and_never_cuts_it(page):
    sign_in(page, "zh")
    count = page.locator("#justification-count")
    expect(count).to_have_text("已输入 0 字，上限 4000 字")
    page.fill("#justification", "增" * 3700)
    expect(count).to_have_text("已输入 3700 字，上限 4000 字：快到上限了。")
    page.fill("#justification", "增" * 4010)
    expect(count).to_have_text("已输入 4010 字，上限 4000 字：超出 10 字。请删减，系统不会自动截断。")
    expect(page.locator("#justification")).to_have_value("增" * 4010)


def test_submitting_asks_first_and_a_no_submits_nothing(page):
    sign_in(page, "en")
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", answer)
    page.click("button[value=submit]")
    expect(page.locator("#justification")).to_be_editable()
    assert asked and asked[0].startswith("Submit this version for grading?")
    assert page.url.endswith("/en/workshop/")
