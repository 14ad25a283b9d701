"""The delivery ledger: every email is recorded before it is sent and marked after (DESIGN.md
§5.4), failures counted, exhausted events' deliveries marked failed; operators list and resend.

Sending: the delivery is recorded as pending in its own transaction (committed before anything
leaves), the message goes out with a Message-ID derived from the delivery, then the consumer's
unit of work marks it sent together with ``notification.sent``. A redelivered event finds the
delivery already sent and sends nothing; a crash between sending and committing can send it
twice, with the same Message-ID."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from services.notifier import repository
from services.notifier.deps import NotifierDeps
from services.notifier.domain.deliveries import (
    DeliveryNotFound,
    DeliveryStatus,
    RecipientUnknown,
    delivery_id,
    ensure_resendable,
)
from services.notifier.domain.emails import build_message, message_id
from services.notifier.mailer import MailNotSent
from services.notifier.pdf import render_attachments
from services.notifier.report_files import stored_attachments
from shared.blobs import BlobStore
from shared.envelope import Envelope
from shared.events import NotificationFailed, NotificationSent
from shared.messaging.consumer import Exhausted
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
LEDGER_TIMEOUT = 10.0  # seconds to get a connection for the delivery ledger


async def record_failed_deliveries(exhausted: Exhausted, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """The event exhausted its retries and is being parked: its pending deliveries failed."""
    envelope, error = exhausted.envelope, exhausted.error
    rows = await repository.mark_failed_for_event(uow.conn, envelope.id, error)
    for row in rows:
        uow.emit(NotificationFailed(
            delivery_id=row["id"], tracking_number=row["tracking_number"], kind=row["kind"],
            template=row["template"], language=row["language"], cause_event_id=envelope.id,
            error=error[:500],  # the summary: the server's own words stay in the delivery record
        ))
        log.error("delivery_failed", delivery_id=str(row["id"]), template=row["template"],
                  tracking_number=row["tracking_number"], attempts=row["attempts"])
    if not rows:
        log.warning("event_parked_without_delivery", subject=envelope.subject)


# --- commands (API) -------------------------------------------------------------------------

@dataclass(frozen=True)
class ListDeliveries:
    tracking_number: str | None
    status: str | None
    template: str | None
    limit: int
    offset: int


@dataclass(frozen=True)
class ResendDelivery:
    delivery_id: UUID


async def list_deliveries(query: ListDeliveries, uow: UnitOfWork, deps: NotifierDeps
                          ) -> tuple[list[asyncpg.Record], int]:
    return await repository.list_deliveries(uow.conn, tracking_number=query.tracking_number, status=query.status,
                                            template=query.template, limit=query.limit, offset=query.offset)


async def resend_delivery(command: ResendDelivery, uow: UnitOfWork, deps: NotifierDeps) -> asyncpg.Record:
    """Send a delivery's email again now, with the same content and Message-ID."""
    delivery = await repository.get_delivery(uow.conn, command.delivery_id)
    if delivery is None:
        raise DeliveryNotFound(f"No delivery {command.delivery_id}.")
    ensure_resendable(delivery["status"])
    await send(deps, delivery)
    row = await repository.mark_sent(uow.conn, delivery["id"])
    if delivery["status"] == DeliveryStatus.FAILED:
        # It had been reported as failed: tell the others it went out after all.
        uow.emit(sent_event(delivery), subject=delivery["tracking_number"])
    log.info("delivery_resent", delivery_id=str(delivery["id"]), template=delivery["template"],
             tracking_number=delivery["tracking_number"], attempts=row["attempts"])
    return row


async def known_recipient(conn: asyncpg.Connection, tracking_number: str) -> asyncpg.Record:
    recipient = await repository.get_recipient(conn, tracking_number)
    if recipient is None:
        raise RecipientUnknown(tracking_number)  # submission.received not seen yet: retried later
    return recipient


async def notify(uow: UnitOfWork, deps: NotifierDeps, envelope: Envelope, template: str,
                  recipient: Mapping[str, Any], kind: str, details: dict[str, Any]) -> None:
    context = {"full_name": recipient["full_name"], "tracking_number": recipient["tracking_number"],
               "kind": kind, **details}
    deps.renderer.render(template, recipient["language"], context)  # a template error fails before any record
    new_id = delivery_id(envelope.id, template, recipient["email"])
    # (1) Recorded, and committed, before anything is sent.
    async with deps.pool.acquire(timeout=LEDGER_TIMEOUT) as own, own.transaction():
        delivery = await repository.record_pending(
            own, delivery_id=new_id, event_id=envelope.id, template=template, recipient=recipient["email"],
            tracking_number=recipient["tracking_number"], kind=kind, language=recipient["language"],
            context=context, message_id=message_id(new_id, deps.settings.message_id_domain),
        )
    logger = log.bind(delivery_id=str(delivery["id"]), template=template, tracking_number=delivery["tracking_number"])
    if delivery["status"] == DeliveryStatus.SENT:
        logger.info("delivery_already_sent")
        return
    # (2) Sent; a failure is counted on the delivery and the event is retried.
    await send(deps, delivery)
    # (3) Marked sent in the consumer's transaction, with the event telling so.
    await repository.mark_sent(uow.conn, delivery["id"])
    uow.emit(sent_event(delivery))
    logger.info("delivery_sent", attempts=delivery["attempts"] + 1)


async def send(deps: NotifierDeps, delivery: asyncpg.Record) -> None:
    context = delivery["context"]
    rendered = deps.renderer.render(delivery["template"], delivery["language"], context)
    # PDFs are rendered again from the context at each sending (CPU-bound: off the event loop).
    attachments = await asyncio.to_thread(render_attachments, context.get("attachments", []),
                                          deps.settings.pdf_font, deps.catalogue)
    # Stored files (the daily report's) are attached as kept, each checked against its sha256.
    attachments += await asyncio.to_thread(stored_attachments, BlobStore(deps.settings.report_files_dir),
                                           context.get("files", []))
    message = build_message(
        rendered, mail_from=deps.settings.mail_from, to_address=delivery["recipient"], to_name=context["full_name"],
        message_id=delivery["message_id"], date=datetime.now(UTC), attachments=attachments,
    )
    try:
        await deps.mailer.send(message)
    except MailNotSent as exc:
        async with deps.pool.acquire(timeout=LEDGER_TIMEOUT) as own:
            await repository.record_attempt_failure(own, delivery["id"], exc.server_said)
        log.warning("delivery_attempt_failed", delivery_id=str(delivery["id"]), template=delivery["template"],
                    tracking_number=delivery["tracking_number"], error=str(exc)[:300])
        raise


def sent_event(delivery: asyncpg.Record) -> NotificationSent:
    return NotificationSent(
        delivery_id=delivery["id"], tracking_number=delivery["tracking_number"], kind=delivery["kind"],
        template=delivery["template"], language=delivery["language"], cause_event_id=delivery["event_id"],
    )
