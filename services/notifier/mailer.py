"""Hands a built message to the SMTP server (aiosmtplib)."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage

import aiosmtplib

from services.notifier.settings import NotifierSettings
from shared.errors import UpstreamFailure


class MailNotSent(UpstreamFailure):
    """The SMTP server could not be reached or did not accept the message.

    ``str()`` is a summary safe to log and publish; ``server_said`` keeps the server's own
    words, which may quote the recipient's address, for the delivery record only."""

    title = "Mail server unavailable"

    def __init__(self, summary: str, server_said: str):
        super().__init__(f"The email was not sent: {summary}")
        self.summary, self.server_said = summary, server_said

    def __str__(self) -> str:
        return self.summary


def _summary(exc: BaseException) -> str:
    name = type(exc).__name__
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{name}: the server answered {exc.code}"
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return f"{name}: the server refused the recipient"
    return f"{name}: {exc}"  # connection and time-out errors name the server, not the recipient


class Mailer:
    """Sends through the SMTP server the settings name (read at each sending)."""

    def __init__(self, settings: NotifierSettings):
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        s = self.settings
        try:
            await aiosmtplib.send(message, hostname=s.smtp_host, port=s.smtp_port, timeout=s.smtp_timeout)
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            raise MailNotSent(_summary(exc)[:300], f"{type(exc).__name__}: {exc}"[:500]) from exc
