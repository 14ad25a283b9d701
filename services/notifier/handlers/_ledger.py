"""The delivery ledger, as the handlers use it (a private module: these are helpers, not
handlers): every email is recorded before it is sent and marked after
(docs/architecture.md#email-at-least-once).

The ledger is the one deliberate exception to "a handler writes only through its unit of work":
steps (1) and (3) write on pool connections of their own, so that what left stays recorded
whatever becomes of the consumer's transaction.

Sending: (1) the delivery is recorded as pending in its own transaction, committed before
anything leaves; (2) the message goes out with a Message-ID derived from the delivery; (3) as
soon as the mail server accepted it, the delivery is marked sent in its own short transaction;
(4) the consumer's unit of work emits ``notification.sent`` once (``announced``). If the
consumer's transaction then fails, the redelivered event finds the delivery sent and only
announces it. Only a crash between (2) and (3) can still send an email twice, with the same
Message-ID."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from email.message import Message
from typing import Any

import asyncpg
import jinja2
import structlog

from services.notifier import repository
from services.notifier.adapters.mailer import MailNotSent
from services.notifier.adapters.mime import build_message, sender
from services.notifier.adapters.report_files import stored_attachments
from services.notifier.deps import NotifierDeps
from services.notifier.domain.deliveries import DeliveryStatus, delivery_id
from services.notifier.domain.emails import RenderedEmail, message_id
from services.notifier.domain.errors import RecipientUnknown, UnbuildableEmail
from shared.envelope import Envelope
from shared.events import NotificationSent
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
LEDGER_TIMEOUT = 10.0  # seconds to get a connection for the delivery ledger


async def recipient_of(uow: UnitOfWork, event: Any) -> Mapping[str, Any]:
    """Whom to write to: the contact the event carries, else what the filing's receipt recorded."""
    if getattr(event, "contact", None) is not None:
        return {**event.contact.model_dump(), "tracking_number": event.tracking_number}
    recipient = await repository.get_recipient(uow.conn, event.tracking_number)
    if recipient is None:
        raise RecipientUnknown(event.tracking_number)  # submission.received not seen yet: retried later
    return recipient


async def notify(uow: UnitOfWork, deps: NotifierDeps, envelope: Envelope, template: str,
                 recipient: Mapping[str, Any], kind: str, details: dict[str, Any]) -> None:
    context = {"full_name": recipient["full_name"], "tracking_number": recipient["tracking_number"],
               "kind": kind, **details}
    rendered = deps.renderer.render(template, recipient["language"], context)  # a template error fails before any record
    new_id = delivery_id(envelope.id, template, recipient["email"])
    # (1) Recorded, and committed, before anything is sent.
    async with deps.pool.acquire(timeout=LEDGER_TIMEOUT) as own:
        delivery = await repository.record_pending(
            own, delivery_id=new_id, event_id=envelope.id, template=template, recipient=recipient["email"],
            tracking_number=recipient["tracking_number"], kind=kind, language=recipient["language"],
            context=context, message_id=message_id(new_id, deps.settings.message_id_domain),
        )
    logger = log.bind(delivery_id=str(delivery["id"]), template=template, tracking_number=delivery["tracking_number"])
    if delivery["status"] == DeliveryStatus.SENT:
        logger.info("delivery_already_sent")
    else:
        # The email as rendered above, unless the ledger kept another content for this delivery.
        await send(deps, delivery, rendered if delivery["context"] == context else None)  # (2) and (3)
        logger.info("delivery_sent", attempts=delivery["attempts"] + 1)
    await announce(uow, delivery)  # (4)


async def announce(uow: UnitOfWork, delivery: asyncpg.Record, *, subject: str | None = None) -> None:
    if await repository.mark_announced(uow.conn, delivery["id"]):
        uow.emit(sent_event(delivery), subject=subject)


async def send(deps: NotifierDeps, delivery: asyncpg.Record, rendered: RenderedEmail | None = None
               ) -> asyncpg.Record:
    """Build and send the delivery's email, then mark it sent at once, in its own transaction.
    ``rendered``: its text and HTML, when the caller has them already."""
    message = await _build(deps, delivery, rendered)
    try:
        await deps.mailer.send(message, sender=sender(deps.settings.mail_from)[1],
                               recipients=[delivery["recipient"]])
    except MailNotSent as exc:
        async with deps.pool.acquire(timeout=LEDGER_TIMEOUT) as own:
            await repository.record_attempt_failure(own, delivery["id"], exc.server_said)
        log.warning("delivery_attempt_failed", delivery_id=str(delivery["id"]), template=delivery["template"],
                    tracking_number=delivery["tracking_number"], error=str(exc)[:300])
        raise
    async with deps.pool.acquire(timeout=LEDGER_TIMEOUT) as own:
        return await repository.mark_sent(own, delivery["id"])


async def _build(deps: NotifierDeps, delivery: asyncpg.Record, rendered: RenderedEmail | None) -> Message:
    context = delivery["context"]
    try:
        rendered = rendered or deps.renderer.render(delivery["template"], delivery["language"], context)
        # Issued documents, and the daily report's files, attached as kept, each checked against
        # its sha256: a resend sends the very bytes first sent.
        attachments = await asyncio.to_thread(stored_attachments, deps.issued, context.get("documents", []))
        attachments += await asyncio.to_thread(stored_attachments, deps.report_files, context.get("files", []))
        # A delivery recorded before documents were issued: drawn again from its content.
        attachments += await deps.documents.render(context.get("attachments", []))
        return build_message(rendered, mail_from=deps.settings.mail_from, to_address=delivery["recipient"],
                             to_name=context["full_name"], message_id=delivery["message_id"], date=datetime.now(UTC),
                             attachments=attachments)
    except (ValueError, KeyError, TypeError, jinja2.TemplateError) as exc:
        raise UnbuildableEmail(f"The email of delivery {delivery['id']} cannot be built: {exc}") from exc


def sent_event(delivery: asyncpg.Record) -> NotificationSent:
    return NotificationSent(
        delivery_id=delivery["id"], tracking_number=delivery["tracking_number"], kind=delivery["kind"],
        template=delivery["template"], language=delivery["language"], cause_event_id=delivery["event_id"],
    )
