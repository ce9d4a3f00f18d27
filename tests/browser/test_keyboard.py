"""A trainee who cannot use a mouse: sign in, take the whole quiz and do the whole workshop with
Tab, Shift+Tab, arrows, Space, Enter and typing only. At every step the focused element must
show a focus ring, be on screen and not be covered by a sticky bar."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from courseware.loaded_course import get_course
from courseware.quiz.bank import QuestionType
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import TRAINEE, TRAINER
from tests.support.trainer import grading_url, hand_in

# Tabbing further than this without reaching the target means the target is not reachable.
MAX_TAB_STOPS = 120

FOCUS_STATE = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) { return {tag: "BODY", matches: false}; }
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ringed = style.boxShadow !== "none";
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + Math.min(rect.height / 2, 12), 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const labelled = hit && el.labels && [...el.labels].some((label) => label.contains(hit));
  return {
    tag: el.tagName, id: el.id, name: el.getAttribute("name"),
    text: (el.textContent || "").trim().slice(0, 50),
    matches: el.matches(selector),
    indicated: outlined || ringed,
    on_screen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < innerHeight && rect.left < innerWidth,
    uncovered: !!hit && (hit === el || el.contains(hit) || hit.contains(el) || !!labelled),
  };
}"""


def assert_focus_shown(state: dict) -> None:
    where = f"{state['tag']}#{state.get('id')} name={state.get('name')} {state.get('text')!r}"
    assert state["tag"] != "BODY", "focus was lost to the page body"
    assert state["indicated"], f"no focus ring on {where}"
    assert state["on_screen"], f"focused element is off screen: {where}"
    assert state["uncovered"], f"focused element is covered by something else: {where}"


def press(page, key: str, selector: str = "*") -> dict:
    """Press one key and check the focus it leaves behind."""
    page.keyboard.press(key)
    state = page.evaluate(FOCUS_STATE, selector)
    assert_focus_shown(state)
    return state


def tab_to(page, selector: str, key: str = "Tab") -> None:
    """Tab (or Shift+Tab) until the element matching selector has the focus."""
    for _stop in range(MAX_TAB_STOPS):
        if press(page, key, selector)["matches"]:
            return
    raise AssertionError(f"{selector} not reached with {key}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page, selector: str, value: str) -> None:
    """Tab to a select and arrow down to the option with this value."""
    tab_to(page, selector)
    for _option in range(40):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        press(page, "ArrowDown")
    raise AssertionError(f"{value} is not an option of {selector}")


def shoot_screen(page, name: str) -> None:
    """Save what is on screen, to look at the focus ring."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"test_keyboard-{name}.png"))


def sign_in_by_keyboard(page, lang: str) -> None:
    page.goto(f"/{lang}/sign-in")
    type_into(page, "#email", TRAINEE["email"])
    type_into(page, "#password", TRAINEE["password"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/")


def answer_by_keyboard(page, question) -> None:
    field = f"[name='answer:{question.id}']"
    if question.type is QuestionType.MATCHING:
        for item in question.items:
            choose(page, f"#q-{question.id}--{item.id}", item.answer)
        return
    right = {f"q-{question.id}--{option}" for option in question.correct_option_ids}
    if question.type is QuestionType.SINGLE:
        (wanted,) = right
        tab_to(page, f"input{field}")
        if page.evaluate("() => document.activeElement.id") == wanted:
            press(page, "Space")
        else:
            for _option in question.options:  # arrows move through the group and choose
                if press(page, "ArrowDown")["id"] == wanted:
                    break
        return
    shown = page.eval_on_selector_all(f"input{field}", "boxes => boxes.map(box => box.id)")
    for box in shown:
        if box in right:
            tab_to(page, f"#{box}")
            press(page, "Space")


def test_trainee_takes_the_whole_quiz_with_the_keyboard(page, live_server):
    with live_server.app.app_context():
        questions = get_course().areas["quiz"].bank("en").questions
    sign_in_by_keyboard(page, "en")
    page.goto("/en/quiz/")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/quiz/attempt/\d+$"))

    for question in questions:
        answer_by_keyboard(page, question)
        if question is questions[0]:
            shoot_screen(page, "quiz-focus-on-a-choice")
    tab_to(page, "#quiz-form button.primary")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/review$"))
    total = len(questions)
    expect(page.locator(".quiz-score")).to_have_text(
        f"You scored {total} of {total} points (100%).")


CRITERIA_ANCHORS = ["No contact", "Occasional", "Regular", "Trusted", "Partner"]
KPIS = [
    ("Revenue growth", "Sales this year / last year - 1", "%", "+10%", "quarterly", "ERP",
     "revenue_growth"),
    ("On time in full", "Complete order lines on time / all lines", "%", "95%", "monthly",
     "Warehouse report", "on_time"),
    ("Account margin", "Net sales - cost of goods - trade spend", "%", "30%", "quarterly",
     "Finance", "profit_growth"),
]


def test_trainee_completes_and_submits_the_workshop_with_the_keyboard(page, live_server):
    with live_server.app.app_context():
        candidates = get_course().areas["workshop"].in_lang("zh").candidates
    sign_in_by_keyboard(page, "zh")
    page.goto("/zh/workshop/")

    type_into(page, "#criteria-0-name", "销售额")
    type_into(page, "#criteria-0-weight", "60")
    type_into(page, "#criteria-0-description", "对我们的年销售额，越高越好。")
    choose(page, "#criteria-0-figure", "revenue")
    for position, value in enumerate(["10", "30", "60", "100"]):
        type_into(page, f"#criteria-0-threshold-{position}", value)

    type_into(page, "#criteria-1-name", "合作关系")
    type_into(page, "#criteria-1-weight", "40")
    expect(page.locator("#weight-sum")).to_have_text("权重合计：100 / 100")
    # Back up to the first criterion: the sticky save bar must not hide the fields above.
    tab_to(page, "#criteria-0-name", key="Shift+Tab")
    expect(page.locator("#criteria-0-name")).to_have_value("销售额")
    choose(page, "#criteria-1-kind", "judgement")
    shoot_screen(page, "workshop-focus-on-a-select")
    expect(page.locator("#criterion-1 [data-measure=judgement]")).to_be_visible()
    for level, anchor in enumerate(CRITERIA_ANCHORS, start=1):
        type_into(page, f"#criteria-1-anchor-{level}", anchor)
    for number, candidate in enumerate(candidates):
        type_into(page, f"#criteria-1-score-{candidate.id}", str(number % 5 + 1))

    choose(page, "#cutoff-kind", "top_n")
    type_into(page, "#cutoff-value", "3")
    # Reading the ranking while autosave redraws the results keeps the place in the page.
    tab_to(page, "#results .table-wrap")
    expect(page.locator("#results .score-chart__row--key")).to_have_count(3, timeout=15_000)
    assert page.evaluate("() => document.activeElement.matches('#results .table-wrap')")
    type_into(page, "#justification", "以增长为导向。\n名单控制在三家。")
    for index, (name, definition, unit, target, frequency, source, duty) in enumerate(KPIS):
        prefix = f"#kpis-{index}-"
        type_into(page, prefix + "name", name)
        type_into(page, prefix + "definition", definition)
        type_into(page, prefix + "unit", unit)
        type_into(page, prefix + "target", target)
        choose(page, prefix + "frequency", frequency)
        type_into(page, prefix + "data_source", source)
        choose(page, prefix + "responsibility", duty)

    tab_to(page, "button[value=submit]")
    page.once("dialog", lambda dialog: dialog.accept())  # "Submit this version?" Yes.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zh/workshop/versions/1$"))
    expect(page.locator(".flash-success")).to_contain_text("第 1 版已提交给培训师评分")
    main = page.locator("main")
    expect(main).to_contain_text("以增长为导向。")
    expect(main).to_contain_text("Warehouse report")
    expect(page.locator(".key-accounts")).to_contain_text("3")


def walk_every_tab_stop(page) -> int:
    """Tab from the top of the page to its end, checking each stop; return how many."""
    for stops in range(1, 400):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE, "*")
        if state["tag"] == "BODY":  # past the last stop, focus leaves the page
            return stops - 1
        assert_focus_shown(state)
    raise AssertionError("the tab order never ends")


def test_every_tab_stop_of_the_trainers_pages_shows_its_focus(page, live_server):
    app = live_server.app
    ids = app.config["SEEDED_IDS"]
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    page.goto("/en/sign-in")
    type_into(page, "#email", TRAINER["email"])
    type_into(page, "#password", TRAINER["password"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/trainer/cohorts/\d+/$"))  # a trainer's one cohort
    for path in (f"/en/trainer/cohorts/{ids['cohort']}/", grading_url("en", ids["cohort"], submission),
                 f"/zh/quiz/cohort/{ids['cohort']}", "/zh/module/account-manager-role"):
        page.goto(path)
        assert walk_every_tab_stop(page) > 5, path
    # On a phone the grading page's sticky footer takes a third of the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(grading_url("zh", ids["cohort"], submission))
    assert walk_every_tab_stop(page) > 5
