"""A minimal browser for simulated trainees: cookies, forms, no redirects followed."""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

REQUEST_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Response:
    status: int
    location: str
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


class Browser:
    """One person's browser against one server: keeps the session cookie between requests."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str] | list[tuple[str, str]],
             accept: str = "text/html") -> Response:
        body = urlencode(fields).encode()
        return self.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
            **self._same_origin()})

    def post_json(self, path: str, data: dict[str, Any]) -> Response:
        """Post data as the pages' scripts do: JSON, from a page of the same site."""
        return self.request("POST", path, json.dumps(data).encode(), {
            "Content-Type": "application/json", "Accept": "application/json",
            **self._same_origin()})

    def _same_origin(self) -> dict[str, str]:
        # The headers a browser adds to a post from one of the app's own pages: the app
        # refuses posts whose headers say they come from another site.
        return {"Origin": f"http://{self.host}:{self.port}", "Sec-Fetch-Site": "same-origin"}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        """Send one request on a fresh connection; raise OSError if the connection breaks."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port,
                                                timeout=REQUEST_TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            text = reply.read().decode("utf-8", errors="replace")
            for header in reply.headers.get_all("Set-Cookie") or []:
                self._keep_cookie(header)
            location = urlsplit(reply.headers.get("Location", ""))
            return Response(reply.status, location.path + ("?" + location.query if location.query
                                                           else ""), text)
        finally:
            connection.close()

    def session_cookie(self) -> str:
        """Return the Cookie header value that carries this browser's session."""
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookie(self, header: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel.value and morsel["max-age"] != "0":
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)


def hidden_value(html: str, name: str) -> str:
    """Return the value of the form field `name` (hidden inputs as our templates write them)."""
    match = re.search(rf'name="{re.escape(name)}"(?: type="hidden")? value="([^"]*)"', html)
    if not match:
        raise ValueError(f"no field {name} on the page")
    return unescape(match.group(1))


class _FormReader(HTMLParser):
    """Collect one form's fields: hidden values, the first radio/checkbox, the first option."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.select: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = attr.get("id") == self.form_id
        if not self.inside:
            return
        name = attr.get("name", "")
        if tag == "input" and name:
            if attr.get("type") in ("radio", "checkbox"):
                self.fields.setdefault(name, attr.get("value", "on"))
            elif attr.get("type") != "submit":
                self.fields[name] = attr.get("value", "")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and attr.get("value"):
            self.fields.setdefault(self.select, attr["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def filled_form(html: str, form_id: str) -> dict[str, str]:
    """Return the form's fields with a first choice made in every question."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields
