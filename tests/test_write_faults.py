"""A database that cannot store a write: people still sign in and read, and every save says
in the page's language that it was not stored, giving back what was typed."""

from __future__ import annotations

import html
import re

import pytest

from courseware.db import get_db
from tests.conftest import TRAINEE, sign_in, text
from tests.support.workshop import autosave, complete_fields, page_position

NOT_STORED = {"en": "Not saved: the server could not store it.", "zh": "未保存：服务器无法存储。"}
READ_ONLY = {"en": "cannot write to its database", "zh": "数据库暂时无法写入"}
DISK_FULL = {"en": "disk is full", "zh": "磁盘已满"}


def refuse_writes(app) -> None:
    """From now on the database refuses every write, as a read-only copy does.

    The test client serves requests on this thread, on the connection this thread keeps.
    """
    with app.app_context():
        get_db().execute("PRAGMA query_only = ON")


def fill_the_disk(app) -> None:
    """From now on the database cannot grow by a single page, as on a full disk."""
    with app.app_context():
        db = get_db()
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_autosave_on_a_read_only_database_says_not_stored_and_why(app, trainee_client, lang):
    opened = page_position(trainee_client, lang)
    refuse_writes(app)
    reply = autosave(trainee_client, lang, opened, complete_fields())
    assert reply.status_code == 503
    body = reply.get_json()
    assert body["status"] == "not_stored"
    assert NOT_STORED[lang] in body["message"] and READ_ONLY[lang] in body["message"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_autosave_on_a_full_disk_says_the_disk_is_full(app, trainee_client, lang):
    opened = page_position(trainee_client, lang)
    fill_the_disk(app)
    long_reason = "Growth and profit first. " * 150  # needs pages the database cannot add
    reply = autosave(trainee_client, lang, opened,
                     {**complete_fields(), "justification": long_reason})
    assert reply.status_code == 503
    assert DISK_FULL[lang] in reply.get_json()["message"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_form_save_gives_every_typed_field_back(app, trainee_client, lang):
    opened = page_position(trainee_client, lang)
    refuse_writes(app)
    words = "Why these accounts: 增长和利润优先 & <no markup>"
    reply = trainee_client.post(f"/{lang}/workshop/", data={
        **opened, **complete_fields(), "justification": words, "action": "save"})
    assert reply.status_code == 503
    page = reply.get_data(as_text=True)
    assert NOT_STORED[lang] in text(reply)
    textarea = re.search(r'name="justification"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert textarea and html.unescape(textarea.group(1)) == words
    assert 'value="Relationship"' in page  # a criterion's name, as typed


def start_attempt(client, lang: str) -> tuple[str, str]:
    url = client.post(f"/{lang}/quiz/start").headers["Location"]
    page = client.get(url).get_data(as_text=True)
    return url, re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_quiz_answer_that_cannot_be_stored_says_so(app, trainee_client, lang):
    url, token = start_attempt(trainee_client, lang)
    refuse_writes(app)
    reply = trainee_client.post(url + "/answers", json={
        "token": token, "question": "what-is-kam", "answer": ["process"], "seq": "1"})
    assert reply.status_code == 503
    body = reply.get_json()
    assert body["status"] == "not_stored" and NOT_STORED[lang] in body["message"]


def test_a_quiz_form_that_cannot_be_stored_comes_back_with_its_answers(app, trainee_client):
    url, token = start_attempt(trainee_client, "en")
    refuse_writes(app)
    # One answer of many: the page comes back to be completed, keeping what was answered.
    reply = trainee_client.post(url, data={"token": token, "answer:what-is-kam": "process"})
    assert reply.status_code == 503
    page = reply.get_data(as_text=True)
    assert NOT_STORED["en"] in text(reply)
    chosen = re.search(r'<input[^>]*name="answer:what-is-kam"[^>]*value="process"[^>]*>', page)
    assert chosen and "checked" in chosen.group(0)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_people_still_sign_in_and_read_the_module(app, client, lang):
    client.get(f"/{lang}/sign-in")  # opens this thread's connection
    refuse_writes(app)
    assert sign_in(client, TRAINEE, lang).status_code == 302
    page = client.get(f"/{lang}/module/", follow_redirects=True)
    assert page.status_code == 200 and TRAINEE["name"] in text(page)
