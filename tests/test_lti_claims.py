"""Reading a validated launch: roles, language, target, and claims of the wrong shape."""

from __future__ import annotations

import pytest

from courseware.lti.claims import (
    LTI,
    MissingClaim,
    Target,
    claims_from,
    language_of,
    placeholder_email,
    role_of,
    target_of,
)

PAGES = ("01-intro", "02-description")
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"


@pytest.mark.parametrize(("roles", "role"), [
    ([f"{MEMBERSHIP}#Instructor"], "trainer"), (["Instructor"], "trainer"),
    ([f"{MEMBERSHIP}/Instructor#TeachingAssistant"], "trainer"),
    ([f"{MEMBERSHIP}#ContentDeveloper"], "trainer"),
    ([f"{MEMBERSHIP}#Learner"], "trainee"), (["Learner"], "trainee"), ([], "trainee"),
    # An instructor of the institution who takes this course as a learner is a trainee here.
    (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor",
      f"{MEMBERSHIP}#Learner"], "trainee"),
])
def test_teaching_roles_of_the_course_make_a_trainer(roles, role):
    assert role_of(roles) == role


@pytest.mark.parametrize(("locale", "lang"), [
    ("zh", "zh"), ("zh-CN", "zh"), ("zh-Hans-CN", "zh"), ("ZH_tw", "zh"), ("en-US", "en"),
    ("de", "en"), ("", "en"), (None, "en")])
def test_any_chinese_locale_opens_in_chinese(locale, lang):
    assert language_of(locale) == lang


@pytest.mark.parametrize(("custom", "target"), [
    ({}, Target()), ({"target": "quiz"}, Target("quiz")), ({"target": "workshop"}, Target("workshop")),
    ({"target": "live"}, Target("live")), ({"target": "page", "page": "02-description"},
                                           Target("page", "02-description")),
    ({"target": "page", "page": "99-nowhere"}, Target()), ({"target": "admin"}, Target())])
def test_a_link_opens_only_a_part_the_course_has(custom, target):
    assert target_of(custom, PAGES) == target


def body(**extra):
    return {"iss": "https://lms.example", "aud": ["client"], "sub": "u1",
            LTI + "context": {"id": "c1", "title": "KAM"}, LTI + "deployment_id": "d1",
            LTI + "message_type": "LtiResourceLinkRequest", **extra}


def test_a_launch_without_sub_or_context_names_the_missing_claim():
    with pytest.raises(MissingClaim) as missing:
        claims_from(body(sub=""), PAGES)
    assert missing.value.claim == "sub"
    with pytest.raises(MissingClaim) as missing:
        claims_from(body(**{LTI + "context": "c1"}), PAGES)
    assert missing.value.claim == "context"


def test_claims_of_the_wrong_shape_are_ignored_not_fatal():
    claims = claims_from(body(**{
        LTI + "roles": "Instructor", LTI + "custom": ["quiz"], LTI + "launch_presentation": 7,
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {"scope": "x", "lineitems": 3}}),
        PAGES)
    assert (claims.role, claims.lang, claims.target, claims.lineitems_url) == \
        ("trainee", "en", Target(), None)
    assert claims.client_id == "client"


def test_the_name_falls_back_to_given_and_family_names():
    assert claims_from(body(given_name="Wei", family_name="Zhang"), PAGES).name == "Wei Zhang"


def test_a_placeholder_email_is_stable_and_unroutable():
    assert placeholder_email("i", "s") == placeholder_email("i", "s")
    assert placeholder_email("i", "s") != placeholder_email("i", "t")
    assert placeholder_email("i", "s").endswith("@lti.invalid")
