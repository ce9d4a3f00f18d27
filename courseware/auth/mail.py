"""Sending a reset link by email, when the operator configures COURSEWARE_SMTP_URL.

The URL names the server and how to reach it:
- `smtps://user:password@mail.example.org:465?from=course@example.org`: TLS from the start;
- `smtp://user:password@mail.example.org:587?from=course@example.org`: STARTTLS (required);
- `smtp://localhost:25?starttls=no`: a local relay without TLS.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

TIMEOUT_SECONDS = 10  # a slow mail server delays one background send, never a page
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    tls: str  # "ssl", "starttls" or "none"
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpSettings:
    """Read COURSEWARE_SMTP_URL; ValueError with a plain reason when it cannot be used."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("COURSEWARE_SMTP_URL must look like smtps://user:password@host:465"
                         "?from=course@example.org (or smtp://... for STARTTLS)")
    query = parse_qs(parts.query)
    tls = "ssl" if parts.scheme == "smtps" else "starttls"
    if query.get("starttls") == ["no"] and tls == "starttls":
        tls = "none"
    sender = query.get("from", [f"courseware@{parts.hostname}"])[0]
    return SmtpSettings(
        host=parts.hostname, port=parts.port or (465 if tls == "ssl" else 587), sender=sender,
        tls=tls, username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def compose(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, to, subject
    message.set_content(body)
    return message


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver the message through the configured server (blocking, with a timeout)."""
    context = ssl.create_default_context()
    if settings.tls == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                timeout=TIMEOUT_SECONDS, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    with server:
        if settings.tls == "starttls":
            server.starttls(context=context)
        if settings.username:
            server.login(settings.username, settings.password or "")
        server.send_message(message)


def send_in_background(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send on a thread of its own: the page answers as fast whether or not an account exists."""

    def deliver() -> None:
        try:
            send(settings, message)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("Could not send the reset link to %s: %s", message["To"], error)

    threading.Thread(target=deliver, name="reset-mail", daemon=True).start()
