"""Application logic: one function per event or command.

Sending an email follows DESIGN.md §5.4: the delivery is recorded as pending in its own
transaction (committed before anything leaves), the message goes out with a Message-ID derived
from the delivery, then the consumer's transaction marks it sent together with the
``notification.sent`` event. A redelivered event finds the delivery already sent and sends
nothing; a crash between sending and committing can send it twice, with the same Message-ID."""

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
from services.notifier.domain.deadlines import legal_deadlines
from services.notifier.domain.deliveries import (
    DeliveryNotFound,
    DeliveryStatus,
    RecipientUnknown,
    delivery_id,
    ensure_resendable,
)
from services.notifier.domain.emails import build_message, local_date, local_datetime, message_id
from services.notifier.mailer import MailNotSent
from services.notifier.pdf import InformationNote, Receipt, attachment_spec, render_attachments
from shared.envelope import Envelope
from shared.events import (
    CommitteeOpinionPublished,
    NotificationFailed,
    NotificationSent,
    ReviewDeadlineApproaching,
    ReviewDeadlineBreached,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewStepRecorded,
    SubmissionContested,
    SubmissionReceived,
    SubmissionWithdrawn,
)
from shared.messaging.consumer import Exhausted
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
LEDGER_TIMEOUT = 10.0  # seconds to get a connection for the delivery ledger
STAFF_NAME = "Supervision des délais"


# --- events: applicant emails ---------------------------------------------------------------

async def send_receipt(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(SubmissionReceived)
    await repository.upsert_recipient(
        uow.conn,
        tracking_number=event.tracking_number,
        full_name=event.applicant.full_name,
        email=event.applicant.email,
        language=event.applicant.language,
        kind=event.kind,
        details=event.details,
        received_at=event.received_at,
    )
    recipient = await repository.get_recipient(uow.conn, event.tracking_number)
    receipt = Receipt(
        language=recipient["language"], tracking_number=event.tracking_number, kind=event.kind,
        applicant_name=recipient["full_name"], received_at=event.received_at,
        documents=[doc.model_dump(include={"name", "type", "sha256", "size"}) for doc in event.documents],
        deadlines=legal_deadlines(deps.catalogue, deps.calendar, event.kind, event.details, event.received_at),
    )
    await _notify(uow, deps, envelope, "receipt", recipient, event.kind, {
        "received_on": local_date(event.received_at),
        "attachments": [attachment_spec(receipt)],
    })


async def send_observations(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(ReviewObservationsIssued)
    recipient = await _known_recipient(uow.conn, event.tracking_number)
    await _notify(uow, deps, envelope, "observations", recipient, event.kind,
                  {"observations": event.observations})


async def send_decision(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """The decision; an information note issued goes with it as a PDF (in Arabic)."""
    event = envelope.parse(ReviewDecided)
    recipient = await _known_recipient(uow.conn, event.tracking_number)
    attachments = []
    if event.outcome == "note_issued" and event.note:
        note = InformationNote(
            tracking_number=event.tracking_number, applicant_name=recipient["full_name"],
            issued_at=envelope.time,
            parcel=recipient["details"], facts=event.note,
        )
        attachments.append(attachment_spec(note))
    elif event.outcome == "note_issued":
        log.warning("note_issued_without_note", tracking_number=event.tracking_number)
    await _notify(uow, deps, envelope, "decision", recipient, event.kind, {
        "outcome": event.outcome, "text": event.text,
        "preliminary_observations": event.preliminary_observations,
        "attached_note": bool(attachments), "attachments": attachments,
    })


async def send_withdrawal(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(SubmissionWithdrawn)
    recipient = await _known_recipient(uow.conn, event.tracking_number)
    await _notify(uow, deps, envelope, "withdrawal", recipient, event.kind, {"reason": event.reason})


async def send_invoice_step(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """A supplier invoice verified or approved for payment: the company is told each step."""
    event = envelope.parse(ReviewStepRecorded)
    recipient = await _known_recipient(uow.conn, event.tracking_number)
    await _notify(uow, deps, envelope, "invoice_step", recipient, event.kind,
                  {"step": event.step, "note": event.note})


async def send_committee_adjourned(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """Only an adjourned opinion is written to the applicant; a final one arrives with the decision."""
    event = envelope.parse(CommitteeOpinionPublished)
    if event.opinion != "adjourned":
        log.info("opinion_left_to_decision_email", tracking_number=event.tracking_number, opinion=event.opinion)
        return
    recipient = await _known_recipient(uow.conn, event.tracking_number)
    session_date = event.session_date.strftime("%d/%m/%Y") if event.session_date else None
    await _notify(uow, deps, envelope, "committee_adjourned", recipient, event.kind,
                  {"motive": event.motive, "session_date": session_date})


async def send_contest_received(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(SubmissionContested)
    recipient = await _known_recipient(uow.conn, event.tracking_number)
    await _notify(uow, deps, envelope, "contest_received", recipient, event.kind, {"motive": event.motive})


# --- events: staff alerts -------------------------------------------------------------------

async def send_staff_alert(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """A deadline approaching or breached: the supervision address is told, in French."""
    breached = envelope.type == ReviewDeadlineBreached.TYPE
    event = envelope.parse(ReviewDeadlineBreached if breached else ReviewDeadlineApproaching)
    staff = {"full_name": STAFF_NAME, "email": deps.settings.staff_alert_email, "language": "fr",
             "tracking_number": event.tracking_number}
    await _notify(uow, deps, envelope, "staff_alert", staff, event.kind, {
        "alert": "breached" if breached else "approaching", "deadline": event.deadline,
        "due_at": local_datetime(event.due_at), "status": str(event.status),
    })


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
    await _send(deps, delivery)
    row = await repository.mark_sent(uow.conn, delivery["id"])
    if delivery["status"] == DeliveryStatus.FAILED:
        # It had been reported as failed: tell the others it went out after all.
        uow.emit(_sent(delivery), subject=delivery["tracking_number"])
    log.info("delivery_resent", delivery_id=str(delivery["id"]), template=delivery["template"],
             tracking_number=delivery["tracking_number"], attempts=row["attempts"])
    return row


# --- internals ------------------------------------------------------------------------------

async def _known_recipient(conn: asyncpg.Connection, tracking_number: str) -> asyncpg.Record:
    recipient = await repository.get_recipient(conn, tracking_number)
    if recipient is None:
        raise RecipientUnknown(tracking_number)  # submission.received not seen yet: retried later
    return recipient


async def _notify(uow: UnitOfWork, deps: NotifierDeps, envelope: Envelope, template: str,
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
    await _send(deps, delivery)
    # (3) Marked sent in the consumer's transaction, with the event telling so.
    await repository.mark_sent(uow.conn, delivery["id"])
    uow.emit(_sent(delivery))
    logger.info("delivery_sent", attempts=delivery["attempts"] + 1)


async def _send(deps: NotifierDeps, delivery: asyncpg.Record) -> None:
    context = delivery["context"]
    rendered = deps.renderer.render(delivery["template"], delivery["language"], context)
    # PDFs are rendered again from the context at each sending (CPU-bound: off the event loop).
    attachments = await asyncio.to_thread(render_attachments, context.get("attachments", []),
                                          deps.settings.pdf_font, deps.catalogue)
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


def _sent(delivery: asyncpg.Record) -> NotificationSent:
    return NotificationSent(
        delivery_id=delivery["id"], tracking_number=delivery["tracking_number"], kind=delivery["kind"],
        template=delivery["template"], language=delivery["language"], cause_event_id=delivery["event_id"],
    )
