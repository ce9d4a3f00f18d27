"""The one module that speaks pylti1p3: OIDC login, launch validation, deep links, AGS, NRPS.

The rest of the tool passes plain data in and gets plain data (or `LtiError`) back, so the
library can be swapped by rewriting this file. Every HTTP call it makes has a timeout.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException, LtiServiceException, OIDCException
from pylti1p3.grade import Grade
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.tool_config import ToolConfAbstract
from sqlite_utils import Database

from courseware.lti.keys import ToolKey

HTTP_TIMEOUT_SECONDS = 10
LAUNCH_DATA_SECONDS = 2 * 3600
NONCE_KEY_PART = "-nonce-"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


class LtiError(Exception):
    """A login or launch the tool refuses; `kind` says why in a word the error page explains.

    Kinds: expired, unknown_platform, wrong_audience, unknown_deployment, replayed, state,
    signature, unreachable, missing_claims, invalid.
    """

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class TimeoutSession(requests.Session):
    """A requests session whose every call gives up after HTTP_TIMEOUT_SECONDS."""

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", HTTP_TIMEOUT_SECONDS)
        return super().request(method, url, *args, **kwargs)


@dataclass(frozen=True)
class PlatformRecord:
    """A registered platform as the adapter needs it."""

    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    deployment_ids: tuple[str, ...]


class SQLiteLaunchStorage(LaunchDataStorage[Any]):
    """pylti1p3's state and launch data in the database, so every worker sees them.

    No cookie names the entries: their keys are the random state, nonce and launch ids, so
    a launch works where the browser keeps no cookie for the tool. A nonce can be checked
    once: a replayed id token finds it gone.
    """

    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        super().__init__()
        self._db = db
        self._clock = clock

    def get_session_cookie_name(self) -> str | None:
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM lti_launch_data WHERE key = ? AND expires_at > ?",
                               [self._prepare_key(key), self._clock()]).fetchone()
        return json.loads(row[0]) if row else None

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        now = self._clock()
        with self._db.conn:
            self._db.execute("DELETE FROM lti_launch_data WHERE expires_at <= ?", [now])
            self._db.execute("INSERT OR REPLACE INTO lti_launch_data VALUES (?, ?, ?)",
                             [self._prepare_key(key), json.dumps(value),
                              now + (exp or LAUNCH_DATA_SECONDS)])

    def check_value(self, key: str) -> bool:
        key = self._prepare_key(key)
        if NONCE_KEY_PART in key:
            with self._db.conn:
                return self._db.execute(
                    "DELETE FROM lti_launch_data WHERE key = ? AND expires_at > ?",
                    [key, self._clock()]).rowcount == 1
        return self.get_value(key) is not None


# Platforms' public key sets by URL: public keys, the same for every user, so one per process.
_key_sets: dict[str, dict[str, Any]] = {}
_key_sets_lock = threading.Lock()


def _kids(key_set: Mapping[str, Any] | None) -> set[str]:
    return {str(key.get("kid")) for key in (key_set or {}).get("keys", []) if isinstance(key, dict)}


class ToolConf(ToolConfAbstract[FlaskRequest]):
    """The registrations pylti1p3 looks up, from the database's platforms and the tool's key."""

    def __init__(self, platforms: Sequence[PlatformRecord], key: ToolKey, kid: str | None = None) -> None:
        super().__init__()
        self._platforms = platforms
        self._key = key
        self._kid = kid  # the kid the id token being checked names, if any
        self.miss = "unknown_platform"
        self.registrations: list[Registration] = []

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _platform(self, iss: str, client_id: str | None) -> PlatformRecord | None:
        of_issuer = [platform for platform in self._platforms if platform.issuer == iss]
        if not of_issuer:
            self.miss = "unknown_platform"
            return None
        if client_id is None and len(of_issuer) == 1:
            return of_issuer[0]
        for platform in of_issuer:
            if platform.client_id == client_id:
                return platform
        self.miss = "wrong_audience"
        return None

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration | None:
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss: str, client_id: str | None, *args: Any,
                                    **kwargs: Any) -> Registration | None:
        platform = self._platform(iss, client_id)
        if platform is None:
            return None
        registration = (
            Registration().set_issuer(platform.issuer).set_client_id(platform.client_id)
            .set_auth_login_url(platform.auth_login_url).set_auth_token_url(platform.auth_token_url)
            .set_key_set_url(platform.key_set_url).set_tool_private_key(self._key.private_pem)
            .set_tool_public_key(self._key.public_pem)
        )
        cached = _key_sets.get(platform.key_set_url)
        # A kid the cached set lacks means the platform rotated its key: fetch the set again.
        if cached is not None and (self._kid is None or self._kid in _kids(cached)):
            registration.set_key_set(cached)
        self.registrations.append(registration)
        return registration

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str | None,
                                  *args: Any, **kwargs: Any) -> Deployment | None:
        platform = self._platform(iss, client_id)
        if platform is None or deployment_id not in platform.deployment_ids:
            return None
        return Deployment().set_deployment_id(deployment_id)

    def remember_key_sets(self) -> None:
        for registration in self.registrations:
            key_set, url = registration.get_key_set(), registration.get_key_set_url()
            if key_set and url:
                with _key_sets_lock:
                    _key_sets[url] = key_set


def forget_key_sets() -> None:
    """Drop the cached platform key sets (tests start each platform afresh)."""
    with _key_sets_lock:
        _key_sets.clear()


def start_login(platforms: Sequence[PlatformRecord], key: ToolKey, storage: SQLiteLaunchStorage,
                launch_url: str, carried: Mapping[str, str]) -> Any:
    """Answer the platform's login initiation: the redirect to its OIDC authorisation URL.

    `carried` (the login parameters) is kept under the state, so that a launch whose frame
    loses the state cookie can be started again in a new window.
    """
    request = FlaskRequest()
    try:
        login = FlaskOIDCLogin(request, ToolConf(platforms, key), launch_data_storage=storage)
        return login.pass_params_to_launch(dict(carried)).redirect(launch_url)
    except OIDCException as error:
        kind = "unknown_platform" if "registration" in str(error) else "missing_claims"
        raise LtiError(kind, str(error)) from error


@dataclass(frozen=True)
class ValidatedLaunch:
    body: Mapping[str, Any]
    launch_id: str


def validate_launch(platforms: Sequence[PlatformRecord], key: ToolKey,
                    storage: SQLiteLaunchStorage) -> ValidatedLaunch:
    """Check the launch: state, signature (the platform's JWKS), issuer, audience, deployment,
    nonce (once), expiry and the message's own claims."""
    request = FlaskRequest()
    token = request.get_param("id_token") or ""
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError:
        kid = None
    conf = ToolConf(platforms, key, kid)
    launch = FlaskMessageLaunch(request, conf, launch_data_storage=storage,
                                requests_session=TimeoutSession())
    launch.set_launch_data_lifetime(LAUNCH_DATA_SECONDS)
    try:
        body = launch.get_launch_data()
    except LtiException as error:
        raise LtiError(_kind_of(error, conf), str(error)) from error
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        # A token or a key set of the wrong shape (a JWKS without "keys", a claim of the
        # wrong type): refused as invalid, never a 500.
        raise LtiError("invalid", repr(error)) from error
    conf.remember_key_sets()
    return ValidatedLaunch(body, launch.get_launch_id())


def _kind_of(error: LtiException, conf: ToolConf) -> str:
    message, cause = str(error), error.__cause__
    if isinstance(cause, jwt.ExpiredSignatureError):
        return "expired"
    if isinstance(cause, jwt.InvalidTokenError) or "public key" in message or "KID" in message:
        return "signature"
    if "Registration not found" in message or "Client id not registered" in message:
        return conf.miss
    if "deployment" in message:
        return "unknown_deployment"
    if "Nonce" in message or '"nonce"' in message:
        return "replayed"
    if "state" in message.lower():
        return "state"
    if "Error during fetch" in message or "Invalid response" in message:
        return "unreachable"
    if "empty" in message or "not set" in message or "Missing" in message:
        return "missing_claims"
    return "invalid"


def unverified_locale() -> str | None:
    """The locale a refused launch's token names: read only to pick the error page's language."""
    try:
        body = jwt.decode(FlaskRequest().get_param("id_token") or "", options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return None
    presentation = body.get("https://purl.imsglobal.org/spec/lti/claim/launch_presentation")
    locale = presentation.get("locale") if isinstance(presentation, dict) else None
    return locale if isinstance(locale, str) else None


def login_params_of_state(storage: SQLiteLaunchStorage, state: str) -> Mapping[str, str] | None:
    """The login parameters kept under a state at login initiation, or None."""
    value = storage.get_value(f"lti1p3-{state}")
    return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class LinkChoice:
    title: str
    url: str
    custom: Mapping[str, str]
    score_maximum: float | None = None
    tag: str = ""


def deep_link_response(platform: PlatformRecord, key: ToolKey, deployment_id: str,
                       settings: Mapping[str, Any], choices: Sequence[LinkChoice]) -> str:
    """The signed LtiDeepLinkingResponse for the chosen links (a JWT to post to the platform)."""
    registration = _registration(platform, key)
    resources = []
    for choice in choices:
        resource = (DeepLinkResource().set_title(choice.title).set_url(choice.url)
                    .set_custom_params(dict(choice.custom)))
        if choice.score_maximum is not None:
            resource.set_lineitem(LineItem().set_score_maximum(choice.score_maximum)
                                  .set_label(choice.title).set_tag(choice.tag))
        resources.append(resource)
    return DeepLink(registration, deployment_id, dict(settings)).get_response_jwt(resources)


def _registration(platform: PlatformRecord, key: ToolKey) -> Registration:
    registration = ToolConf([platform], key).find_registration_by_params(platform.issuer,
                                                                          platform.client_id)
    if registration is None:  # the record passed in is the one looked up: cannot happen
        raise LtiError("unknown_platform", platform.issuer)
    return registration


def _connector(platform: PlatformRecord, key: ToolKey) -> ServiceConnector:
    registration = _registration(platform, key)
    return ServiceConnector(registration, requests_session=TimeoutSession())


@dataclass(frozen=True)
class Score:
    user_sub: str
    score_given: float
    score_maximum: float
    activity_progress: str
    grading_progress: str
    timestamp: str


def find_or_create_line_item(platform: PlatformRecord, key: ToolKey, *, lineitems_url: str,
                             scopes: Sequence[str], tag: str, label: str, score_maximum: float,
                             resource_link_id: str = "") -> str:
    """The URL of the context's line item with this tag, created when the platform has none."""
    service = AssignmentsGradesService(_connector(platform, key),
                                       {"scope": list(scopes), "lineitems": lineitems_url})
    item = LineItem().set_tag(tag).set_label(label).set_score_maximum(score_maximum)
    if resource_link_id:
        item.set_resource_link_id(resource_link_id)
    try:
        found = service.find_or_create_lineitem(item, find_by="tag")
    except (LtiException, LtiServiceException, requests.RequestException, ValueError) as error:
        raise LtiError("unreachable", str(error)) from error
    url = found.get_id()
    if not url:
        raise LtiError("invalid", "the platform's line item has no id")
    return url


def send_score(platform: PlatformRecord, key: ToolKey, *, lineitem_url: str,
               scopes: Sequence[str], score: Score) -> None:
    """Post one score to the line item; LtiError when the platform did not take it."""
    service = AssignmentsGradesService(_connector(platform, key),
                                       {"scope": list(scopes), "lineitem": lineitem_url})
    grade = (Grade().set_user_id(score.user_sub).set_score_given(score.score_given)
             .set_score_maximum(score.score_maximum).set_activity_progress(score.activity_progress)
             .set_grading_progress(score.grading_progress).set_timestamp(score.timestamp))
    try:
        service.put_grade(grade, LineItem({"id": lineitem_url}))
    except LtiServiceException as error:
        raise LtiError("refused", str(error)) from error
    except (LtiException, requests.RequestException, ValueError) as error:
        raise LtiError("unreachable", str(error)) from error


def course_members(platform: PlatformRecord, key: ToolKey, memberships_url: str) -> list[dict[str, Any]]:
    """The platform course's members (NRPS), every page of them."""
    service = NamesRolesProvisioningService(_connector(platform, key),
                                            {"context_memberships_url": memberships_url})
    try:
        return list(service.get_members())
    except (LtiException, LtiServiceException, requests.RequestException, ValueError) as error:
        raise LtiError("unreachable", str(error)) from error


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
