"""Posts from other sites are refused by what the browser says of them; our own pages' go through.

Browsers send Sec-Fetch-Site on every request and Origin on every post, and no page's script
can set either. A request with neither comes from a program, which holds nobody's cookies by
accident, so it is let through like a same-origin one.
"""

from __future__ import annotations

import pytest

from tests.conftest import TRAINEE, sign_in, text
from tests.support.workshop import complete_fields, page_position

OURS = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}
REFUSED = {
    "cross-site": {"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"},
    "same-site": {"Sec-Fetch-Site": "same-site", "Origin": "http://other.localhost"},
    "foreign-origin": {"Origin": "https://elsewhere.example"},
    "opaque-origin": {"Origin": "null"},
    "look-alike-origin": {"Origin": "http://localhost.elsewhere.example"},
    "origin-with-credentials": {"Origin": "http://localhost@elsewhere.example"},
}
ALLOWED = {
    "same-origin": OURS,
    "origin-only": {"Origin": "http://localhost"},
    "typed-by-the-user": {"Sec-Fetch-Site": "none"},
    "a-program": {},
}


def _credentials() -> dict[str, str]:
    return {"email": TRAINEE["email"], "password": TRAINEE["password"]}


@pytest.mark.parametrize("headers", REFUSED.values(), ids=REFUSED.keys())
@pytest.mark.parametrize(("lang", "message"), [("en", "This was sent from another site"),
                                               ("zh", "此请求来自其他网站")])
def test_a_sign_in_sent_from_another_site_is_refused_and_signs_nobody_in(app, headers, lang,
                                                                         message):
    client = app.test_client()  # sends only the headers each case names
    response = client.post(f"/{lang}/sign-in", data=_credentials(), headers=headers)
    assert response.status_code == 403
    assert message in text(response)
    assert client.get(f"/{lang}/module/").status_code == 302  # still signed out


@pytest.mark.parametrize("headers", ALLOWED.values(), ids=ALLOWED.keys())
def test_a_sign_in_from_our_own_page_or_a_program_goes_through(app, headers):
    client = app.test_client()
    response = client.post("/en/sign-in", data=_credentials(), headers=headers)
    assert response.status_code == 302
    assert client.get("/en/module/").status_code == 200


@pytest.mark.parametrize("headers", REFUSED.values(), ids=REFUSED.keys())
def test_a_signed_in_trainees_sign_out_and_autosave_from_another_site_change_nothing(app, headers):
    client = app.test_client()
    sign_in(client, TRAINEE)
    position = page_position(client, "en")
    saved = client.post("/en/workshop/autosave", json={**position, **complete_fields()},
                        headers=headers)
    assert saved.status_code == 403
    assert client.post("/en/sign-out", headers=headers).status_code == 403
    # Still signed in, and the workshop still empty.
    assert 'value="Revenue"' not in client.get("/en/workshop/").get_data(as_text=True)


def test_links_from_other_sites_still_open_pages(trainee_client):
    response = trainee_client.get("/en/module/scope", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200
