"""A learning platform on loopback for the LTI tests: real RSA keys, a served JWKS, an OAuth2
token endpoint that checks the tool's signed client assertion, AGS and NRPS endpoints that
check content types and bearer tokens."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.support.servers import QUICK_SHUTDOWN

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/score",
          "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"]
CLIENT_ID = "kam-tool-client"
DEPLOYMENT_ID = "deployment-1"


def new_key() -> tuple[Any, str]:
    """A key pair and its id, published nowhere."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private, uuid.uuid4().hex


@cache
def _key(generation: int) -> tuple[Any, str]:
    """The platform's key after `generation` rotations: the same in every test, as making an
    RSA key costs more than most LTI tests."""
    return new_key()


class Platform:
    """A platform that signs launches and serves its JWKS, token, AGS and NRPS endpoints."""

    def __init__(self, tool_jwks: Callable[[], dict[str, Any]]) -> None:
        self.tool_jwks = tool_jwks
        self.keys = [_key(0)]
        self.jwks_fetches = 0
        self.tokens: dict[str, list[str]] = {}
        self.line_items: list[dict[str, Any]] = []
        self.scores: list[dict[str, Any]] = []
        self.failures = 0  # the next N score posts answer 503
        self.members: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.deep_link_responses: list[str] = []
        self.jwks_body: str | None = None  # serve this instead of the key set, when set
        self.launch_as: dict[str, Any] = {}  # the id token's claims for the browser's launches
        self.tool_url = ""
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self.issuer = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs=QUICK_SHUTDOWN, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    # -- what the tool is registered with --
    def registration(self) -> dict[str, str]:
        return {"issuer": self.issuer, "client_id": CLIENT_ID, "deployment_ids": DEPLOYMENT_ID,
                "auth_login_url": f"{self.url}/auth", "auth_token_url": f"{self.url}/token",
                "key_set_url": f"{self.url}/jwks"}

    def rotate(self) -> None:
        """Sign with a new key from now on (published beside the old one)."""
        self.keys.insert(0, _key(len(self.keys)))

    @property
    def context_memberships_url(self) -> str:
        return f"{self.url}/memberships"

    # -- launches --
    def id_token(self, *, nonce: str, sub: str = "learner-1", roles: list[str] | None = None,
                 locale: str = "en-US", aud: str = CLIENT_ID, deployment_id: str = DEPLOYMENT_ID,
                 exp_in: int = 300, kid: str | None = None, context_id: str = "course-101",
                 message_type: str = "LtiResourceLinkRequest", custom: dict[str, str] | None = None,
                 name: str = "Li Lei", email: str = "li.lei@platform.example",
                 key: Any = None, **extra: Any) -> str:
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.issuer, "aud": aud, "sub": sub, "iat": now - 5, "exp": now + exp_in,
            "nonce": nonce, "name": name, "email": email,
            LTI + "message_type": message_type, LTI + "version": "1.3.0",
            LTI + "deployment_id": deployment_id,
            LTI + "roles": roles if roles is not None else [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            LTI + "context": {"id": context_id, "title": "Key accounts 101"},
            LTI + "launch_presentation": {"locale": locale},
            LTI + "custom": custom or {},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": SCOPES, "lineitems": f"{self.url}/lineitems"},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": self.context_memberships_url, "service_versions": ["2.0"]},
        }
        if message_type == "LtiResourceLinkRequest":
            body[LTI + "resource_link"] = {"id": "link-1"}
            body[LTI + "target_link_uri"] = "http://localhost/lti/launch"
        else:
            body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.url}/deep-link-return",
                "accept_types": ["ltiResourceLink"], "accept_presentation_document_targets": ["window"],
                "data": "platform-data"}
        body.update(extra)
        private, key_id = self.keys[0]
        if key is not None:
            private, key_id = key
        return jwt.encode(body, private, algorithm="RS256", headers={"kid": kid or key_id})

    # -- the HTTP side --
    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            response = self._route(request)
        except Exception as error:  # a bug here must show in the test, not hang it
            response = Response(f"platform error: {error!r}", status=500)
        return response(environ, start_response)

    def _refuse(self, why: str, status: int = 400) -> Response:
        self.refused.append(why)
        return Response(why, status=status)

    def _bearer(self, request: Request, scope: str) -> bool:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        return header.startswith("Bearer ") and scope in self.tokens.get(token, [])

    def _route(self, request: Request) -> Response:
        path = request.path
        if path == "/jwks":
            self.jwks_fetches += 1
            if self.jwks_body is not None:
                return Response(self.jwks_body, content_type="application/json")
            keys = []
            for private, kid in self.keys:
                pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo)
                jwk = json.loads(JWK.from_pem(pem).export_public())
                keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
            return Response(json.dumps({"keys": keys}), content_type="application/json")
        if path == "/auth":
            return self._authorise(request)
        if path == "/course":
            return self._course_page(request)
        if path == "/deep-link-return" and request.method == "POST":
            self.deep_link_responses.append(request.form.get("JWT", ""))
            return Response("<!doctype html><title>Platform</title><h1>Link added</h1>",
                            content_type="text/html")
        if path == "/token" and request.method == "POST":
            return self._token(request)
        if path == "/lineitems":
            if not self._bearer(request, SCOPES[0]):
                return self._refuse("lineitems: bearer", 401)
            if request.method == "GET":
                tag = request.args.get("tag")
                found = [item for item in self.line_items if tag is None or item.get("tag") == tag]
                return Response(json.dumps(found),
                                content_type="application/vnd.ims.lis.v2.lineitemcontainer+json")
            if request.mimetype != LINEITEM_TYPE:
                return self._refuse(f"lineitems: content type {request.mimetype}", 415)
            item = {**json.loads(request.get_data()),
                    "id": f"{self.url}/lineitems/{len(self.line_items) + 1}"}
            self.line_items.append(item)
            return Response(json.dumps(item), status=201, content_type=LINEITEM_TYPE)
        if path.startswith("/lineitems/") and path.endswith("/scores") and request.method == "POST":
            if not self._bearer(request, SCOPES[1]):
                return self._refuse("scores: bearer", 401)
            if request.mimetype != SCORE_TYPE:
                return self._refuse(f"scores: content type {request.mimetype}", 415)
            if self.failures:
                self.failures -= 1
                return Response("down for maintenance", status=503)
            score = json.loads(request.get_data())
            score["lineitem"] = f"{self.url}{path.removesuffix('/scores')}"
            self.scores.append(score)
            return Response(status=204)
        if path == "/memberships":
            if not self._bearer(request, SCOPES[2]):
                return self._refuse("memberships: bearer", 401)
            if MEMBERSHIP_TYPE not in request.headers.get("Accept", ""):
                return self._refuse("memberships: accept", 406)
            return Response(json.dumps({"id": path, "context": {"id": "course-101"},
                                        "members": self.members}), content_type=MEMBERSHIP_TYPE)
        return Response("not found", status=404)

    def _authorise(self, request: Request) -> Response:
        """The OIDC authorisation endpoint: the signed-in platform user's id token, posted back."""
        args = request.args
        if args.get("response_mode") != "form_post" or args.get("client_id") != CLIENT_ID:
            return self._refuse("auth: request")
        token = self.id_token(nonce=args["nonce"], **self.launch_as)
        html = ("<!doctype html><title>Platform</title>"
                f'<form method="post" action="{args["redirect_uri"]}" id="f">'
                f'<input type="hidden" name="id_token" value="{token}">'
                f'<input type="hidden" name="state" value="{args["state"]}">'
                '<button>Continue</button></form>'
                "<script>document.getElementById('f').submit()</script>")
        return Response(html, content_type="text/html")

    def _course_page(self, request: Request) -> Response:
        """A platform course page that shows the tool in a frame, as Moodle's "embed" does."""
        login = (f"{self.tool_url}/lti/login?iss={self.issuer}&login_hint=u1&client_id={CLIENT_ID}"
                 f"&target_link_uri={self.tool_url}/lti/launch")
        html = ("<!doctype html><meta charset=utf-8>"
                "<meta name='viewport' content='width=device-width, initial-scale=1'>"
                "<title>Platform course</title><style>body{font-family:sans-serif;margin:0}"
                "header{background:#334;color:#fff;padding:8px}"
                "iframe{width:100%;height:640px;border:0}</style>"
                "<header>Moodle-like platform · Key accounts 101</header>"
                f'<iframe src="{login}" title="KAM course"></iframe>')
        return Response(html, content_type="text/html")

    def _token(self, request: Request) -> Response:
        form = request.form
        if form.get("grant_type") != "client_credentials" or form.get(
                "client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return self._refuse("token: grant")
        assertion = form.get("client_assertion", "")
        try:
            kid = jwt.get_unverified_header(assertion)["kid"]
            jwk = next(key for key in self.tool_jwks()["keys"] if key["kid"] == kid)
            public = JWK(**jwk).export_to_pem()
            claims = jwt.decode(assertion, public, algorithms=["RS256"], audience=f"{self.url}/token")
        except (StopIteration, KeyError, jwt.InvalidTokenError) as error:
            return self._refuse(f"token: assertion {error!r}", 401)
        if claims.get("iss") != CLIENT_ID or claims.get("sub") != CLIENT_ID:
            return self._refuse("token: client", 401)
        token = secrets.token_hex(16)
        self.tokens[token] = form.get("scope", "").split()
        return Response(json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                                    "scope": form.get("scope", "")}), content_type="application/json")


def login_redirect_params(location: str) -> dict[str, str]:
    """The OIDC authorisation request's parameters from the tool's redirect."""
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
