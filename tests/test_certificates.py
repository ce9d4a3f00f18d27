"""Certificates as trainees, trainers and HR desks meet them: earning, PDF, QR, verify, revoke."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest
import zxingcpp

from courseware.certificates import pdf as certificate_pdf
from courseware.db import connect, utc_now
from courseware.loaded_course import get_course
from tests.conftest import OTHER_TRAINEE, OTHER_TRAINER, TRAINEE, TRAINER, browser_client, sign_in, text
from tests.support.trainer import hand_in


def make_eligible(app, ids, *, quiz=90.0, workshop_share=1.0):
    """Give the trainee every page read, a quiz attempt and a released workshop grade."""
    with app.app_context():
        course = get_course()
        pages = [page.id for page in course.pages["en"]]
        max_points = course.areas["rubric"].get("en").max_points
    submission = hand_in(app, ids["trainee"], ids["cohort"])
    db = connect(app.config["DATABASE"])
    with db.conn:
        for page in pages:
            db["page_views"].insert({"user_id": ids["trainee"], "page_id": page}, ignore=True)
        db["quiz_attempts"].insert({"user_id": ids["trainee"], "token": "t-cert",
                                    "submitted_at": "2026-01-01T00:00:00Z", "lang": "en",
                                    "earned": quiz, "possible": 100, "percent": quiz})
        db["grades"].insert({"submission_id": submission, "cohort_id": ids["cohort"],
                             "trainee_id": ids["trainee"], "version": 1,
                             "total": round(max_points * workshop_share), "outcome": "released",
                             "decided_at": "2026-01-02T00:00:00Z"})
        db.execute("UPDATE workshop_submissions SET status = 'released' WHERE id = ?", [submission])
    db.close()


def set_cohort(app, cohort_id, **values):
    db = connect(app.config["DATABASE"])
    with db.conn:
        db["cohorts"].update(cohort_id, values)
    db.close()


def certificate_rows(app):
    db = connect(app.config["DATABASE"])
    rows = list(db["certificates"].rows)
    db.close()
    return rows


def get_certificate(client, lang="en", **choices):
    response = client.post(f"/{lang}/certificate/", data={k: "on" for k, v in choices.items() if v})
    assert response.status_code == 302
    return certificate_rows(client.application)[-1]["id"]


def as_person(app, person):
    client = browser_client(app)
    assert sign_in(client, person).status_code == 302
    return client


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trainee_without_results_sees_what_the_certificate_needs(trainee_client, lang):
    page = text(trainee_client.get(f"/{lang}/certificate/"))
    needs = {"en": ["Read every page", "Pass the quiz (75%", "workshop graded at 75%"],
             "zh": ["读完课程单元的每一页", "通过测验（75%", "练习成绩达到 75%"]}[lang]
    for need in needs:
        assert need in page
    assert trainee_client.post(f"/{lang}/certificate/").status_code == 302
    assert certificate_rows(trainee_client.application) == []


def test_home_page_offers_the_certificate_once_earned(app, ids, trainee_client):
    assert "Get your certificate" not in text(trainee_client.get("/en/"))
    make_eligible(app, ids)
    assert "Get your certificate" in text(trainee_client.get("/en/"))


def test_workshop_below_the_certificate_mark_earns_nothing(app, ids, trainee_client):
    make_eligible(app, ids, workshop_share=0.5)
    assert "workshop graded at 75%" in text(trainee_client.get("/en/certificate/"))
    trainee_client.post("/en/certificate/")
    assert certificate_rows(app) == []


def test_cohort_without_a_certificate_mark_gives_none(app, ids, trainee_client):
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], certificate_mark=None)
    assert "does not give certificates" in text(trainee_client.get("/en/certificate/"))
    trainee_client.post("/en/certificate/")
    assert certificate_rows(app) == []


def test_certificate_id_is_unguessable_and_the_cohort_sets_the_expiry(app, ids, trainee_client):
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], certificate_months=24)
    certificate_id = get_certificate(trainee_client, show_org=True)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", certificate_id)  # 24 random bytes: 192 bits
    row = certificate_rows(app)[0]
    issued = date.fromisoformat(row["issued_on"])
    assert date.fromisoformat(row["expires_on"]).year == issued.year + 2
    # Getting it again gives the same certificate, not a second one.
    trainee_client.post("/en/certificate/")
    assert len(certificate_rows(app)) == 1


def _pdf_text_and_image(body: bytes):
    document = pdfium.PdfDocument(body)
    assert len(document) == 1
    page = document[0]
    extracted = page.get_textpage().get_text_range()
    image = page.render(scale=3).to_pil()
    document.close()
    return extracted, image


def test_pdf_in_both_languages_has_name_course_and_a_qr_of_the_verify_url(app, ids, trainee_client):
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], org_name="Acme Ltd", org_name_zh="艾克米公司")
    db = connect(app.config["DATABASE"])
    with db.conn:
        db["users"].update(ids["trainee"], {"name": "张伟 (Tom Zhang)"})
    db.close()
    certificate_id = get_certificate(trainee_client, show_org=True)
    response = trainee_client.get(f"/en/certificate/{certificate_id}/both.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    extracted, image = _pdf_text_and_image(response.data)
    # The Simplified Chinese face, embedded as a subset that maps back to Unicode.
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSerifCJKSC", response.data)
    assert b"/ToUnicode" in response.data
    for words in ("张伟 (Tom Zhang)", "Key Account Management", "大客户管理", "Certificate of Completion",
                  "结业证书", "Acme Ltd", "艾克米公司"):
        assert words in extracted
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [f"http://localhost/verify/{certificate_id}"]
    assert certificate_id in extracted  # the address is also printed for typing in


def test_pdf_in_chinese_only_speaks_chinese(app, ids, trainee_client):
    make_eligible(app, ids)
    certificate_id = get_certificate(trainee_client)
    extracted, image = _pdf_text_and_image(
        trainee_client.get(f"/en/certificate/{certificate_id}/zh.pdf").data)
    assert "大客户管理" in extracted and TRAINEE["name"] in extracted
    assert "Key Account Management" not in extracted
    assert zxingcpp.read_barcodes(image)[0].text.endswith(f"/verify/{certificate_id}")


def test_grade_is_printed_only_when_the_trainer_prints_grades(app, ids, trainee_client):
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], certificate_grade=1)
    certificate_id = get_certificate(trainee_client, show_grade=True)
    extracted, _image = _pdf_text_and_image(
        trainee_client.get(f"/en/certificate/{certificate_id}/en.pdf").data)
    assert "Workshop grade: 100%" in extracted
    assert "100%" in text(browser_client(app).get(f"/verify/{certificate_id}"))


def test_missing_font_gives_a_bilingual_message_not_a_500(app, ids, trainee_client, tmp_path):
    make_eligible(app, ids)
    certificate_id = get_certificate(trainee_client)
    app.config["CERTIFICATE_FONT"] = str(tmp_path / "NotoSerifCJK-Regular.ttc")
    response = trainee_client.get(f"/en/certificate/{certificate_id}/zh.pdf")
    assert response.status_code == 503
    page = text(response)
    assert "cannot be made at the moment" in page and "证书暂时无法生成" in page


@pytest.mark.parametrize("accept", ["en", "zh-CN"])
def test_verify_page_says_valid_in_both_languages_and_shows_only_what_was_chosen(
        app, ids, trainee_client, accept):
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], org_name="Acme Ltd", certificate_grade=1)
    certificate_id = get_certificate(trainee_client, show_org=False, show_grade=False)
    anonymous = app.test_client()
    response = anonymous.get(f"/verify/{certificate_id}", headers={"Accept-Language": accept})
    assert response.status_code == 200
    page = text(response)
    assert "Valid" in page and "有效" in page
    assert TRAINEE["name"] in page and "Key Account Management" in page and "大客户管理" in page
    assert "Acme Ltd" not in page and "100%" not in page and TRAINEE["email"] not in page
    assert "no-store" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")
    # Each language's words stand as plain text: no tags or language markers among them.
    assert not re.search(r"&lt;|\{mlang|\{/?lang|\[(en|zh)\]", response.get_data(as_text=True))


def test_verify_page_shows_the_organisation_when_the_trainee_agreed(app, ids, trainee_client):
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], org_name="Acme Ltd", org_name_zh="艾克米公司")
    certificate_id = get_certificate(trainee_client, show_org=True)
    page = text(app.test_client().get(f"/verify/{certificate_id}"))
    assert "Acme Ltd" in page and "艾克米公司" in page


def test_revoked_certificate_reads_revoked_in_both_languages(app, ids, trainee_client):
    make_eligible(app, ids)
    certificate_id = get_certificate(trainee_client)
    trainer = as_person(app, TRAINER)
    url = f"/en/certificate/revoke/{ids['cohort']}/{ids['trainee']}/{certificate_id}"
    assert trainer.post(url, data={"reason": ""}).status_code == 302  # a reason is needed
    assert "Valid" in text(app.test_client().get(f"/verify/{certificate_id}"))
    assert "Revoke the certificate" in text(
        trainer.get(f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/"))
    assert trainer.post(url, data={"reason": "Workshop was not their own work"}).status_code == 302
    again = trainer.post(url, data={"reason": "twice"}, follow_redirects=True)
    assert "revoked already" in text(again)
    page = text(app.test_client().get(f"/verify/{certificate_id}"))
    assert "Revoked" in page and "已撤销" in page and "Valid ·" not in page
    assert "not their own work" not in page  # the reason stays on the trainer's record
    record = text(trainer.get(f"/en/trainer/cohorts/{ids['cohort']}/trainees/{ids['trainee']}/"))
    assert "not their own work" in record
    # The results that earned the revoked one do not earn another.
    needs = text(trainee_client.get("/en/certificate/"))
    assert "Get my certificate" not in needs and "Pass the quiz" in needs


def test_expired_certificate_reads_expired(app, ids, trainee_client):
    make_eligible(app, ids)
    certificate_id = get_certificate(trainee_client)
    db = connect(app.config["DATABASE"])
    with db.conn:
        yesterday = (date.today() - timedelta(days=1)).isoformat()
        db.execute("UPDATE certificates SET issued_on = '2020-01-01', expires_on = ?", [yesterday])
    db.close()
    page = text(app.test_client().get(f"/verify/{certificate_id}"))
    assert "Expired" in page and "已过期" in page
    # Recertification: the old results do not count; a quiz and a grade since the expiry do.
    page = text(trainee_client.get("/en/certificate/"))
    assert "Pass the quiz" in page and "workshop graded" in page and "Read every page" not in page
    db = connect(app.config["DATABASE"])
    with db.conn:
        now = utc_now()
        db["quiz_attempts"].insert({"user_id": ids["trainee"], "token": "t-again", "submitted_at": now,
                                    "lang": "en", "earned": 80, "possible": 100, "percent": 80})
    db.close()
    page = text(trainee_client.get("/en/certificate/"))
    assert "Pass the quiz" not in page and "workshop graded" in page
    db = connect(app.config["DATABASE"])
    with db.conn:  # the trainer grades the workshop again
        db.execute("UPDATE grades SET decided_at = ?", [now])
    db.close()
    get_certificate(trainee_client)
    assert len(certificate_rows(app)) == 2


def test_tampered_or_unknown_id_finds_the_same_not_found_page(app, ids, trainee_client):
    make_eligible(app, ids)
    certificate_id = get_certificate(trainee_client)
    anonymous = app.test_client()
    flipped = certificate_id[:-1] + ("A" if certificate_id[-1] != "A" else "B")
    pages = [anonymous.get(f"/verify/{wrong}", headers={"Accept-Language": "en"})
             for wrong in (flipped, certificate_id[:-1], certificate_id + "x", "1", "x" * 32)]
    assert {page.status_code for page in pages} == {404}
    assert len({page.get_data() for page in pages}) == 1
    assert TRAINEE["name"] not in pages[0].get_data(as_text=True)


def test_guessing_ids_is_throttled_per_address(app, ids):
    app.config["ADDRESS_CERTIFICATE_MISS_LIMIT"] = 3
    guesser = app.test_client()
    codes = [guesser.get(f"/verify/{'g' * 31}{n}").status_code for n in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_only_the_trainee_gets_their_pdf(app, ids, trainee_client):
    make_eligible(app, ids)
    certificate_id = get_certificate(trainee_client)
    url = f"/en/certificate/{certificate_id}/en.pdf"
    assert app.test_client().get(url).status_code == 302  # anonymous: asked to sign in
    assert as_person(app, OTHER_TRAINEE).get(url).status_code == 404
    assert as_person(app, TRAINER).get(url).status_code == 403
    assert as_person(app, OTHER_TRAINER).get(url).status_code == 403


def test_certificate_page_is_for_trainees_only(app, ids):
    assert app.test_client().get("/en/certificate/").status_code == 302
    assert as_person(app, TRAINER).get("/en/certificate/").status_code == 403
    assert as_person(app, OTHER_TRAINEE).get("/en/certificate/").status_code == 200


def test_only_the_cohorts_trainers_revoke(app, ids, trainee_client):
    make_eligible(app, ids)
    certificate_id = get_certificate(trainee_client)
    url = f"/en/certificate/revoke/{ids['cohort']}/{ids['trainee']}/{certificate_id}"
    data = {"reason": "test"}
    assert app.test_client().post(url, data=data).status_code == 302  # anonymous: sign in
    assert as_person(app, OTHER_TRAINEE).post(url, data=data).status_code == 403
    assert trainee_client.post(url, data=data).status_code == 403
    assert as_person(app, OTHER_TRAINER).post(url, data=data).status_code == 404
    other_cohort_url = f"/en/certificate/revoke/{ids['other_cohort']}/{ids['trainee']}/{certificate_id}"
    assert as_person(app, OTHER_TRAINER).post(other_cohort_url, data=data).status_code == 404
    assert certificate_rows(app)[0]["revoked_at"] is None


def test_revoking_from_another_site_is_refused(app, ids, trainee_client):
    make_eligible(app, ids)
    certificate_id = get_certificate(trainee_client)
    trainer = as_person(app, TRAINER)
    trainer.environ_base["HTTP_SEC_FETCH_SITE"] = "cross-site"
    response = trainer.post(f"/en/certificate/revoke/{ids['cohort']}/{ids['trainee']}/{certificate_id}",
                            data={"reason": "x"})
    assert response.status_code == 403
    assert certificate_rows(app)[0]["revoked_at"] is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trainer_sets_the_certificate_mark_expiry_and_grade(app, ids, trainer_client, lang):
    url = f"/{lang}/trainer/cohorts/{ids['cohort']}/settings"
    form = {"name": "Spring cohort", "pass_mark": "75", "max_key_accounts": "5",
            "certificate_mark": "", "certificate_months": "36", "certificate_grade": "y"}
    assert trainer_client.post(url, data=form).status_code == 302
    db = connect(app.config["DATABASE"])
    cohort = db["cohorts"].get(ids["cohort"])
    db.close()
    settings = (cohort["certificate_mark"], cohort["certificate_months"], cohort["certificate_grade"])
    assert settings == (None, 36, 1)
    bad = trainer_client.post(url, data={**form, "certificate_months": "0"})
    assert bad.status_code == 422
    assert ("1 to 120" if lang == "en" else "120") in text(bad)


def test_trainee_changes_what_the_verify_page_shows_and_nobody_else_can(app, ids, trainee_client):
    make_eligible(app, ids)
    set_cohort(app, ids["cohort"], org_name="Acme Ltd", certificate_grade=1)
    certificate_id = get_certificate(trainee_client, show_org=True, show_grade=False)
    verify = f"/verify/{certificate_id}"
    assert "Acme Ltd" in text(app.test_client().get(verify))
    url = f"/en/certificate/{certificate_id}/choices"
    assert as_person(app, OTHER_TRAINEE).post(url, data={}).status_code == 404
    assert as_person(app, TRAINER).post(url, data={}).status_code == 403
    assert "Acme Ltd" in text(app.test_client().get(verify))
    assert trainee_client.post(url, data={"show_grade": "on"}).status_code == 302
    page = text(app.test_client().get(verify))
    assert "Acme Ltd" not in page and "100%" in page


def test_a_long_name_with_letters_beyond_the_cjk_font_stays_on_the_one_page():
    face = certificate_pdf.Face("en", "Certificate of Completion", "This certifies that", "has completed",
                                "Key Account Management", "", "Issued on 7 December 2026", "", "",
                                "Check this certificate at")
    name = "Maximiliana Łucja Konstantinopoulou-Vanderbilt-Hohenzollern von und zu Liechtenstein"
    body = certificate_pdf.certificate_pdf(certificate_pdf.Certificate(name, (face,), "https://x.example/v/1"))
    document = pdfium.PdfDocument(body)
    page = document[0]
    textpage = page.get_textpage()
    assert name in textpage.get_text_range()
    # Every character inside the page's inner frame (12 mm in from each side).
    frame = 12 / 25.4 * 72
    boxes = [textpage.get_charbox(index) for index in range(textpage.count_chars())]
    assert min(box[0] for box in boxes) > frame
    assert max(box[2] for box in boxes) < page.get_width() - frame
    document.close()
