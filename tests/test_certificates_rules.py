"""The certificate rules: who has earned one, and when one expires."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courseware.certificates.eligibility import Missing, Standing, is_eligible, missing_requirements
from courseware.certificates.validity import Status, expiry_date, status_on

EARNED = Standing(pages_read=15, pages_total=15, best_quiz_percent=80.0, quiz_pass_mark=75,
                  best_workshop_percent=75, certificate_mark=75)


@pytest.mark.parametrize(("change", "missing"), [
    ({}, ()),
    ({"pages_read": 14}, (Missing.PAGES,)),
    ({"best_quiz_percent": 74.9}, (Missing.QUIZ,)),
    ({"best_quiz_percent": None}, (Missing.QUIZ,)),
    ({"best_workshop_percent": 74}, (Missing.WORKSHOP,)),
    ({"best_workshop_percent": None}, (Missing.WORKSHOP,)),
    ({"certificate_mark": None}, (Missing.NO_CERTIFICATES,)),
    ({"pages_read": 0, "best_quiz_percent": None, "best_workshop_percent": None},
     (Missing.PAGES, Missing.QUIZ, Missing.WORKSHOP)),
    ({"certificate_mark": 0, "best_workshop_percent": 0}, ()),
])
def test_a_certificate_needs_every_page_the_quiz_and_the_workshop_mark(change, missing):
    standing = Standing(**{**EARNED.__dict__, **change})
    assert missing_requirements(standing) == missing
    assert is_eligible(standing) == (missing == ())


def test_a_course_without_pages_earns_nothing():
    assert Missing.PAGES in missing_requirements(Standing(**{**EARNED.__dict__, "pages_read": 0,
                                                            "pages_total": 0}))


@given(quiz=st.floats(0, 100), pass_mark=st.integers(0, 100), workshop=st.integers(0, 100),
       mark=st.integers(0, 100))
def test_eligible_exactly_when_both_marks_are_reached(quiz, pass_mark, workshop, mark):
    standing = Standing(15, 15, quiz, pass_mark, workshop, mark)
    assert is_eligible(standing) == (quiz >= pass_mark and workshop >= mark)


@pytest.mark.parametrize(("issued", "months", "expires"), [
    (date(2026, 12, 7), None, None),
    (date(2026, 12, 7), 24, date(2028, 12, 7)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2027, 1, 31), 13, date(2028, 2, 29)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
])
def test_expiry_is_months_after_issue(issued, months, expires):
    assert expiry_date(issued, months) == expires


def test_revoked_outranks_expired_and_expiry_starts_on_its_day():
    expires = date(2028, 12, 7)
    assert status_on(date(2028, 12, 6), expires, revoked=False) is Status.VALID
    assert status_on(expires, expires, revoked=False) is Status.EXPIRED
    assert status_on(expires, expires, revoked=True) is Status.REVOKED
    assert status_on(date(2099, 1, 1), None, revoked=False) is Status.VALID
