"""Reading the module: languages, side by side, progress, and the pages' 404s."""

from __future__ import annotations

import re

import pytest

from courseware.db import connect
from tests.conftest import TRAINEE, make_app, sign_in, text


@pytest.mark.parametrize(("lang", "html_lang", "title"), [
    ("en", "en", "Scope"), ("zh", "zh-Hans", "范围"),
])
def test_a_page_reads_in_its_language_with_the_right_html_lang(trainee_client, lang, html_lang,
                                                               title):
    response = trainee_client.get(f"/{lang}/module/scope")
    html = response.get_data(as_text=True)
    assert f'<html lang="{html_lang}" ' in html
    assert f"<h1>{title}</h1>" in html


def test_side_by_side_shows_both_languages_paragraph_by_paragraph(trainee_client):
    html = trainee_client.get("/zh/module/scope/side-by-side").get_data(as_text=True)
    assert html.count('class="pair"') == 5 + 0  # five bullets on the scope slide
    assert "Key accounts are selected according to specific criteria." in html
    assert "大客户是根据特定标准选出的。" in html
    assert '<div lang="en">' in html and '<div lang="zh-Hans">' in html


def _columns(html: str) -> tuple[str, str]:
    english = re.findall(r'<div lang="en">(.*?)</div>\s*<div lang="zh-Hans">', html, re.S)
    chinese = re.findall(r'<div lang="zh-Hans">(.*?)</div>\s*</div>', html, re.S)
    return " ".join(english), " ".join(chinese)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_side_by_side_column_names_the_unnamed_organisation_in_its_own_language(
    trainee_client, lang
):
    # Without a name, "the customer and 公司" mixed the interface's default into the other column.
    english, chinese = _columns(
        trainee_client.get(f"/{lang}/module/focal-point/side-by-side").get_data(as_text=True))
    assert "focal point for the customer and the company." in english
    assert "公司" not in english
    assert "客户与公司之间的核心联系人" in chinese
    assert "the company" not in chinese


def test_a_named_organisation_reads_the_same_in_both_columns(app, ids, trainee_client):
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET org_name = ? WHERE id = ?", ["Acme", ids["cohort"]])
    db.conn.commit()
    db.close()
    english, chinese = _columns(
        trainee_client.get("/zh/module/focal-point/side-by-side").get_data(as_text=True))
    assert "for the customer and Acme." in english and "客户与Acme之间" in chinese


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_column_uses_the_organisations_name_in_its_own_language(app, ids, trainee_client,
                                                                     lang):
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET org_name = ?, org_name_zh = ? WHERE id = ?",
               ["Acme Foods", "艾克美食品", ids["cohort"]])
    db.conn.commit()
    db.close()
    english, chinese = _columns(
        trainee_client.get(f"/{lang}/module/focal-point/side-by-side").get_data(as_text=True))
    assert "for the customer and Acme Foods." in english and "艾克美" not in english
    assert "客户与艾克美食品之间" in chinese and "Acme" not in chinese
    single = text(trainee_client.get(f"/{lang}/module/focal-point"))
    assert ("艾克美食品" if lang == "zh" else "Acme Foods") in single


def test_the_language_switch_keeps_you_on_the_same_page(trainee_client):
    html = trainee_client.get("/en/module/focal-point").get_data(as_text=True)
    assert 'href="/zh/module/focal-point"' in html
    html = trainee_client.get("/zh/module/focal-point/side-by-side").get_data(as_text=True)
    assert 'href="/en/module/focal-point/side-by-side"' in html


def test_root_redirects_by_cookie_then_accept_language(client):
    assert client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).headers[
        "Location"] == "/zh/"
    assert client.get("/", headers={"Accept-Language": "de-DE,en;q=0.5"}).headers[
        "Location"] == "/en/"
    client.get("/en/")  # remembers English
    assert client.get("/", headers={"Accept-Language": "zh-TW"}).headers["Location"] == "/en/"


@pytest.mark.parametrize(("url", "message"), [
    ("/fr/module/scope", "Page not found"),
    ("/en/module/no-such-page", "Page not found"),
    ("/zh/module/no-such-page", "找不到页面"),
    ("/zh/nothing/here", "找不到页面"),
])
def test_unknown_language_or_page_gets_a_404_in_the_chosen_language(trainee_client, url, message):
    response = trainee_client.get(url)
    assert response.status_code == 404
    assert message in text(response)


def test_reading_pages_ticks_them_and_the_home_page_offers_the_first_unread(trainee_client):
    trainee_client.get("/en/module/customer-categories")
    trainee_client.get("/en/module/objective")
    contents = trainee_client.get("/en/module/")
    assert "2 of 15 pages read" in text(contents)
    assert text(contents).count("(read)") == 2
    home = text(trainee_client.get("/zh/"))
    # Pages 1 and 3 read: "continue" skips back to page 2, not to the page last opened.
    assert "继续学习第一个未读页面：概述" in home
    assert "已读 2 / 15 页" in home


def test_the_home_page_lists_the_module_as_links_with_ticks(trainee_client):
    trainee_client.get("/en/module/scope")
    html = trainee_client.get("/en/").get_data(as_text=True)
    for page in ["customer-categories", "scope", "workshop"]:
        assert f'href="/en/module/{page}"' in html
    assert text(trainee_client.get("/en/")).count("✓ read") == 1


def test_the_last_page_leads_to_the_quiz_and_the_workshop(trainee_client):
    html = trainee_client.get("/zh/module/workshop").get_data(as_text=True)
    assert 'href="/zh/quiz/"' in html and 'href="/zh/workshop/"' in html
    assert "你已读 1 / 15 页。" in text(trainee_client.get("/zh/module/workshop"))


def test_reading_every_page_completes_the_module(trainee_client, app):
    from courseware.loaded_course import get_course

    with app.app_context():
        pages = get_course().pages["en"]
    for page in pages:
        trainee_client.get(f"/en/module/{page.id}")
    assert "Module complete" in text(trainee_client.get("/en/"))
    assert "You have read all 15 pages." in text(trainee_client.get("/en/module/workshop"))


def test_a_page_read_through_one_worker_is_ticked_by_the_others(app, tmp_path):
    """Each gunicorn worker keeps a trainee's pages read; none may show a stale set."""
    first = app.test_client()
    sign_in(first, TRAINEE)
    other_worker = make_app(tmp_path)  # the same database, its own kept sets
    second = other_worker.test_client()
    second.set_cookie("session", first.get_cookie("session").value)
    assert "0 of 15 pages read" in text(second.get("/en/module/"))  # kept by the second
    first.get("/en/module/objective")
    first.get("/en/module/scope")
    contents = text(second.get("/en/module/"))
    assert "2 of 15 pages read" in contents and contents.count("(read)") == 2
    db = connect(app.config["DATABASE"])
    db.execute("DELETE FROM page_views WHERE page_id = 'scope'")
    db.conn.commit()
    db.close()
    assert "1 of 15 pages read" in text(second.get("/en/module/"))
    assert "1 of 15 pages read" in text(first.get("/en/module/"))


def test_page_shows_its_position_and_links_to_neighbours(trainee_client):
    response = trainee_client.get("/en/module/scope")
    assert "Page 4 of 15" in text(response)
    html = response.get_data(as_text=True)
    assert 'rel="prev" href="/en/module/objective"' in html
    assert 'rel="next" href="/en/module/selection-criteria"' in html


def test_the_role_figure_links_every_role_to_its_page(trainee_client):
    html = trainee_client.get("/en/module/account-manager-role").get_data(as_text=True)
    for page in ["relationship-builder", "grow-revenue-profit", "problem-solver",
                 "company-performance", "deliver-value", "focal-point"]:
        assert f'href="/en/module/{page}"' in html
    assert "<figure" in html and "<figcaption" in html


@pytest.mark.parametrize(("lang", "default"), [("en", "the company"), ("zh", "公司")])
def test_blanked_company_name_shows_the_cohort_organisation(app, trainee_client, ids, lang,
                                                             default):
    assert default in text(trainee_client.get(f"/{lang}/module/focal-point"))
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET org_name = ? WHERE id = ?", ["Acme <Foods>", ids["cohort"]])
    db.close()
    html = trainee_client.get(f"/{lang}/module/focal-point").get_data(as_text=True)
    assert "Acme &lt;Foods&gt;" in html and "{org}" not in html


def test_the_handout_holds_every_page(trainee_client):
    body = text(trainee_client.get("/zh/module/handout"))
    for title in ["客户类别", "范围", "讨论", "练习"]:
        assert title in body


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_handout_prints_in_english_in_chinese_or_side_by_side(trainee_client, lang):
    english = trainee_client.get(f"/{lang}/module/handout/en").get_data(as_text=True)
    chinese = trainee_client.get(f"/{lang}/module/handout/zh").get_data(as_text=True)
    both = trainee_client.get(f"/{lang}/module/handout/side-by-side").get_data(as_text=True)
    assert "Categories of customers" in english and "客户类别" not in english
    assert "客户类别" in chinese and "Categories of customers" not in chinese
    assert "Categories of customers" in both and "客户类别" in both
    assert both.count('class="pair"') > 15
    # The interface stays in the page's language; the text says which language it is in.
    interface = {"en": "Back to the contents", "zh": "返回目录"}[lang]
    for html in (english, chinese, both):
        assert interface in html and "data-print" in html
    assert '<div class="handout-text" lang="zh-Hans">' in chinese


def test_the_handout_without_a_choice_is_in_the_interface_language(trainee_client):
    assert "客户类别" in text(trainee_client.get("/zh/module/handout"))
    assert "Categories of customers" in text(trainee_client.get("/en/module/handout"))


def test_the_print_button_is_hidden_until_the_script_shows_it(trainee_client):
    html = trainee_client.get("/en/module/handout/side-by-side").get_data(as_text=True)
    assert re.search(r"<button type=\"button\"[^>]*data-print hidden>", html)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_unknown_handout_text_is_a_page_not_found(trainee_client, lang):
    response = trainee_client.get(f"/{lang}/module/handout/fr")
    assert response.status_code == 404
    assert {"en": "Page not found", "zh": "找不到页面"}[lang] in text(response)


@pytest.mark.parametrize("text_choice", ["en", "zh", "side-by-side"])
def test_a_handout_names_the_readers_own_organisation_never_another_cohorts(app, client, ids,
                                                                           text_choice):
    from tests.conftest import OTHER_TRAINEE, OTHER_TRAINER

    db = connect(app.config["DATABASE"])
    db.execute("UPDATE cohorts SET org_name = ? WHERE id = ?", ["Acme Foods", ids["cohort"]])
    db.commit()
    db.close()
    assert sign_in(client, TRAINEE).status_code == 302
    assert "Acme Foods" in text(client.get(f"/en/module/handout/{text_choice}"))
    for person in (OTHER_TRAINEE, OTHER_TRAINER):
        other = app.test_client()
        other.environ_base["HTTP_SEC_FETCH_SITE"] = "same-origin"
        assert sign_in(other, person).status_code == 302
        response = other.get(f"/en/module/handout/{text_choice}")
        assert response.status_code == 200 and "Acme Foods" not in text(response)


@pytest.mark.parametrize("url", ["/en/module/handout/en", "/zh/module/handout/side-by-side"])
def test_anonymous_visitors_cannot_open_a_handout(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_security_headers_are_on_every_response(client):
    for url in ["/en/", "/en/sign-in", "/en/nowhere", "/static/css/app.css"]:
        with client.get(url) as response:
            headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers


def test_https_deployments_get_hsts_and_secure_cookies(tmp_path):
    from tests.conftest import make_app

    app = make_app(tmp_path, COURSEWARE_HTTPS=True)
    app.config["SESSION_COOKIE_SECURE"] = True
    response = app.test_client().get("/en/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_carry_no_inline_script_or_style(trainee_client):
    for url in ["/en/", "/en/module/", "/zh/module/account-manager-role",
                "/en/module/scope/side-by-side", "/zh/module/handout"]:
        html = trainee_client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html
        assert "http://" not in html and "https://" not in html


def test_the_language_switch_on_a_form_shown_after_a_post_stays_on_that_form(client):
    from tests.conftest import post_form

    html = post_form(client, "/zh/join", {"name": ""}).get_data(as_text=True)
    assert 'class="lang-switch" href="/en/join"' in html
