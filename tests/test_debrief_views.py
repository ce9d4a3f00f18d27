"""The workshop debrief page: who may see it, what it says of a room, its reference and exemplars."""

from __future__ import annotations

import pytest

from courseware.db import connect
from courseware.workshop.store import save_draft
from tests.conftest import OTHER_TRAINEE, OTHER_TRAINER, TRAINEE, TRAINER, sign_in, text
from tests.support.debrief import add_trainee, hand_in, workshop_choosing
from tests.support.live import answer_in_session, count, running_session

LANGS = ("en", "zh")


def room_url(lang, cohort_id, query=""):
    return f"/{lang}/trainer/cohorts/{cohort_id}/debrief/{query}"


@pytest.fixture
def room(app, ids):
    """Three trainees of the cohort who disagree about the third key account."""
    people = [ids["trainee"], add_trainee(app, ids["cohort"], "Wendy"),
              add_trainee(app, ids["cohort"], "Xavier")]
    picks = [("huadong-fresh", "shopnow", 60), ("huadong-fresh", "campus-mart", 30),
             ("huadong-fresh", "shopnow", 80)]
    submissions = [hand_in(app, person, ids["cohort"], workshop_choosing(*pick))
                   for person, pick in zip(people, picks, strict=True)]
    return {"people": people, "submissions": submissions}


# Who may see it


ROUTES = [("get", ""), ("get", "exemplars?a=1&b=2"), ("post", "reference")]


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("lang", LANGS)
def test_anonymous_visitors_are_sent_to_sign_in(client, ids, method, path, lang):
    response = getattr(client, method)(room_url(lang, ids["cohort"], path))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("person", [TRAINEE, OTHER_TRAINEE])
def test_trainees_of_this_or_another_cohort_are_refused(client, ids, method, path, person):
    sign_in(client, person)
    assert getattr(client, method)(room_url("en", ids["cohort"], path)).status_code == 403


@pytest.mark.parametrize("method,path", ROUTES)
def test_a_trainer_of_another_cohort_finds_nothing(client, ids, room, method, path):
    sign_in(client, OTHER_TRAINER)
    response = getattr(client, method)(room_url("en", ids["cohort"], path),
                                       data={"submission": room["submissions"][0]})
    assert response.status_code == 404


def test_a_cross_site_post_is_refused(trainer_client, ids, room):
    response = trainer_client.post(room_url("en", ids["cohort"], "reference"),
                                   data={"submission": room["submissions"][0]},
                                   headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert "Reference rank" not in text(trainer_client.get(room_url("en", ids["cohort"])))


def test_the_dashboard_links_to_the_debrief(trainer_client, ids):
    page = trainer_client.get(f"/en/trainer/cohorts/{ids['cohort']}/").get_data(as_text=True)
    assert f'href="/en/trainer/cohorts/{ids["cohort"]}/debrief/"' in page


# Too few workshops


@pytest.mark.parametrize("lang,heading", [("en", "Not enough workshops yet"),
                                          ("zh", "练习还不够")])
def test_a_room_with_no_workshop_says_so(trainer_client, ids, lang, heading):
    response = trainer_client.get(room_url(lang, ids["cohort"]))
    assert response.status_code == 200
    assert heading in text(response)


def test_a_room_with_one_workshop_says_how_many_it_has(app, trainer_client, ids):
    hand_in(app, ids["trainee"], ids["cohort"], workshop_choosing("shopnow", "quickstop"))
    page = text(trainer_client.get(room_url("en", ids["cohort"])))
    assert "Not enough workshops yet" in page and "So far: 1." in page
    assert "Agreement on the ranking" not in page


def test_drafts_count_only_when_the_trainer_chooses_them(app, trainer_client, ids):
    hand_in(app, ids["trainee"], ids["cohort"], workshop_choosing("shopnow", "quickstop"))
    other = add_trainee(app, ids["cohort"], "Wendy")
    db = connect(app.config["DATABASE"])
    with db.conn:
        save_draft(db, user_id=other, cohort_id=ids["cohort"],
                   workshop=workshop_choosing("shopnow", "campus-mart"), unparsed={},
                   base_version=0, revision=0)
    db.close()
    assert "Not enough workshops yet" in text(trainer_client.get(room_url("en", ids["cohort"])))
    page = text(trainer_client.get(room_url("en", ids["cohort"], "?source=current")))
    assert "2 workshops compared" in page


# What the room shows


def test_the_room_is_anonymous_unless_the_trainer_shows_names(trainer_client, ids, room):
    page = text(trainer_client.get(room_url("en", ids["cohort"])))
    assert "Trainee 1" in page and "Wendy" not in page and "Xavier" not in page
    named = text(trainer_client.get(room_url("en", ids["cohort"], "?names=1")))
    assert "Wendy" in named and "Xavier" in named


def test_the_room_names_its_disputed_candidates(trainer_client, ids, room):
    page = text(trainer_client.get(room_url("en", ids["cohort"])))
    # ShopNow is on two of three lists, Campus Mart on one: both between 30 and 70 %.
    prompts = page.split("Candidates the room disagrees about")[1].split("How often")[0]
    assert "on 2 of 3 lists. Who left it out" in prompts and "on 1 of 3 lists." in prompts
    assert "Huadong" not in prompts  # on every list


def test_the_room_shows_its_ranking_weights_tipping_and_coverage(trainer_client, ids, room):
    page = text(trainer_client.get(room_url("en", ids["cohort"])))
    for heading in ("The room’s ranking", "Weights across the room",
                    "What would change the room’s list", "Responsibilities the room’s KPIs cover",
                    "Agreement on the ranking"):
        assert heading in page
    # The room's weights: revenue (60 + 30 + 80) / 3 and the judgement's (40 + 70 + 20) / 3.
    assert "Annual revenue with us 3 60 45–70 57" in page


@pytest.mark.parametrize("lang", LANGS)
def test_the_room_can_show_both_languages_side_by_side(trainer_client, ids, room, lang):
    page = text(trainer_client.get(room_url(lang, ids["cohort"], "?show=both")))
    assert "The room’s ranking" in page and "全班的排名" in page


@pytest.mark.parametrize("query", ["?source=nonsense&show=x&names=maybe", "?a=%00", "?source="])
def test_odd_options_show_the_usual_page(trainer_client, ids, room, query):
    response = trainer_client.get(room_url("en", ids["cohort"], query))
    assert response.status_code == 200 and "Trainee 1" in text(response)


# The reference solution


def test_a_trainer_sets_and_clears_a_reference_solution(trainer_client, ids, room):
    url = room_url("en", ids["cohort"])
    response = trainer_client.post(url + "reference", data={"submission": room["submissions"][1]})
    assert response.status_code == 302
    page = text(trainer_client.get(url))
    assert "Reference solution set." in page and "Reference rank" in page
    trainer_client.post(url + "reference", data={"action": "clear"})
    assert "Reference rank" not in text(trainer_client.get(url))


@pytest.mark.parametrize("submission", ["", "abc", "-3", "99999999999999999999999", "424242"])
def test_a_bad_reference_gets_a_message(trainer_client, ids, room, submission):
    url = room_url("en", ids["cohort"])
    response = trainer_client.post(url + "reference", data={"submission": submission},
                                   follow_redirects=True)
    assert response.status_code == 200
    assert "Choose one of the cohort’s submitted workshops as the reference." in text(response)
    assert "Reference rank" not in text(response)


def test_another_cohorts_workshop_cannot_be_the_reference(app, trainer_client, ids, room):
    theirs = hand_in(app, ids["other_trainee"], ids["other_cohort"],
                     workshop_choosing("shopnow", "quickstop"))
    url = room_url("en", ids["cohort"])
    trainer_client.post(url + "reference", data={"submission": theirs})
    assert "Reference rank" not in text(trainer_client.get(url))


# Exemplars


def test_two_workshops_show_side_by_side_anonymised(trainer_client, ids, room):
    first, second = room["people"][0], room["people"][2]
    response = trainer_client.get(room_url("en", ids["cohort"], f"exemplars?a={first}&b={second}"))
    page = text(response)
    assert response.status_code == 200
    assert "Trainee 1" in page and "Trainee 3" in page and "Tom Trainee" not in page.split("Sign out")[1]
    assert page.count("Selection criteria") == 2


@pytest.mark.parametrize("query", ["a=1&b=1", "a=x&b=", "a=99999999999999999999", "b=2"])
def test_a_bad_pick_of_exemplars_gets_a_message(trainer_client, ids, room, query):
    response = trainer_client.get(room_url("en", ids["cohort"], f"exemplars?{query}"))
    assert response.status_code == 422
    assert "Choose two different workshops to show side by side." in text(response)


def test_a_trainee_of_another_cohort_is_no_exemplar(trainer_client, ids, room):
    query = f"exemplars?a={room['people'][0]}&b={ids['other_trainee']}"
    response = trainer_client.get(room_url("en", ids["cohort"], query))
    assert response.status_code == 422
    assert "Sam Stranger" not in text(response)


def test_the_room_names_the_figures_nobody_used(trainer_client, ids, room):
    page = text(trainer_client.get(room_url("en", ids["cohort"])))
    unused = page.split("No trainee measured anything from:")[1].split(".")[0]
    assert "Share of wallet" in unused and "Annual revenue with us" not in unused


# The live 100-point question


def _live_criteria_question(app, client, ids, answers):
    """The trainer adds and opens the ready-made criteria question; the room answers."""
    live = running_session(app, ids["cohort"], ids["trainer"], guests=True, open_first=False)
    added = client.post(f"/en/live/sessions/{live.session_id}/questions",
                        data={"source": "case:criteria"})
    assert added.status_code == 302
    question = count(app, "SELECT max(id) FROM live_questions WHERE kind = 'points'")
    client.post(f"/en/live/sessions/{live.session_id}/questions/{question}/open")
    answer_in_session(app, live.session_id, question, answers)
    return live


ROOM_POINTS = [{"revenue": 60, "gross_margin": 40}, {"revenue": 40, "gross_margin": 60},
               {"revenue": 20, "growth_3y": 80}]


@pytest.mark.parametrize("lang,words", [
    ("en", ("Weights from the live question", "How much should each criterion weigh?",
            "Answers so far: 3", "Annual revenue with us", "Gross margin")),
    ("zh", ("课堂互动提问中的权重", "每项标准应占多少权重？", "共 3 份回答",
            "我司对该客户的年销售额", "毛利率")),
])
def test_a_live_question_shows_the_rooms_weights_before_anyone_submits(
        app, trainer_client, ids, lang, words):
    wendy = add_trainee(app, ids["cohort"], "Wendy")
    _live_criteria_question(app, trainer_client, ids, list(zip(
        [ids["trainee"], wendy, "Guest Gao"], ROOM_POINTS, strict=True)))
    response = trainer_client.get(room_url(lang, ids["cohort"]))
    assert response.status_code == 200
    page = text(response)
    assert all(word in page for word in words)
    # Revenue: 60, 40 and 20 points, the guest's answer counted: mean 40, the room's weight 40.
    html = response.get_data(as_text=True)
    assert html.count('class="debrief-chart__dot"') == 6
    assert "40.0" in page
    assert "Guest Gao" not in page and "Wendy" not in page


def test_without_a_live_question_the_empty_room_shows_only_its_message(app, trainer_client, ids):
    live = running_session(app, ids["cohort"], ids["trainer"])
    answer_in_session(app, live.session_id, live.choice_id, [(ids["trainee"], ["a"])])
    page = text(trainer_client.get(room_url("en", ids["cohort"])))
    assert "Not enough workshops yet" in page
    assert "Weights from the live question" not in page


def test_the_live_weights_sit_beside_the_workshops_weights(app, trainer_client, ids, room):
    _live_criteria_question(app, trainer_client, ids, [(ids["trainee"], ROOM_POINTS[0])])
    page = text(trainer_client.get(room_url("en", ids["cohort"])))
    assert "Weights across the room" in page and "Weights from the live question" in page
    assert "Answers so far: 1" in page


def test_another_cohorts_live_question_stays_out_of_the_debrief(app, client, ids):
    sign_in(client, OTHER_TRAINER)
    other = ids["other_cohort"]
    live = running_session(app, other, ids["other_trainer"], guests=True, open_first=False)
    client.post(f"/en/live/sessions/{live.session_id}/questions", data={"source": "case:criteria"})
    question = count(app, "SELECT max(id) FROM live_questions WHERE kind = 'points'")
    client.post(f"/en/live/sessions/{live.session_id}/questions/{question}/open")
    answer_in_session(app, live.session_id, question, [("Guest Gao", ROOM_POINTS[0])])
    assert "Weights from the live question" in text(client.get(room_url("en", other)))
    assert client.get(room_url("en", ids["cohort"])).status_code == 404
    sign_in(client, TRAINER)
    assert "Weights from the live question" not in text(client.get(room_url("en", ids["cohort"])))
