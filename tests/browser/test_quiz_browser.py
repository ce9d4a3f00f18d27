"""A trainee takes the quiz in Chinese, switches to English half way, submits and reviews."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from courseware.loaded_course import get_course
from courseware.quiz.bank import QuestionType
from tests.browser.conftest import DESKTOP, PHONE, assert_no_horizontal_overflow
from tests.conftest import TRAINEE, TRAINER

WRONG_ON_PURPOSE = {"success-element": "crm"}


def sign_in(page, person: dict[str, str], lang: str) -> None:
    page.goto(f"/{lang}/sign-in")
    page.fill("input[name=email]", person["email"])
    page.fill("input[name=password]", person["password"])
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def answer(page, question) -> None:
    """Answer one question correctly, except those listed in WRONG_ON_PURPOSE."""
    if question.type is QuestionType.MATCHING:
        for item in question.items:
            page.select_option(f"#q-{question.id}--{item.id}", item.answer)
        return
    chosen = [WRONG_ON_PURPOSE[question.id]] if question.id in WRONG_ON_PURPOSE else sorted(
        question.correct_option_ids
    )
    for option_id in chosen:
        page.check(f"#q-{question.id}--{option_id}")


def assert_answered_as_given(page, questions) -> None:
    """Each question shows the answer answer() gave it."""
    for question in questions:
        if question.type is QuestionType.MATCHING:
            for item in question.items:
                assert page.input_value(f"#q-{question.id}--{item.id}") == item.answer
        else:
            for option in question.options:
                expected = option.correct and question.id not in WRONG_ON_PURPOSE
                expected |= WRONG_ON_PURPOSE.get(question.id) == option.id
                assert page.is_checked(f"#q-{question.id}--{option.id}") == expected


def shoot_both_widths(page, screenshot, name: str) -> None:
    """Check the page with axe, then save it at phone and desktop width."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.set_viewport_size(PHONE)
    assert_no_horizontal_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")  # a sticky bar in its place, not over a question
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop")


def test_take_quiz_in_chinese_switch_to_english_and_review(page, live_server, screenshot):
    with live_server.app.app_context():
        quiz = get_course().areas["quiz"]
    questions = quiz.bank("en").questions
    first_half, second_half = questions[:8], questions[8:]

    sign_in(page, TRAINEE, "zh")
    page.goto("/zh/quiz/")
    page.get_by_role("button", name="开始测验").click()
    page.wait_for_url(re.compile(r"/zh/quiz/attempt/\d+$"))
    assert page.locator("legend").first.inner_text().endswith("什么是大客户管理？")
    for question in first_half:
        answer(page, question)
    shoot_both_widths(page, screenshot, "take-zh")

    # The header's language link, not the form's button: the script saves the answers first.
    page.locator("a.lang-switch").click()
    page.wait_for_url(re.compile(r"/en/quiz/attempt/\d+$"))
    assert page.locator("legend").first.inner_text().endswith("What is key account management?")
    assert_answered_as_given(page, first_half)
    for question in second_half:
        answer(page, question)
    shoot_both_widths(page, screenshot, "take-en")

    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/en/quiz/attempt/\d+/review$"))
    main = page.locator("main").inner_text()
    assert "You scored 16 of 17 points (94.12%)." in main
    assert "Passed: the pass mark is 75%." in main
    wrong = page.locator("#question-success-element")
    assert "Not correct: 0 of 1 point." in wrong.inner_text()
    assert "The customer database" in wrong.inner_text()
    assert "The account manager" in wrong.inner_text()
    shoot_both_widths(page, screenshot, "review-en")

    wrong.get_by_role("link", name=re.compile("Read the page again")).click()
    page.wait_for_url(re.compile(r"/en/module/key-points$"))

    page.go_back()
    page.locator("a.lang-switch").click()
    page.wait_for_url(re.compile(r"/zh/quiz/attempt/\d+/review$"))
    assert "你的得分：16 分（满分 17 分），得分率 94.12%。" in page.locator("main").inner_text()
    shoot_both_widths(page, screenshot, "review-zh")

    page.goto("/en/quiz/")
    assert "Your best score is 94.12%: passed." in page.locator("main").inner_text()
    shoot_both_widths(page, screenshot, "attempts-en")


def test_missing_answers_are_marked_in_the_page_language(page, live_server, screenshot):
    sign_in(page, TRAINEE, "zh")
    page.goto("/zh/quiz/")
    page.get_by_role("button", name="开始测验").click()
    page.check("#q-what-is-kam--process")
    page.get_by_role("button", name="提交答案").click()
    page.wait_for_load_state()
    assert page.is_checked("#q-what-is-kam--process")
    assert "请回答这道题。" in page.locator("#question-how-selected").inner_text()
    shoot_both_widths(page, screenshot, "missing-zh")


def test_trainer_reads_the_statistics_with_a_chart(page, live_server, screenshot):
    sign_in(page, TRAINEE, "en")
    page.goto("/en/quiz/")
    page.get_by_role("button", name="Start the quiz").click()
    with live_server.app.app_context():
        for question in get_course().areas["quiz"].bank("en").questions:
            answer(page, question)
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/review$"))
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, TRAINER, "en")
    page.goto("/en/quiz/")
    page.get_by_role("link", name="Spring cohort").click()
    assert page.locator("svg.bar-chart rect.bar-chart__bar").count() == 17
    assert "Tom Trainee" in page.locator("main").inner_text()
    shoot_both_widths(page, screenshot, "statistics-en")
    page.locator("a.lang-switch").click()
    page.wait_for_url(re.compile(r"/zh/quiz/cohort/\d+$"))
    assert "测验统计" in page.locator("h1").inner_text()
    shoot_both_widths(page, screenshot, "statistics-zh")


def test_answers_are_saved_as_chosen_and_still_chosen_after_a_reload(page, live_server,
                                                                     screenshot):
    with live_server.app.app_context():
        questions = get_course().areas["quiz"].bank("zh").questions
    sign_in(page, TRAINEE, "zh")
    page.goto("/zh/quiz/")
    page.get_by_role("button", name="开始测验").click()
    page.wait_for_url(re.compile(r"/zh/quiz/attempt/\d+$"))
    count = page.locator("#quiz-answered")
    status = page.locator("#quiz-save-status")
    assert count.inner_text() == "已答 0 题，共 17 题"

    chosen = questions[:5]
    for question in chosen:
        answer(page, question)
    # Each reply updates the count; the last one leaves the status at "saved".
    expect(count).to_have_text("已答 5 题，共 17 题")
    expect(status).to_have_text("已保存")
    page.set_viewport_size(PHONE)
    assert_no_horizontal_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky count bar in its place at the top
    screenshot(page, "saved-zh-phone")

    # Leaving by any link, then coming back: every answer is there.
    page.get_by_role("link", name="课程").first.click()
    page.wait_for_load_state()
    page.go_back()
    page.reload()
    assert count.inner_text() == "已答 5 题，共 17 题"
    assert_answered_as_given(page, chosen)

    # The same attempt in English, through the header's link: the count and answers carry over.
    page.set_viewport_size(DESKTOP)
    page.locator("a.lang-switch").click()
    page.wait_for_url(re.compile(r"/en/quiz/attempt/\d+$"))
    assert count.inner_text() == "5 of 17 answered"
    page.check("#q-kam-description--identify")
    expect(count).to_have_text("6 of 17 answered")
    expect(status).to_have_text("Saved")
    page.reload()
    assert page.is_checked("#q-kam-description--identify")
    assert count.inner_text() == "6 of 17 answered"
    from tests.browser.conftest import assert_accessible

    assert_accessible(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "saved-en-desktop")
