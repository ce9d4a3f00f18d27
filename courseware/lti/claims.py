"""What a validated launch says, as plain data: who, which course, which role, language, target."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
# Context (membership) roles that teach; institution roles say nothing about this course.
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
TEACHING_ROLES = ("Instructor", "Administrator", "ContentDeveloper")

# What a resource link may open: (kind, argument). The live session is another area's route:
# a link to it opens it when that area is installed and the module until then.
TARGET_KINDS = ("module", "page", "quiz", "workshop", "live")


class MissingClaim(ValueError):
    """The launch lacks a claim the tool needs; `claim` names it."""

    def __init__(self, claim: str) -> None:
        super().__init__(claim)
        self.claim = claim


@dataclass(frozen=True)
class Target:
    """Where a launch lands: the module, one of its pages, the quiz, the workshop or the live session."""

    kind: str = "module"
    page_id: str = ""

    def as_custom(self) -> dict[str, str]:
        """The custom parameters a deep link stores in the platform for this target."""
        return {"target": self.kind, **({"page": self.page_id} if self.page_id else {})}


@dataclass(frozen=True)
class LaunchClaims:
    issuer: str
    client_id: str
    deployment_id: str
    sub: str
    name: str
    email: str
    role: str
    lang: str
    context_id: str
    context_title: str
    message_type: str
    target: Target
    resource_link_id: str = ""
    lineitems_url: str | None = None
    lineitem_url: str | None = None
    ags_scopes: tuple[str, ...] = ()
    memberships_url: str | None = None
    deep_link_return_url: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_deep_link(self) -> bool:
        return self.message_type == "LtiDeepLinkingRequest"


def role_of(roles: list[str]) -> str:
    """A teaching role in the platform's course makes a trainer; every other role a trainee."""
    for role in map(str, roles):
        # "Instructor" alone is the short form LTI 1.3 allows for the context role; a sub-role
        # such as membership/Instructor#TeachingAssistant teaches too.
        if role in TEACHING_ROLES or any(
                role == f"{MEMBERSHIP}#{name}" or role.startswith(f"{MEMBERSHIP}/{name}#")
                for name in TEACHING_ROLES):
            return "trainer"
    return "trainee"


def language_of(locale: str | None) -> str:
    """zh, zh-CN, zh-Hans-CN, zh_TW … open in Chinese; everything else in English."""
    primary = (locale or "").replace("_", "-").split("-")[0].lower()
    return "zh" if primary == "zh" else "en"


def target_of(custom: Mapping[str, Any], page_ids: tuple[str, ...]) -> Target:
    """The target the link's custom parameters name; the module for anything unknown."""
    kind = str(custom.get("target", "module"))
    if kind not in TARGET_KINDS:
        return Target()
    if kind == "page":
        page = str(custom.get("page", ""))
        return Target("page", page) if page in page_ids else Target()
    return Target(kind)


def claims_from(body: Mapping[str, Any], page_ids: tuple[str, ...]) -> LaunchClaims:
    """Read a validated id token's body; raise MissingClaim for what the tool cannot do without."""
    sub = str(body.get("sub") or "")
    if not sub:
        raise MissingClaim("sub")
    context = body.get(LTI + "context") or {}
    if not isinstance(context, Mapping) or not context.get("id"):
        raise MissingClaim("context")
    aud = body.get("aud")
    client_id = str(aud[0] if isinstance(aud, list) and aud else aud or "")
    message_type = str(body.get(LTI + "message_type") or "")
    name = str(body.get("name") or " ".join(
        str(body.get(part) or "") for part in ("given_name", "family_name")).strip())
    ags, nrps, deep = _mapping(body, AGS), _mapping(body, NRPS), _mapping(body, DEEP_LINKING)
    link, custom = _mapping(body, LTI + "resource_link"), _mapping(body, LTI + "custom")
    launch_presentation = _mapping(body, LTI + "launch_presentation")
    roles = body.get(LTI + "roles")
    locale = launch_presentation.get("locale") or body.get("locale")
    return LaunchClaims(
        issuer=str(body.get("iss") or ""),
        client_id=client_id,
        deployment_id=str(body.get(LTI + "deployment_id") or ""),
        sub=sub,
        name=name[:100],
        email=str(body.get("email") or "").strip()[:254],
        role=role_of(list(roles) if isinstance(roles, list) else []),
        lang=language_of(locale if isinstance(locale, str) else None),
        context_id=str(context["id"]),
        context_title=str(context.get("title") or context.get("label") or "")[:100],
        message_type=message_type,
        target=target_of(custom, page_ids),
        resource_link_id=str(link.get("id") or ""),
        lineitems_url=_text_or_none(ags.get("lineitems")),
        lineitem_url=_text_or_none(ags.get("lineitem")),
        ags_scopes=tuple(str(scope) for scope in ags.get("scope") or () if isinstance(scope, str)),
        memberships_url=_text_or_none(nrps.get("context_memberships_url")),
        deep_link_return_url=_text_or_none(deep.get("deep_link_return_url")),
        raw=body,
    )


def _mapping(body: Mapping[str, Any], claim: str) -> Mapping[str, Any]:
    value = body.get(claim)
    return value if isinstance(value, Mapping) else {}


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def placeholder_email(issuer: str, sub: str) -> str:
    """An address no one receives mail at, for a platform account that shares no email."""
    digest = hashlib.sha256(json.dumps([issuer, sub]).encode()).hexdigest()[:24]
    return f"lti-{digest}@lti.invalid"
