"""Hands a built message to the SMTP server (aiosmtplib), over a few connections kept open.

Opening a connection per message (TCP, greeting, EHLO, QUIT) cost more than sending it. Here a
connection that delivered a message goes back to a small idle pool and the next message reuses
it; one that failed in any way is closed, never reused. A kept connection the server dropped
meanwhile (idle time-out, restart) fails on the next MAIL FROM, before any message data went:
that message is tried once more on a new connection."""

from __future__ import annotations

import asyncio
import time
from email.message import Message

import aiosmtplib
import structlog

from services.notifier.adapters.mime import flatten
from services.notifier.settings import NotifierSettings
from shared.errors import UpstreamFailure

log = structlog.get_logger()


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


FAILURES = (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError)


class Mailer:
    """Sends through the SMTP server the settings name (read at each sending: a changed host or
    port drops the connections kept to the old one)."""

    def __init__(self, settings: NotifierSettings):
        self.settings = settings
        self._idle: list[tuple[aiosmtplib.SMTP, float]] = []  # (connection, when it was last used)
        self._server: tuple[str, int] | None = None
        self.connections_opened = 0  # for the metrics-minded and the tests

    async def send(self, message: Message, *, sender: str, recipients: list[str]) -> None:
        """``sender`` and ``recipients``: the envelope's addresses (the headers are not read)."""
        flat = flatten(message)
        # An internationalized address needs the server's SMTPUTF8 (RFC 6531).
        options = [] if all(address.isascii() for address in (sender, *recipients)) else ["SMTPUTF8"]
        client, reused = await self._take()
        try:
            try:
                await client.sendmail(sender, recipients, flat, mail_options=options)
            except aiosmtplib.SMTPServerDisconnected:
                if not reused:
                    raise
                # Dropped while idle: nothing of the message was accepted; once more, afresh.
                _close(client)
                client, reused = await self._connect(), False
                await client.sendmail(sender, recipients, flat, mail_options=options)
        except FAILURES as exc:
            _close(client)
            raise MailNotSent(_summary(exc)[:300], f"{type(exc).__name__}: {exc}"[:500]) from exc
        except BaseException:
            _close(client)  # cancelled mid-conversation: the connection's state is unknown
            raise
        await self._give_back(client)

    async def close(self) -> None:
        """Say goodbye on every kept connection (at shutdown)."""
        idle, self._idle = self._idle, []
        for client, _ in idle:
            try:
                await client.quit()
            except FAILURES:
                _close(client)

    async def _take(self) -> tuple[aiosmtplib.SMTP, bool]:
        s = self.settings
        server = (s.smtp_host, s.smtp_port)
        if server != self._server:
            await self.close()
            self._server = server
        oldest = time.monotonic() - s.smtp_idle_seconds
        while self._idle:
            client, used_at = self._idle.pop()
            if used_at >= oldest and client.is_connected:
                return client, True
            _close(client)  # the server may have given up on it already
        try:
            return await self._connect(), False
        except FAILURES as exc:
            raise MailNotSent(_summary(exc)[:300], f"{type(exc).__name__}: {exc}"[:500]) from exc

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self.settings
        client = aiosmtplib.SMTP(hostname=s.smtp_host, port=s.smtp_port, timeout=s.smtp_timeout)
        await client.connect()
        self.connections_opened += 1
        return client

    async def _give_back(self, client: aiosmtplib.SMTP) -> None:
        s = self.settings
        if (s.smtp_host, s.smtp_port) == self._server and len(self._idle) < s.smtp_connections:
            self._idle.append((client, time.monotonic()))
            return
        try:
            await client.quit()  # not kept: closed politely, the message is delivered already
        except FAILURES:
            _close(client)


def _close(client: aiosmtplib.SMTP) -> None:
    """Drop a connection without a word to the server (it may be gone, or mid-reply)."""
    try:
        client.close()
    except Exception:  # noqa: BLE001 - closing a broken transport must not hide the real failure
        log.debug("smtp_close_failed")
