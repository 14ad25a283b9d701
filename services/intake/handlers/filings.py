"""The applicant's commands (file, answer, withdraw, contest) and the public queries (the
filing, its receipt, the published opinions)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog

from services.intake import repository as repo
from services.intake.deps import IntakeDeps
from services.intake.domain import idempotency
from services.intake.domain.commands import (
    ContestDecision,
    FileSubmission,
    ListOpinions,
    RespondToObservations,
    ShowFiling,
    ShowIssuedDocument,
    WithdrawFiling,
)
from services.intake.domain.documents import CheckedDocument
from services.intake.domain.errors import FilingNotFound, IssuedDocumentNotFound, NotIssuedYet
from services.intake.domain.filings import Filing
from services.intake.domain.follow_ups import contest_refusal, previous_pre_study_refusal
from services.intake.domain.identifiers import hash_token, new_access_token, new_tracking_number, token_matches
from services.intake.domain.location import outside_area_refusal
from services.intake.domain.public_status import applicant_actions, public_decision
from shared.deadlines import legal_deadlines
from shared.errors import Conflict, DomainError, InvalidInput
from shared.events import (
    Applicant,
    Contact,
    DocumentRef,
    SubmissionContested,
    SubmissionReceived,
    SubmissionResubmitted,
    SubmissionWithdrawn,
)
from shared.lifecycle import Action, Status, next_status
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


def _refs(documents: list[CheckedDocument]) -> list[DocumentRef]:
    return [DocumentRef(name=d.name, type=d.type, sha256=d.sha256, size=d.size, content_type=d.content_type)
            for d in documents]


# --- the applicant's commands ------------------------------------------------------------------

async def file_submission(command: FileSubmission, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    """Store the filing, its documents and submission.received; with an Idempotency-Key, a
    repeated request gets the first answer back and changes nothing."""
    filing, now = command.filing, deps.clock()
    if (refusal := outside_area_refusal(filing.location, deps.settings.area)) is not None:
        raise InvalidInput(f"body.{filing.kind}.location", refusal, code="outside_area")
    tracking_number, token = new_tracking_number(now), new_access_token()
    answer = {"tracking_number": tracking_number, "access_token": token, "status": Status.RECEIVED.value}
    fingerprint = idempotency.request_fingerprint(filing.model_dump(mode="json"),
                                                  [f"{d.type or ''}:{d.sha256}" for d in command.documents])
    key = command.idempotency_key
    claim = None if key is None else (idempotency.key_id(key), fingerprint, idempotency.seal(key, answer))
    if filing.previous is not None:
        # The earlier filing is checked under the claim, as a replay must not be checked again:
        # the claim first, on its own, for this rare kind of filing.
        if claim is not None and not await repo.claim_idempotency_key(uow.conn, claim[0], fingerprint,
                                                                      tracking_number, claim[2]):
            return await _earlier_answer(uow, key, fingerprint)
        claim = None
        await _check_previous_filing(uow, filing)
    applicant = filing.applicant.model_dump(mode="json", exclude_none=True)
    # One statement: the claim (a concurrent request with the same key waits in it for this
    # one's outcome), the submission, its documents and its timeline entry.
    if not await repo.file_submission(
        uow.conn, tracking_number=tracking_number, kind=filing.kind, status=Status.RECEIVED,
        token_hash=hash_token(token), applicant=applicant, details=filing.details(),
        correlation_id=uow.correlation_id, received_at=now, previous_tracking_number=filing.previous,
        documents=command.documents, claim=claim,
    ):
        return await _earlier_answer(uow, key, fingerprint)
    uow.emit(SubmissionReceived(
        tracking_number=tracking_number, kind=filing.kind, received_at=now,
        applicant=Applicant.model_validate(applicant), details=filing.details(), documents=_refs(command.documents),
        previous_tracking_number=filing.previous,
    ), subject=tracking_number)
    log.info("filing_received", tracking_number=tracking_number, kind=filing.kind, documents=len(command.documents),
             follows=filing.previous)
    return answer


async def _earlier_answer(uow: UnitOfWork, key: str, fingerprint: bytes) -> dict[str, Any]:
    row = await repo.find_idempotent(uow.conn, idempotency.key_id(key))
    if bytes(row["fingerprint"]) != fingerprint:
        raise DomainError("This Idempotency-Key was already used for a different filing.",
                          title="Idempotency-Key reused")
    log.info("filing_replayed_for_idempotency_key")
    return {**idempotency.unseal(key, row["sealed_answer"]), "replayed": True}


async def _check_previous_filing(uow: UnitOfWork, filing: Filing) -> None:
    """A pre-study filed again links an earlier, decided pre-study of the same applicant."""
    if filing.previous is None:
        return
    row = await repo.get_submission(uow.conn, filing.previous)
    previous = None if row is None else {"kind": row["kind"], "status": row["status"],
                                         "email": row["applicant"]["email"]}
    refusal = previous_pre_study_refusal(previous, filing.applicant.email)
    if refusal is not None:
        raise InvalidInput(f"body.{filing.kind}.previous_tracking_number", refusal, code="previous_filing")


def _contact(row: Any) -> Contact:
    return Contact.model_validate(row["applicant"])


async def _own_filing(uow: UnitOfWork, tracking_number: str, token: str | None) -> Any:
    row = await repo.get_submission(uow.conn, tracking_number, for_update=True)
    if row is None or not token_matches(token, row["access_token_hash"]):
        raise FilingNotFound()
    return row


async def respond_to_observations(command: RespondToObservations, uow: UnitOfWork,
                                  deps: IntakeDeps) -> dict[str, Any]:
    number = command.tracking_number
    row = await _own_filing(uow, number, command.access_token)
    status = next_status(row["status"], Action.RESUBMIT)
    await repo.update_submission(uow.conn, number, status=status)
    await repo.insert_documents(uow.conn, number, command.documents)
    await repo.add_timeline(uow.conn, number, at=deps.clock(), step="resubmitted", status=status,
                            detail={"documents": len(command.documents)})
    uow.emit(SubmissionResubmitted(tracking_number=number, kind=row["kind"], message=command.message,
                                   documents=_refs(command.documents)), subject=number)
    log.info("filing_resubmitted", tracking_number=number, documents=len(command.documents))
    return {"tracking_number": number, "status": status.value}


async def withdraw_filing(command: WithdrawFiling, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    number = command.tracking_number
    row = await _own_filing(uow, number, command.access_token)
    status = next_status(row["status"], Action.WITHDRAW)
    await repo.update_submission(uow.conn, number, status=status)
    await repo.add_timeline(uow.conn, number, at=deps.clock(), step="withdrawn", status=status)
    uow.emit(SubmissionWithdrawn(tracking_number=number, kind=row["kind"], reason=command.reason,
                                 contact=_contact(row)), subject=number)
    log.info("filing_withdrawn", tracking_number=number)
    return {"tracking_number": number, "status": status.value}


async def contest_decision(command: ContestDecision, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    """The applicant contests a rejected committee decision, once: review reopens (status queued)."""
    number = command.tracking_number
    row = await _own_filing(uow, number, command.access_token)
    refusal = contest_refusal(review_path=deps.catalogue.kind(row["kind"]).review_path, status=row["status"],
                              decision=row["decision"], contested=row["contest"] is not None)
    if refusal is not None:
        raise Conflict(refusal, title="Cannot contest")
    status, now = next_status(row["status"], Action.CONTEST), deps.clock()
    contest = {"motive": command.motive, "at": now.isoformat(), "superseded_decision": row["decision"]}
    await repo.update_submission(uow.conn, number, status=status, decision=None, decision_emailed=False,
                                 contest=contest)
    await repo.add_timeline(uow.conn, number, at=now, step="contested", status=status)
    uow.emit(SubmissionContested(tracking_number=number, kind=row["kind"], motive=command.motive,
                                 contact=_contact(row)), subject=number)
    log.info("decision_contested", tracking_number=number)
    return {"tracking_number": number, "status": status.value}


# --- public queries --------------------------------------------------------------------------

async def _readable_filing(uow: UnitOfWork, query: ShowFiling) -> Any:
    row = await repo.get_submission(uow.conn, query.tracking_number)
    if row is None or not token_matches(query.access_token, row["access_token_hash"]):
        raise FilingNotFound()
    return row


async def show_filing(query: ShowFiling, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    """The applicant's view: status, timeline, observations, decision, the legal deadlines as the
    receipt states them, and what they may do next."""
    row = await _readable_filing(uow, query)
    timeline = await repo.list_timeline(uow.conn, query.tracking_number)
    contest = row["contest"]
    spec = deps.catalogue.kinds.get(row["kind"])
    return {
        **{name: row[name] for name in ("tracking_number", "kind", "status", "received_at", "updated_at",
                                        "previous_tracking_number", "due_at")},
        "observations": [{"at": t["at"], "text": t["detail"]["observations"]}
                         for t in timeline if t["step"] == "observations_issued"],
        "decision": public_decision(row["decision"]),
        "contest": None if contest is None else {
            "at": contest["at"], "motive": contest["motive"],
            "contested_decision": public_decision(contest["superseded_decision"])},
        "documents": [dict(d) for d in await repo.list_documents(uow.conn, query.tracking_number)],
        "issued_documents": [dict(d) for d in await repo.list_issued_documents(uow.conn, query.tracking_number)],
        "timeline": [dict(t) for t in timeline],
        # What the receipt states (shared/pdf/receipt.py asks the same function the same question).
        "legal_deadlines": [deadline.model_dump() for deadline in legal_deadlines(
            deps.catalogue, deps.calendar, row["kind"], row["details"], row["received_at"])],
        "allowed_actions": applicant_actions(review_path=spec.review_path if spec else "", status=row["status"],
                                             decision=row["decision"], contested=contest is not None),
    }


async def show_issued_document(query: ShowIssuedDocument, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    """One of the filing's issued documents (its latest receipt when no code is given): where its
    bytes are kept, as the notifier issued them."""
    await _readable_filing(uow, query)
    issued = await repo.list_issued_documents(uow.conn, query.tracking_number)
    if query.code is None:
        receipts = [row for row in issued if row["document"] == "receipt"]
        if not receipts:
            raise NotIssuedYet("The receipt is being issued: try again in a few seconds.")
        return dict(receipts[-1])
    found = next((row for row in issued if row["code"] == query.code), None)
    if found is None:
        raise IssuedDocumentNotFound("The filing has no issued document with this code.")
    return dict(found)


async def list_opinions(query: ListOpinions, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    calendar = deps.calendar
    since = calendar.start_of_day(query.published_from) if query.published_from else None
    before = calendar.start_of_day(query.published_to + timedelta(days=1)) if query.published_to else None
    rows, total = await repo.list_opinions(uow.conn, kind=query.kind, since=since, before=before, limit=query.limit,
                                           offset=query.offset)
    return {"items": [dict(r) for r in rows], "total": total, "limit": query.limit, "offset": query.offset}
