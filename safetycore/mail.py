"""Sending e-mail through the municipality's SMTP server (standard library only).

Settings come from the environment:

* ``SAFETY_SMTP_HOST``: the server (required to send anything);
* ``SAFETY_SMTP_PORT``: its port (default 25, or 587 with STARTTLS; 465 means TLS from the
  first byte);
* ``SAFETY_SMTP_FROM``: the sender address (required), e.g. ``trygghet@kommun.se``;
* ``SAFETY_SMTP_USER`` and ``SAFETY_SMTP_PASSWORD``: login, when the server wants one;
* ``SAFETY_SMTP_STARTTLS``: ``1`` to upgrade the connection with STARTTLS before logging in.

Every message is plain text plus a simple HTML version; whatever a user wrote is escaped in the
HTML (``html_text``), never sent as markup.
"""

from __future__ import annotations

import html
import os
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from safetycore.errors import UsageError

TIMEOUT = 30.0
ENV = (
    "SAFETY_SMTP_HOST",
    "SAFETY_SMTP_PORT",
    "SAFETY_SMTP_FROM",
    "SAFETY_SMTP_USER",
    "SAFETY_SMTP_PASSWORD",
    "SAFETY_SMTP_STARTTLS",
)


class MailNotConfigured(UsageError):
    """No SMTP server or sender is set: nothing can be sent."""


class MailError(RuntimeError):
    """The SMTP server could not be reached, refused the login, or refused the messages."""

    result: SendResult | None = None  # what went before it failed


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        env = os.environ if env is None else env
        host = (env.get("SAFETY_SMTP_HOST") or "").strip()
        sender = (env.get("SAFETY_SMTP_FROM") or "").strip()
        if not host or not sender:
            missing = [
                name
                for name, value in (("SAFETY_SMTP_HOST", host), ("SAFETY_SMTP_FROM", sender))
                if not value
            ]
            raise MailNotConfigured(
                f"E-mail is not configured: set {' and '.join(missing)} (see the README's "
                "configuration table), or use --dry-run to see what would be sent."
            )
        starttls = (env.get("SAFETY_SMTP_STARTTLS") or "").strip().lower() in ("1", "true", "yes")
        port_text = (env.get("SAFETY_SMTP_PORT") or "").strip()
        try:
            port = int(port_text) if port_text else (587 if starttls else 25)
        except ValueError as exc:
            raise MailNotConfigured(
                f"SAFETY_SMTP_PORT must be a port number, not {port_text!r}."
            ) from exc
        if not 1 <= port <= 65535:
            raise MailNotConfigured(f"SAFETY_SMTP_PORT must be 1 to 65535, not {port}.")
        if "@" not in sender:
            raise MailNotConfigured(f"SAFETY_SMTP_FROM must be an e-mail address, not {sender!r}.")
        return cls(
            host=host,
            port=port,
            sender=sender,
            user=(env.get("SAFETY_SMTP_USER") or "").strip(),
            password=env.get("SAFETY_SMTP_PASSWORD") or "",
            starttls=starttls,
        )


def configured(env: dict | None = None) -> bool:
    try:
        SmtpSettings.from_env(env)
    except MailNotConfigured:
        return False
    return True


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    language: str = "sv"


def html_text(value) -> str:
    """Text for the HTML part: escaped, so a title with '<' is shown, never acted on."""
    return html.escape("" if value is None else str(value), quote=True)


def build(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = mail.subject
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg["Content-Language"] = mail.language
    msg["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a digest
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    return msg


@dataclass
class SendResult:
    sent: list[str] = field(default_factory=list)  # addresses the server accepted
    refused: dict[str, str] = field(default_factory=dict)  # address -> the server's reason


def send(
    mails: list[Mail],
    settings: SmtpSettings | None = None,
    on_sent: Callable[[Mail], None] | None = None,
) -> SendResult:
    """Send the messages over one connection; an address the server refuses is reported in
    ``refused`` and the others still go. ``on_sent`` is called for each accepted message as it
    goes (so a caller records it even if a later one fails). MailError (with ``result``, what
    went before) when the server cannot be used at all."""
    settings = settings or SmtpSettings.from_env()
    result = SendResult()
    if not mails:
        return result
    try:
        server: smtplib.SMTP
        if settings.port == 465:
            server = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        with server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.user:
                server.login(settings.user, settings.password)
            for mail in mails:
                try:
                    server.send_message(build(mail, settings.sender))
                    result.sent.append(mail.to)
                    if on_sent is not None:
                        on_sent(mail)
                except smtplib.SMTPRecipientsRefused as exc:
                    result.refused[mail.to] = "; ".join(
                        f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                        for code, text in exc.recipients.values()
                    )
                except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                    result.refused[mail.to] = f"{exc.smtp_code} {_text(exc.smtp_error)}"
    except smtplib.SMTPAuthenticationError as exc:
        raise _failed(
            result,
            f"The SMTP server {settings.host}:{settings.port} refused the login of "
            f"{settings.user!r} ({exc.smtp_code}); check SAFETY_SMTP_USER and "
            "SAFETY_SMTP_PASSWORD.",
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _failed(
            result,
            f"Could not send through the SMTP server {settings.host}:"
            f"{settings.port}: {exc}. Check SAFETY_SMTP_HOST and SAFETY_SMTP_PORT"
            + (" (and that the server offers STARTTLS)" if settings.starttls else "")
            + f"; {len(result.sent)} of {len(mails)} messages went.",
        ) from exc
    return result


def _failed(result: SendResult, message: str) -> MailError:
    error = MailError(message)
    error.result = result
    return error


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
