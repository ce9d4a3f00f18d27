"""Nothing a trainee typed goes backwards or is lost: late saves, other windows, ended sessions."""

from __future__ import annotations

import html
import re

import pytest

from courseware.workshop.store import KEPT_PER_ADDRESS
from tests.conftest import TRAINEE, browser_client, sign_in, text
from tests.support.workshop import autosave, complete_fields, page_position

TAB = "tab-aaaaaaaa"
OTHER_TAB = "tab-bbbbbbbb"


def justification(client, lang: str = "en") -> str:
    page = html.unescape(client.get(f"/{lang}/workshop/").get_data(as_text=True))
    return re.search(r'name="justification"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1)


def save(client, position, words: str, tab: str, seq: int, lang: str = "en"):
    fields = {**complete_fields(), "justification": words}
    return autosave(client, lang, position, {**fields, "editor": tab, "seq": str(seq)})


def test_a_late_save_from_the_same_page_never_replaces_newer_words(trainee_client):
    opened = page_position(trainee_client, "en")
    # The page sends change 2 on leaving; the reloaded page (still showing revision 0) sends
    # change 3 at once; change 2 arrives last.
    newer = save(trainee_client, opened, "newest words", TAB, 3)
    late = save(trainee_client, opened, "older words", TAB, 2)
    assert newer.get_json()["status"] == "saved"
    assert late.status_code == 200 and late.get_json()["status"] == "saved"
    assert justification(trainee_client) == "newest words"


def test_a_later_save_from_the_same_page_is_no_conflict(trainee_client):
    opened = page_position(trainee_client, "en")
    save(trainee_client, opened, "first words", TAB, 1)  # sent as the page closed
    again = save(trainee_client, opened, "first words, and more", TAB, 2)  # reopened on rev 0
    assert again.get_json()["status"] == "saved"
    assert justification(trainee_client) == "first words, and more"


@pytest.mark.parametrize(("lang", "says"), [("en", "saved from another window"),
                                            ("zh", "另一个窗口保存过练习")])
def test_another_window_s_save_is_a_conflict_that_shows_its_version(trainee_client, lang, says):
    opened = page_position(trainee_client, lang)
    save(trainee_client, opened, "typed in the other window", OTHER_TAB, 1, lang)
    mine = save(trainee_client, opened, "typed here", TAB, 2, lang)
    assert mine.status_code == 409
    body = mine.get_json()
    assert says in body["message"]
    assert body["other"]["fields"]["justification"] == "typed in the other window"
    # Keeping this page's version: the page saves again on the other version's revision.
    kept = save(trainee_client, {**opened, "revision": str(body["other"]["revision"])},
                "typed here", TAB, 3, lang)
    assert kept.get_json()["status"] == "saved"
    assert justification(trainee_client, lang) == "typed here"


def anonymous(app, address: str):
    client = browser_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def end_session_and_type(app, address: str, words: str):
    client = anonymous(app, address)
    sign_in(client, TRAINEE)
    position = page_position(client, "en")
    client.delete_cookie("session")  # the session expired while the trainee was typing
    reply = autosave(client, "en", position, {**complete_fields(), "justification": words})
    assert reply.status_code == 401
    return client


def test_flooding_from_another_address_never_evicts_kept_work(app):
    trainee = end_session_and_type(app, "10.0.0.7", "kept through the flood")
    flooder = anonymous(app, "10.0.0.66")
    for number in range(KEPT_PER_ADDRESS + 20):
        flooder.post("/en/workshop/autosave", json={"justification": f"junk {number}"})
    location = sign_in(trainee, TRAINEE).headers["Location"]
    assert justification_at(trainee, location) == "kept through the flood"


def test_one_address_flooding_pushes_out_only_its_own_oldest(app):
    app.config["ADDRESS_HASH_LIMIT"] = 10 * KEPT_PER_ADDRESS  # a whole classroom signs in here
    first = end_session_and_type(app, "10.0.0.8", "the first one kept")
    for _number in range(KEPT_PER_ADDRESS):
        end_session_and_type(app, "10.0.0.8", "later")
    location = sign_in(first, TRAINEE).headers["Location"]
    assert "the first one kept" not in justification_at(first, location)


def justification_at(client, location: str) -> str:
    page = html.unescape(client.get(location).get_data(as_text=True))
    return re.search(r'name="justification"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1)


def test_kept_work_comes_back_only_in_the_browser_that_typed_it(app):
    end_session_and_type(app, "10.0.0.9", "typed in the classroom")
    elsewhere = anonymous(app, "10.0.0.9")  # another browser, same address
    sign_in(elsewhere, TRAINEE)
    assert "typed in the classroom" not in justification_at(elsewhere, "/en/workshop/")


def test_a_restore_link_cannot_plant_text_in_another_trainees_editor(app):
    attacker = anonymous(app, "10.0.0.10")
    attacker.post("/en/workshop/autosave", json={"justification": "planted text"})
    victim = anonymous(app, "10.0.0.11")
    sign_in(victim, TRAINEE)
    # The old links carried a token; whatever a link carries now restores nothing.
    for query in ("?restore=anything", ""):
        page = victim.get(f"/en/workshop/{query}")
        assert "planted text" not in page.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_work_too_large_to_keep_is_given_back_on_the_page(app, lang):
    client = anonymous(app, "10.0.0.12")
    words = "typed words " * 12_000  # 144 KB: more than the store keeps for one key
    reply = client.post(f"/{lang}/workshop/", data={"justification": words, "action": "save"})
    assert reply.status_code == 401
    assert words in html.unescape(reply.get_data(as_text=True))
    assert {"en": "could not be kept", "zh": "未能保留"}[lang] in text(reply)
