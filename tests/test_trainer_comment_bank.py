"""The comment bank's own page: every saved comment, filtered by criterion, edited or deleted."""

from __future__ import annotations

import pytest

from courseware.db import connect
from tests.conftest import OTHER_TRAINER, TRAINER, sign_in, text
from tests.support.trainer import grading_url, hand_in

HEADERS = {"Sec-Fetch-Site": "same-origin"}


def _bank(client, target, comment):
    response = client.post("/en/trainer/comment-bank", headers=HEADERS,
                           json={"target": target, "text": comment})
    return response.json["id"]


@pytest.fixture
def banked(trainer_client):
    return {"kpi": _bank(trainer_client, "kpi_coverage", "Add a cost KPI."),
            "overall": _bank(trainer_client, "overall", "Clear, well-argued work.")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_bank_lists_every_comment_and_filters_by_criterion(trainer_client, banked, lang):
    everything = text(trainer_client.get(f"/{lang}/trainer/comment-bank/"))
    assert "Add a cost KPI." in everything and "Clear, well-argued work." in everything
    only_kpis = text(trainer_client.get(f"/{lang}/trainer/comment-bank/?target=kpi_coverage"))
    assert "Add a cost KPI." in only_kpis and "Clear, well-argued work." not in only_kpis
    assert ("Your comment bank" if lang == "en" else "你的评语库") in everything


def test_the_grading_page_links_to_the_bank_and_back(app, trainer_client, ids):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    url = grading_url("en", ids["cohort"], submission)
    html = trainer_client.get(url).get_data(as_text=True)
    assert "/en/trainer/comment-bank/?back=" in html
    bank = trainer_client.get(f"/en/trainer/comment-bank/?back={url}").get_data(as_text=True)
    assert f'href="{url}"' in bank
    outside = trainer_client.get("/en/trainer/comment-bank/?back=//evil.example/")
    assert 'href="//evil.example/"' not in outside.get_data(as_text=True)


def test_editing_a_comment_changes_it_where_it_is_inserted(app, trainer_client, ids, banked):
    response = trainer_client.post(f"/en/trainer/comment-bank/{banked['kpi']}",
                                   data={"text": "  Add a cost-to-serve KPI. ", "action": "save"})
    assert response.status_code == 302
    assert "Comment saved." in text(trainer_client.get(response.headers["Location"]))
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    html = trainer_client.get(grading_url("en", ids["cohort"], submission)).get_data(as_text=True)
    assert 'data-bank-text="Add a cost-to-serve KPI."' in html
    assert "Add a cost KPI." not in html


@pytest.mark.parametrize(("lang", "typed", "message"), [
    ("en", "   ", "Write a comment first"),
    ("en", "x" * 2001, "limited to 2000 characters"),
    ("zh", "Keep it short.", "评语库中已有这条评语。"),  # the same as another saved comment
])
def test_a_bad_edit_keeps_the_text_and_says_why(trainer_client, banked, lang, typed, message):
    _bank(trainer_client, "kpi_coverage", "Keep it short.")
    response = trainer_client.post(f"/{lang}/trainer/comment-bank/{banked['kpi']}",
                                   data={"text": typed, "action": "save"})
    assert response.status_code == 422
    assert message in text(response)
    assert f">{typed}</textarea>" in response.get_data(as_text=True)  # as typed, not lost
    assert "Add a cost KPI." in text(trainer_client.get("/en/trainer/comment-bank/"))


def test_deleting_a_comment_removes_it(trainer_client, banked):
    response = trainer_client.post(f"/zh/trainer/comment-bank/{banked['kpi']}",
                                   data={"action": "delete"})
    page = text(trainer_client.get(response.headers["Location"]))
    assert "Add a cost KPI." not in page and "Clear, well-argued work." in page
    again = trainer_client.post(f"/en/trainer/comment-bank/{banked['kpi']}",
                                data={"action": "delete"})
    assert "no longer in your comment bank" in text(trainer_client.get(again.headers["Location"]))


def test_another_trainer_can_neither_see_nor_change_the_comments(app, client, banked):
    sign_in(client, OTHER_TRAINER)
    assert "Add a cost KPI." not in text(client.get("/en/trainer/comment-bank/"))
    client.post(f"/en/trainer/comment-bank/{banked['kpi']}", data={"action": "delete"})
    client.post(f"/en/trainer/comment-bank/{banked['overall']}",
                data={"text": "Hijacked", "action": "save"})
    client.post("/en/sign-out")
    sign_in(client, TRAINER)
    page = text(client.get("/en/trainer/comment-bank/"))
    assert "Add a cost KPI." in page and "Hijacked" not in page


def test_trainees_are_refused(client, banked):
    client.post("/en/sign-out")
    from tests.conftest import TRAINEE

    sign_in(client, TRAINEE)
    assert client.get("/en/trainer/comment-bank/").status_code == 403
    assert client.post(f"/en/trainer/comment-bank/{banked['kpi']}",
                       data={"action": "delete"}).status_code == 403


def test_a_comment_saved_for_one_criterion_can_go_into_another(app, trainer_client, ids, banked):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    url = grading_url("en", ids["cohort"], submission)
    html = trainer_client.get(url).get_data(as_text=True)
    assert "Comments saved for other criteria" in html
    # Without JavaScript: the KPI comment, put into the overall comment's box.
    trainer_client.post(url, data={"revision": "0", "bank_insert": f"overall:{banked['kpi']}"})
    html = trainer_client.get(url).get_data(as_text=True)
    assert "Add a cost KPI.</textarea>" in html
    assert 'name="comment-overall"' in html.split("Add a cost KPI.</textarea>")[0].rsplit(
        "<textarea", 1)[1]


def test_the_trainers_of_a_cohort_share_their_comments(app, client, ids, banked):
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    db = connect(app.config["DATABASE"])
    with db.conn:
        db["cohort_trainers"].insert({"cohort_id": ids["cohort"], "user_id": ids["other_trainer"]})
    db.close()
    client.post("/en/sign-out")
    sign_in(client, OTHER_TRAINER)
    url = grading_url("en", ids["cohort"], submission)
    html = client.get(url).get_data(as_text=True)
    assert 'data-bank-text="Add a cost KPI."' in html  # Tess's comment, offered to Olga
    client.post(url, data={"revision": "0", "bank_insert": str(banked["kpi"])})
    assert "Add a cost KPI.</textarea>" in client.get(url).get_data(as_text=True)
    # Still Tess's own: Olga cannot edit it, and it is not in her bank's page.
    assert "Add a cost KPI." not in text(client.get("/en/trainer/comment-bank/"))
