"""Emails to the applicant, one handler per event that tells them something."""

from __future__ import annotations

import structlog

from services.notifier import repository
from services.notifier.deps import NotifierDeps
from services.notifier.domain.emails import local_date
from services.notifier.domain.errors import RecipientUnknown
from services.notifier.handlers._documents import attached, issue_document
from services.notifier.handlers._ledger import notify, recipient_of
from shared.envelope import Envelope
from shared.events import (
    CommitteeOpinionPublished,
    DraftSaved,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewStepRecorded,
    SubmissionContested,
    SubmissionReceived,
    SubmissionWithdrawn,
)
from shared.pdf import AgencyNames, DecisionLetter, InformationNote, receipt_for
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def send_receipt(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(SubmissionReceived)
    recipient = await repository.upsert_recipient(
        uow.conn,
        tracking_number=event.tracking_number,
        full_name=event.applicant.full_name,
        email=event.applicant.email,
        language=event.applicant.language,
        kind=event.kind,
        details=event.details,
        received_at=event.received_at,
    )
    receipt = receipt_for(
        language=recipient["language"], tracking_number=event.tracking_number, kind=event.kind,
        applicant_name=recipient["full_name"], received_at=event.received_at,
        documents=[doc.model_dump() for doc in event.documents], details=event.details,
        catalogue=deps.catalogue, calendar=deps.calendar, agency=AgencyNames(**deps.agency.names),
    )
    issued = await issue_document(uow, deps, envelope, receipt, kind=event.kind, holder=recipient["full_name"])
    await notify(uow, deps, envelope, "receipt", recipient, event.kind, {
        "received_on": local_date(event.received_at),
        "documents": [attached(issued)],
    })


async def send_observations(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(ReviewObservationsIssued)
    recipient = await recipient_of(uow, event)
    await notify(uow, deps, envelope, "observations", recipient, event.kind,
                  {"observations": event.observations})


async def send_decision(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """The decision, with its letter (in the applicant's language) and, when one was issued,
    the information note (in Arabic): both issued documents, sealed."""
    event = envelope.parse(ReviewDecided)
    recipient = await recipient_of(uow, event)
    agency = AgencyNames(**deps.agency.names)
    letter = DecisionLetter(tracking_number=event.tracking_number, language=recipient["language"], kind=event.kind,
                            applicant_name=recipient["full_name"], decided_at=envelope.time, outcome=event.outcome,
                            text=event.text, committee_opinion=event.committee_opinion, agency=agency)
    documents = [await issue_document(uow, deps, envelope, letter, kind=event.kind, holder=recipient["full_name"])]
    if event.outcome == "note_issued" and event.note:
        parcel = event.parcel if event.parcel is not None else await _filed_parcel(uow, event)
        note = InformationNote(tracking_number=event.tracking_number, applicant_name=recipient["full_name"],
                               issued_at=envelope.time, parcel=parcel, facts=event.note, agency=agency)
        documents.append(await issue_document(uow, deps, envelope, note, kind=event.kind, holder=recipient["full_name"]))
    elif event.outcome == "note_issued":
        log.warning("note_issued_without_note", tracking_number=event.tracking_number)
    await notify(uow, deps, envelope, "decision", recipient, event.kind, {
        "outcome": event.outcome, "text": event.text,
        "preliminary_observations": event.preliminary_observations,
        "attached_note": len(documents) > 1, "documents": [attached(row) for row in documents],
    })


async def send_withdrawal(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(SubmissionWithdrawn)
    recipient = await recipient_of(uow, event)
    await notify(uow, deps, envelope, "withdrawal", recipient, event.kind, {"reason": event.reason})


async def send_invoice_step(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """A supplier invoice verified or approved for payment: the company is told each step."""
    event = envelope.parse(ReviewStepRecorded)
    recipient = await recipient_of(uow, event)
    await notify(uow, deps, envelope, "invoice_step", recipient, event.kind,
                  {"step": event.step, "note": event.note})


async def send_committee_adjourned(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """Only an adjourned opinion is written to the applicant; a final one arrives with the decision."""
    event = envelope.parse(CommitteeOpinionPublished)
    if event.opinion != "adjourned":
        log.info("opinion_left_to_decision_email", tracking_number=event.tracking_number, opinion=event.opinion)
        return
    recipient = await recipient_of(uow, event)
    session_date = event.session_date.strftime("%d/%m/%Y") if event.session_date else None
    await notify(uow, deps, envelope, "committee_adjourned", recipient, event.kind,
                  {"motive": event.motive, "session_date": session_date})


async def send_contest_received(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(SubmissionContested)
    recipient = await recipient_of(uow, event)
    await notify(uow, deps, envelope, "contest_received", recipient, event.kind, {"motive": event.motive})




async def _filed_parcel(uow: UnitOfWork, event: ReviewDecided) -> dict:
    """An older decision event without its parcel: the one the receipt recorded."""
    recipient = await repository.get_recipient(uow.conn, event.tracking_number)
    if recipient is None:
        raise RecipientUnknown(event.tracking_number)
    return recipient["details"]


async def send_draft_link(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """A filing saved to finish later: the link that resumes it, in the language it was begun in.
    The draft has no tracking number yet: its ledger entries go by ``draft:<id>``."""
    event = envelope.parse(DraftSaved)
    recipient = {"full_name": "", "email": event.email, "language": event.language,
                 "tracking_number": f"draft:{event.draft_id}"}
    await notify(uow, deps, envelope, "draft_saved", recipient, event.kind, {
        "resume_url": event.resume_url, "expires_on": local_date(event.expires_at), "draft": True,
    })
