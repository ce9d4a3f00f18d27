"""Chinese pages read as a Chinese trainer writes: full-width brackets, no glued-in spaces."""

from __future__ import annotations

import re

import pytest

from tests.conftest import text
from tests.support.workshop import autosave, complete_fields, page_position

HAN = "\u4e00-\u9fff"


def workshop_text(client, fields: dict[str, str]) -> str:
    autosave(client, "zh", page_position(client, "zh"), fields)
    return text(client.get("/zh/workshop/"))


def test_the_key_account_count_and_the_cutoff_hint_read_as_chinese(trainee_client):
    visible = workshop_text(trainee_client, complete_fields())
    assert re.search(r"（从 14 家候选客户中选出 \d+ 家）", visible)
    assert "(" not in visible.split("大客户：", 1)[1].split("各候选客户", 1)[0]
    assert "一并入选。本组织最多能够妥善管理 5 家大客户。" in visible


def test_the_sensitivity_names_who_moves_right_after_the_colon(trainee_client):
    fields = {**complete_fields(), "criteria-0-weight": "60", "criteria-1-weight": "20",
              "criteria-2-weight": "20"}
    visible = workshop_text(trainee_client, fields)
    assert re.search(rf"(新入选|落选)：[{HAN}]", visible)


def test_the_key_account_list_follows_the_colon_without_a_gap(trainee_client):
    autosave(trainee_client, "zh", page_position(trainee_client, "zh"), complete_fields())
    page = trainee_client.get("/zh/workshop/").get_data(as_text=True)
    line = re.search(r'<p class="key-accounts">(.*?)</p>', page, re.S).group(1)
    assert re.search(rf"大客户：</strong>[{HAN}]", line)
    assert re.search(rf"[{HAN}]<span class=\"muted key-accounts-count\">（从", line)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Already have an account? Sign in"),
    ("zh", "已有账号？登录"),
])
def test_sentences_follow_each_other_with_a_space_only_in_english(client, lang, expected):
    page = client.get(f"/{lang}/join").get_data(as_text=True)
    assert expected in re.sub(r"<[^>]+>", "", page)
