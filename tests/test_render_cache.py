"""Pieces of pages kept per worker: each follows every input its key names, and nothing personal.

Each test renders a piece, changes one of its inputs, and checks that what a trainee sees
changes too: an input a key forgot would serve the old HTML.
"""

from __future__ import annotations

import re
import time

import pytest
from jinja2 import ChoiceLoader, DictLoader, UndefinedError

from courseware import render_cache
from courseware.loaded_course import get_course
from courseware.quiz.scoring import Answer
from courseware.workshop.formdata import parse_fields
from courseware.workshop.presentation import case_in
from tests.conftest import OTHER_TRAINEE, TRAINEE, TRAINER, browser_client, sign_in, text
from tests.support.workshop import complete_fields


def _in(app, path: str):
    return app.test_request_context(path)


def test_two_trainees_with_the_same_progress_each_see_only_themselves(app, ids, monkeypatch):
    """The same cohort, the same pages read, one page rendered across second boundaries."""
    from courseware.db import connect

    db = connect(app.config["DATABASE"])
    db.execute("UPDATE users SET cohort_id = ? WHERE email = ?", [ids["cohort"],
                                                                   OTHER_TRAINEE["email"]])
    db.conn.commit()
    db.close()
    first, second = browser_client(app), browser_client(app)
    sign_in(first, TRAINEE)
    sign_in(second, OTHER_TRAINEE)
    real_time = time.time
    ticks = iter(range(10_000))
    monkeypatch.setattr(time, "time", lambda: real_time() + next(ticks))  # a second per call
    pages = {}
    for name, client in (("first", first), ("second", second)):
        pages[name] = client.get("/en/module/scope").get_data(as_text=True)
    assert TRAINEE["name"] in pages["first"] and OTHER_TRAINEE["name"] not in pages["first"]
    assert OTHER_TRAINEE["name"] in pages["second"] and TRAINEE["name"] not in pages["second"]
    assert "csrf" not in pages["first"] + pages["second"]  # no per-session token on any page
    # Each trainee's own form works and ends only their own session.
    assert second.post("/en/sign-out").status_code == 302
    assert second.get("/en/module/").status_code == 302
    assert first.get("/en/module/").status_code == 200
    assert first.post("/en/sign-out").status_code == 302


@pytest.mark.parametrize("reads", ["current_user.name", "site_nav()", "session.get('_user_id')",
                                   "request.cookies", "g.get('user')"])
def test_a_piece_cannot_read_the_signed_in_user(app, trainee_client, monkeypatch, reads):
    loader = ChoiceLoader([DictLoader({"_probe.html": "[{{ " + reads + " }}]"}),
                           app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    with app.test_request_context("/en/module/scope"):
        from flask_login import login_user

        from courseware.auth.users import user_by_email
        from courseware.db import get_db

        login_user(user_by_email(get_db(), TRAINEE["email"]))
        with pytest.raises(UndefinedError):  # a piece names all it shows, or fails loudly
            render_cache.piece("_probe.html", (reads,), dict)


def _article(app, lang: str, page_id: str, org: str) -> str:
    with _in(app, f"/{lang}/module/{page_id}"):
        return str(render_cache.module_article(page_id, org))


@pytest.mark.parametrize("change", ["page", "org", "lang"])
def test_a_module_articles_html_follows_each_of_its_inputs(app, change):
    before = _article(app, "en", "focal-point", "Acme Foods")
    after = {
        "page": lambda: _article(app, "en", "objective", "Acme Foods"),
        "org": lambda: _article(app, "en", "focal-point", "华润"),
        "lang": lambda: _article(app, "zh", "focal-point", "Acme Foods"),
    }[change]()
    assert after != before
    assert before == _article(app, "en", "focal-point", "Acme Foods")  # kept, unchanged


def _contents(app, page_id: str, org: str, read: frozenset[str]) -> str:
    with _in(app, f"/en/module/{page_id}"):
        return str(render_cache.contents_list(page_id, org, read))


def test_the_contents_list_follows_the_current_page_and_the_pages_read(app):
    # (Its key also names the organisation, which a page title may come to hold.)
    base = _contents(app, "scope", "Acme Foods", frozenset({"scope"}))
    assert _contents(app, "objective", "Acme Foods", frozenset({"scope"})) != base
    assert _contents(app, "scope", "Acme Foods", frozenset({"scope", "objective"})) != base
    ticked = _contents(app, "scope", "Acme Foods", frozenset({"scope", "objective"}))
    assert ticked.count("✓") == 2


def _questions(app, lang: str, token: str, answers: dict, problems: dict) -> str:
    with _in(app, f"/{lang}/quiz/attempt/1"):
        bank = get_course().areas["quiz"].bank(lang)
        return str(render_cache.quiz_questions(bank, token, answers, problems))


def test_an_attempts_questions_follow_its_token_answers_problems_and_language(app):
    with app.app_context():
        bank = get_course().areas["quiz"].bank("en")
    first = next(question for question in bank.questions if question.type == "single")
    option = first.options[0].id
    base = _questions(app, "en", "token-a", {}, {})
    assert _questions(app, "en", "token-b", {}, {}) != base  # another option order
    chosen = _questions(app, "en", "token-a", {first.id: Answer.choice(option)}, {})
    assert chosen != base and re.search(rf'value="{option}"[^>]*checked', chosen)
    assert _questions(app, "en", "token-a", {}, {first.id: "Answer this question."}) != base
    assert _questions(app, "zh", "token-a", {}, {}) != base


def test_one_attempts_answers_never_show_in_another_attempt(app):
    """Attempts share their options' HTML: each shows only its own answers, in its own order."""
    with app.app_context():
        bank = get_course().areas["quiz"].bank("en")
    choice = next(question for question in bank.questions if question.type == "multiple")
    matching = next(question for question in bank.questions if question.type == "matching")
    item, option = matching.items[0], matching.options[-1]
    answers = {choice.id: Answer.choice(choice.options[0].id, choice.options[1].id),
               matching.id: Answer.matching({item.id: option.id})}
    mine = _questions(app, "en", "token-a", answers, {})
    theirs = _questions(app, "en", "token-b", {}, {})
    again = _questions(app, "en", "token-a", answers, {})
    assert mine == again
    assert mine.count(" checked>") == 2 and mine.count(" selected>") == 1
    assert " checked>" not in theirs and " selected>" not in theirs
    select = re.search(rf'<select id="q-{matching.id}--{item.id}".*?</select>', mine, re.S).group(0)
    assert re.search(rf'value="{option.id}" selected', select)


def _results(app, fields: dict[str, str], max_key_accounts: int | None = 5) -> str:
    with _in(app, "/en/workshop/"):
        case = case_in("en")
        workshop = parse_fields(fields, case.candidate_ids).workshop
        return str(render_cache.workshop_results(workshop, case, max_key_accounts))


@pytest.mark.parametrize(("field", "value"), [
    ("criteria-0-name", "Turnover"),
    ("criteria-0-weight", "50"),
    ("criteria-1-weight", "20"),
    ("criteria-0-threshold-1", "40"),
    ("criteria-0-direction", "lower"),
    ("criteria-0-figure", "growth_3y"),
    ("criteria-2-score-" + "CANDIDATE", "5"),
    ("cutoff-value", "2"),
    ("cutoff-kind", "score"),
])
def test_the_workshop_results_follow_each_number_and_name_they_show(app, field, value):
    fields = complete_fields()
    if field.endswith("CANDIDATE"):
        field = next(name for name in fields if name.startswith("criteria-2-score-")
                     and fields[name] != value)
    base = _results(app, fields)
    assert _results(app, {**fields, field: value}) != base
    assert _results(app, fields) == base


def test_the_workshop_results_follow_the_cohorts_manageable_number(app):
    fields = complete_fields()
    assert "more than the 2" in _results(app, fields, max_key_accounts=2)
    assert "more than the" not in _results(app, fields, max_key_accounts=5)


def test_the_kpi_coverage_follows_the_kpis_responsibilities(app):
    fields = complete_fields()
    with _in(app, "/en/workshop/"):
        case = case_in("en")
        before = str(render_cache.workshop_coverage(parse_fields(fields, case.candidate_ids).workshop))
        changed = {**fields, "kpis-0-responsibility": "quality"}
        after = str(render_cache.workshop_coverage(parse_fields(changed, case.candidate_ids).workshop))
    assert after != before


def test_a_cohorts_organisation_name_shows_on_its_trainees_pages_at_once(app, ids, trainee_client):
    from courseware.db import connect

    assert "Acme Foods" not in text(trainee_client.get("/en/module/focal-point"))
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET org_name = 'Acme Foods' WHERE id = ?", [ids["cohort"]])
    db.conn.commit()
    db.close()
    assert "Acme Foods" in text(trainee_client.get("/en/module/focal-point"))


def _header(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return page[page.index('<header'):page.index('</header>')]


def test_the_header_follows_the_role_the_address_and_new_feedback(app, ids, monkeypatch):
    trainee, trainer = browser_client(app), browser_client(app)
    sign_in(trainee, TRAINEE)
    sign_in(trainer, TRAINER)
    seen_by_trainee = _header(trainee, "/en/module/scope")
    seen_by_trainer = _header(trainer, "/en/module/scope")
    assert "/en/workshop/" in seen_by_trainee and "/en/workshop/" not in seen_by_trainer
    assert "/en/trainer/" in seen_by_trainer and "/en/trainer/" not in seen_by_trainee
    assert TRAINER["name"] in seen_by_trainer and TRAINEE["name"] not in seen_by_trainer
    assert 'href="/zh/module/scope"' in seen_by_trainee
    assert 'href="/zh/module/objective"' in _header(trainee, "/en/module/objective")
    assert 'href="/en/module/scope"' in _header(trainee, "/zh/module/scope")
    assert "badge-new" not in seen_by_trainee
    monkeypatch.setattr("courseware.navigation.feedback_news", lambda: ("graded", 1))
    assert "badge-new" in _header(trainee, "/en/module/scope")
