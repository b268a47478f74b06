"""A real SMTP server on localhost (aiosmtpd), started per test; tests read what arrived."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    to: list[str]
    sender: str
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        return body.get_content() if body is not None else ""

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


@dataclass
class Inbox:
    host: str
    port: int
    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.to]

    def env(self, **extra) -> dict[str, str]:
        return {
            "SAFETY_SMTP_HOST": self.host,
            "SAFETY_SMTP_PORT": str(self.port),
            "SAFETY_SMTP_FROM": "trygghet@kommun.se",
            **extra,
        }


class _Handler:
    def __init__(self, inbox: Inbox):
        self.inbox = inbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.inbox.refuse:
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.inbox.messages.append(Received(list(envelope.rcpt_tos), envelope.mail_from, message))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"trygghet",
        b"hemligt",
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture()
def smtp_server(monkeypatch):
    """A running SMTP server; the SAFETY_SMTP_* settings point at it."""
    inbox = Inbox("127.0.0.1", _free_port())
    controller = Controller(
        _Handler(inbox),
        hostname=inbox.host,
        port=inbox.port,
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    for key, value in inbox.env().items():
        monkeypatch.setenv(key, value)
    for key in ("SAFETY_SMTP_USER", "SAFETY_SMTP_PASSWORD", "SAFETY_SMTP_STARTTLS"):
        monkeypatch.delenv(key, raising=False)
    try:
        yield inbox
    finally:
        controller.stop()
