"""Hands a built message to the SMTP server (aiosmtplib)."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage

import aiosmtplib

from services.notifier.settings import NotifierSettings


class MailNotSent(Exception):
    """The SMTP server could not be reached or did not accept the message.

    ``str()`` is a summary safe to log and publish; ``detail`` keeps the server's own words,
    which may quote the recipient's address, for the delivery record only."""

    def __init__(self, summary: str, detail: str):
        super().__init__(summary)
        self.detail = detail


def _summary(exc: BaseException) -> str:
    name = type(exc).__name__
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{name}: the server answered {exc.code}"
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return f"{name}: the server refused the recipient"
    return f"{name}: {exc}"  # connection and time-out errors name the server, not the recipient


async def send(settings: NotifierSettings, message: EmailMessage) -> None:
    try:
        await aiosmtplib.send(
            message, hostname=settings.smtp_host, port=settings.smtp_port, timeout=settings.smtp_timeout
        )
    except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
        raise MailNotSent(_summary(exc)[:300], f"{type(exc).__name__}: {exc}"[:500]) from exc
