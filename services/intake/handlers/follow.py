"""The events intake follows for the public status: review progress, published committee
opinions, emails sent (or failed).

A decided filing closes once its decision email went out, whichever of the two events comes
first (a restart is enough to swap them): the event that closes it writes the ``closed`` step,
so the status and the timeline agree in either order."""

from __future__ import annotations

from datetime import datetime

from services.intake import repository as repo
from services.intake.deps import IntakeDeps
from services.intake.domain.public_status import (
    HIDDEN_STEPS,
    decision_of,
    public_detail,
    status_after_decision_email,
    status_after_review_event,
    step_of,
)
from shared.envelope import Envelope
from shared.events import CommitteeOpinionPublished, DocumentIssued, NotificationFailed, NotificationSent, TaskEvent
from shared.lifecycle import Status
from shared.unit_of_work import UnitOfWork

EMAILS_ABOUT_NO_FILING = frozenset({"draft_saved", "report_daily"})  # a draft's link, the daily report


async def follow_review(envelope: Envelope, uow: UnitOfWork, deps: IntakeDeps) -> None:
    """A review or committee event: move the public status (newer versions only), log a step
    (without staff names; a member's own opinion is not shown at all)."""
    event = envelope.parse(TaskEvent)
    row = await repo.get_submission(uow.conn, event.tracking_number, for_update=True)
    if row is None:
        raise LookupError(f"review event for an unknown filing {event.tracking_number}")
    step = step_of(envelope.type)
    new_status = status_after_review_event(Status(row["status"]), row["review_version"], event.status,
                                           event.version, row["decision_emailed"], row["contest"] is not None)
    changes: dict = {"review_version": max(row["review_version"], event.version)}
    if new_status is not None:
        changes["status"] = new_status
    if step == "decided" and event.version > row["review_version"]:
        changes["decision"] = decision_of(envelope.data, envelope.time, envelope.id)
    if step == "queued" and event.version > row["review_version"] and envelope.data.get("due_at"):
        changes["due_at"] = datetime.fromisoformat(envelope.data["due_at"])  # moves when the clock pauses
    await repo.update_submission(uow.conn, event.tracking_number, **changes)
    if step not in HIDDEN_STEPS:
        await repo.add_timeline(uow.conn, event.tracking_number, at=envelope.time, step=step, status=event.status,
                                detail=public_detail(step, envelope.data), event_id=envelope.id)
    if new_status == Status.CLOSED:  # the decision's email went out before this event came
        await _record_closing(uow, event.tracking_number, envelope.time)


async def follow_published_opinion(envelope: Envelope, uow: UnitOfWork, deps: IntakeDeps) -> None:
    """The committee's published opinion: a public step, and a row of GET /api/v1/opinions."""
    await follow_review(envelope, uow, deps)
    event = envelope.parse(CommitteeOpinionPublished)
    details = (await repo.get_submission(uow.conn, event.tracking_number))["details"]
    await repo.insert_opinion(
        uow.conn, event_id=envelope.id, tracking_number=event.tracking_number, kind=event.kind,
        commune=details.get("commune"), project=details.get("project_title") or details.get("subtype"),
        opinion=event.opinion, motive=event.motive, session_date=event.session_date, published_at=envelope.time,
    )


async def follow_notification(envelope: Envelope, uow: UnitOfWork, deps: IntakeDeps) -> None:
    """An email went out (or failed): a timeline step; the decision email closes the filing."""
    sent = envelope.type == NotificationSent.TYPE
    event = envelope.parse(NotificationSent if sent else NotificationFailed)
    if event.template in EMAILS_ABOUT_NO_FILING:
        return
    row = await repo.get_submission(uow.conn, event.tracking_number, for_update=True)
    if row is None:
        raise LookupError(f"notification for an unknown filing {event.tracking_number}")
    new_status = None
    superseded = ((row["contest"] or {}).get("superseded_decision") or {}).get("event_id")
    # The email of a decision since contested closes nothing: review has reopened.
    if sent and event.template == "decision" and str(event.cause_event_id) != superseded:
        new_status = status_after_decision_email(Status(row["status"]))
        changes = {"decision_emailed": True, **({"status": new_status} if new_status else {})}
        await repo.update_submission(uow.conn, event.tracking_number, **changes)
    # The email's step changes no status: the closing step that may follow does.
    await repo.add_timeline(uow.conn, event.tracking_number, at=envelope.time,
                            step="email_sent" if sent else "email_failed", status=None,
                            detail={"template": event.template}, event_id=envelope.id)
    if new_status == Status.CLOSED:
        await _record_closing(uow, event.tracking_number, envelope.time)


async def _record_closing(uow: UnitOfWork, tracking_number: str, at: datetime) -> None:
    """The ``closed`` step, after every step already there (the decision and its email, in
    whichever order they came)."""
    latest = await repo.latest_step_at(uow.conn, tracking_number)
    await repo.add_timeline(uow.conn, tracking_number, at=max(at, latest or at), step="closed", status=Status.CLOSED)


async def follow_issued_document(envelope: Envelope, uow: UnitOfWork, deps: IntakeDeps) -> None:
    """The notifier issued a filing's document: listed and served on the tracking page."""
    event = envelope.parse(DocumentIssued)
    if event.document == "daily_report":
        return  # about no filing
    if await repo.get_submission(uow.conn, event.reference) is None:
        raise LookupError(f"document issued for an unknown filing {event.reference}")
    await repo.record_issued_document(
        uow.conn, code=event.code, tracking_number=event.reference, document=event.document,
        language=event.language, sha256=event.sha256, filename=event.filename, issued_at=event.issued_at,
        replaces=event.replaces)
