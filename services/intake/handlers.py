"""Intake's application logic: one function per command (filing, answer, withdrawal, contest,
status) and per event it follows (review progress, published opinions, emails sent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
import structlog

from services.intake import repository as repo
from services.intake.domain import idempotency
from services.intake.domain.documents import CheckedDocument
from services.intake.domain.filings import Filing
from services.intake.domain.follow_ups import contest_refusal, previous_pre_study_refusal
from services.intake.domain.identifiers import hash_token, new_access_token, new_tracking_number, token_matches
from services.intake.domain.public_status import (
    HIDDEN_STEPS,
    decision_of,
    public_decision,
    public_detail,
    status_after_decision_email,
    status_after_review_event,
    step_of,
)
from shared.catalogue import Kind
from shared.envelope import Envelope, utcnow
from shared.events import (
    Applicant,
    CommitteeOpinionPublished,
    DocumentRef,
    NotificationFailed,
    NotificationSent,
    SubmissionContested,
    SubmissionReceived,
    SubmissionResubmitted,
    SubmissionWithdrawn,
    TaskEvent,
)
from shared.lifecycle import Action, Status, next_status
from shared.messaging import outbox
from shared.problems import Problem

log = structlog.get_logger()
SOURCE = "intake"
NOT_FOUND = Problem(404, "Not found", "No filing with this tracking number and access token.")


@dataclass(frozen=True)
class FileSubmission:
    filing: Filing
    documents: list[CheckedDocument]
    idempotency_key: str | None
    correlation_id: str


def _refs(documents: list[CheckedDocument]) -> list[DocumentRef]:
    return [DocumentRef(name=d.name, type=d.type, sha256=d.sha256, size=d.size, content_type=d.content_type)
            for d in documents]


async def check_previous_filing(pool: asyncpg.Pool, filing: Filing) -> None:
    """A pre-study filed again links an earlier, decided pre-study of the same applicant (422 otherwise)."""
    if filing.previous is None:
        return
    async with pool.acquire() as conn:
        row = await repo.get_submission(conn, filing.previous)
    previous = None if row is None else {"kind": row["kind"], "status": row["status"],
                                         "email": row["applicant"]["email"]}
    refusal = previous_pre_study_refusal(previous, filing.applicant.email)
    if refusal is not None:
        raise Problem(422, "Invalid request", refusal, errors=[
            {"field": f"body.{filing.kind}.previous_tracking_number", "message": refusal, "code": "previous_filing"}])


async def file_submission(pool: asyncpg.Pool, command: FileSubmission) -> dict:
    """Store the filing, its documents and submission.received in one transaction."""
    key = command.idempotency_key
    fingerprint = idempotency.request_fingerprint(command.filing.model_dump(mode="json"),
                                                  [f"{d.type or ''}:{d.sha256}" for d in command.documents])
    if key is not None and (earlier := await _earlier_answer(pool, key, fingerprint)) is not None:
        return earlier
    try:
        return await _store_filing(pool, command, fingerprint)
    except asyncpg.UniqueViolationError:
        # The same Idempotency-Key committed first in a concurrent request: answer as it did.
        if key is not None and (earlier := await _earlier_answer(pool, key, fingerprint)) is not None:
            return earlier
        raise


async def _earlier_answer(pool: asyncpg.Pool, key: str, fingerprint: bytes) -> dict | None:
    async with pool.acquire() as conn:
        row = await repo.find_idempotent(conn, idempotency.key_id(key))
    if row is None:
        return None
    if bytes(row["fingerprint"]) != fingerprint:
        raise Problem(422, "Idempotency-Key reused", "This Idempotency-Key was already used for a different filing.")
    log.info("filing_replayed_for_idempotency_key")
    return {**idempotency.unseal(key, row["sealed_answer"]), "replayed": True}


async def _store_filing(pool: asyncpg.Pool, command: FileSubmission, fingerprint: bytes) -> dict:
    filing, now = command.filing, utcnow()
    tracking_number, token = new_tracking_number(now), new_access_token()
    applicant = filing.applicant.model_dump(mode="json", exclude_none=True)
    answer = {"tracking_number": tracking_number, "access_token": token, "status": Status.RECEIVED.value}
    event = SubmissionReceived(
        tracking_number=tracking_number, kind=filing.kind, received_at=now,
        applicant=Applicant.model_validate(applicant), details=filing.details(), documents=_refs(command.documents),
        previous_tracking_number=filing.previous,
    )
    async with pool.acquire() as conn, conn.transaction():
        await repo.insert_submission(
            conn, tracking_number=tracking_number, kind=filing.kind, status=Status.RECEIVED, token_hash=hash_token(token),
            applicant=applicant, details=filing.details(), correlation_id=command.correlation_id, received_at=now,
            previous_tracking_number=filing.previous,
        )
        await repo.insert_documents(conn, tracking_number, command.documents)
        await repo.add_timeline(conn, tracking_number, at=now, step="received", status=Status.RECEIVED,
                                detail={"documents": len(command.documents)})
        await outbox.add(conn, Envelope.new(event, source=SOURCE, subject=tracking_number,
                                            correlation_id=command.correlation_id))
        if command.idempotency_key is not None:
            await repo.insert_idempotent(conn, idempotency.key_id(command.idempotency_key), fingerprint,
                                         tracking_number, idempotency.seal(command.idempotency_key, answer))
    log.info("filing_received", tracking_number=tracking_number, kind=filing.kind, documents=len(command.documents),
             follows=filing.previous)
    return answer


async def _own_filing(conn: asyncpg.Connection, tracking_number: str, token: str | None) -> asyncpg.Record:
    row = await repo.get_submission(conn, tracking_number, for_update=True)
    if row is None or not token_matches(token, row["access_token_hash"]):
        raise NOT_FOUND  # the same answer whether the number or the token is wrong: no hint
    return row


async def public_view(pool: asyncpg.Pool, tracking_number: str, token: str | None) -> dict:
    async with pool.acquire() as conn:
        row = await repo.get_submission(conn, tracking_number)
        if row is None or not token_matches(token, row["access_token_hash"]):
            raise NOT_FOUND
        timeline = await repo.list_timeline(conn, tracking_number)
        documents = await repo.list_documents(conn, tracking_number)
    contest = row["contest"]
    return {
        "tracking_number": row["tracking_number"],
        "kind": row["kind"],
        "status": row["status"],
        "received_at": row["received_at"],
        "updated_at": row["updated_at"],
        "previous_tracking_number": row["previous_tracking_number"],
        "observations": [
            {"at": t["at"], "text": t["detail"]["observations"]} for t in timeline if t["step"] == "observations_issued"
        ],
        "decision": public_decision(row["decision"]),
        "contest": None if contest is None else {
            "at": contest["at"], "motive": contest["motive"],
            "contested_decision": public_decision(contest["superseded_decision"])},
        "documents": [dict(d) for d in documents],
        "timeline": [dict(t) for t in timeline],
    }


async def respond_to_observations(pool: asyncpg.Pool, tracking_number: str, token: str | None, message: str,
                                  documents: list[CheckedDocument], correlation_id: str) -> dict:
    async with pool.acquire() as conn, conn.transaction():
        row = await _own_filing(conn, tracking_number, token)
        status = next_status(row["status"], Action.RESUBMIT)
        await repo.update_submission(conn, tracking_number, status=status)
        await repo.insert_documents(conn, tracking_number, documents)
        await repo.add_timeline(conn, tracking_number, at=utcnow(), step="resubmitted", status=status,
                                detail={"documents": len(documents)})
        event = SubmissionResubmitted(tracking_number=tracking_number, kind=row["kind"], message=message,
                                      documents=_refs(documents))
        await outbox.add(conn, Envelope.new(event, source=SOURCE, subject=tracking_number, correlation_id=correlation_id))
    log.info("filing_resubmitted", tracking_number=tracking_number, documents=len(documents))
    return {"tracking_number": tracking_number, "status": status.value}


async def withdraw_filing(pool: asyncpg.Pool, tracking_number: str, token: str | None, reason: str | None,
                          correlation_id: str) -> dict:
    async with pool.acquire() as conn, conn.transaction():
        row = await _own_filing(conn, tracking_number, token)
        status = next_status(row["status"], Action.WITHDRAW)
        await repo.update_submission(conn, tracking_number, status=status)
        await repo.add_timeline(conn, tracking_number, at=utcnow(), step="withdrawn", status=status)
        event = SubmissionWithdrawn(tracking_number=tracking_number, kind=row["kind"], reason=reason)
        await outbox.add(conn, Envelope.new(event, source=SOURCE, subject=tracking_number, correlation_id=correlation_id))
    log.info("filing_withdrawn", tracking_number=tracking_number)
    return {"tracking_number": tracking_number, "status": status.value}


async def contest_decision(pool: asyncpg.Pool, kind_of: Callable[[str], Kind], tracking_number: str,
                           token: str | None, motive: str, correlation_id: str) -> dict:
    """The applicant contests a rejected committee decision, once: review reopens (status queued).

    ``kind_of(name)`` gives the kind's catalogue entry (its review path)."""
    async with pool.acquire() as conn, conn.transaction():
        row = await _own_filing(conn, tracking_number, token)
        refusal = contest_refusal(review_path=kind_of(row["kind"]).review_path, status=row["status"],
                                  decision=row["decision"], contested=row["contest"] is not None)
        if refusal is not None:
            raise Problem(409, "Cannot contest", refusal)
        status, now = next_status(row["status"], Action.CONTEST), utcnow()
        contest = {"motive": motive, "at": now.isoformat(), "superseded_decision": row["decision"]}
        await repo.update_submission(conn, tracking_number, status=status, decision=None, decision_emailed=False,
                                     contest=contest)
        await repo.add_timeline(conn, tracking_number, at=now, step="contested", status=status)
        event = SubmissionContested(tracking_number=tracking_number, kind=row["kind"], motive=motive)
        await outbox.add(conn, Envelope.new(event, source=SOURCE, subject=tracking_number, correlation_id=correlation_id))
    log.info("decision_contested", tracking_number=tracking_number)
    return {"tracking_number": tracking_number, "status": status.value}


async def list_opinions(pool: asyncpg.Pool, *, kind: str | None, limit: int, offset: int) -> dict:
    async with pool.acquire() as conn:
        rows, total = await repo.list_opinions(conn, kind=kind, limit=limit, offset=offset)
    return {"items": [dict(r) for r in rows], "total": total, "limit": limit, "offset": offset}


async def follow_review(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """A review or committee event: move the public status (newer versions only), log a step
    (without staff names; a member's own opinion is not shown at all)."""
    event = envelope.parse(TaskEvent)
    row = await repo.get_submission(conn, event.tracking_number, for_update=True)
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
    await repo.update_submission(conn, event.tracking_number, **changes)
    if step not in HIDDEN_STEPS:
        await repo.add_timeline(conn, event.tracking_number, at=envelope.time, step=step, status=event.status,
                                detail=public_detail(step, envelope.data), event_id=envelope.id)


async def follow_published_opinion(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """The committee's published opinion: a public step, and a row of GET /api/v1/opinions."""
    await follow_review(conn, envelope)
    event = envelope.parse(CommitteeOpinionPublished)
    row = await repo.get_submission(conn, event.tracking_number)
    details = row["details"]
    await repo.insert_opinion(
        conn, event_id=envelope.id, tracking_number=event.tracking_number, kind=event.kind,
        commune=details.get("commune"), project=details.get("project_title") or details.get("subtype"),
        opinion=event.opinion, motive=event.motive, session_date=event.session_date, published_at=envelope.time,
    )


async def follow_notification(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """An email went out (or failed): a timeline step; the decision email closes the filing."""
    sent = envelope.type == NotificationSent.TYPE
    event = envelope.parse(NotificationSent if sent else NotificationFailed)
    row = await repo.get_submission(conn, event.tracking_number, for_update=True)
    if row is None:
        raise LookupError(f"notification for an unknown filing {event.tracking_number}")
    new_status = None
    superseded = ((row["contest"] or {}).get("superseded_decision") or {}).get("event_id")
    # The email of a decision since contested closes nothing: review has reopened.
    if sent and event.template == "decision" and str(event.cause_event_id) != superseded:
        new_status = status_after_decision_email(Status(row["status"]))
        changes = {"decision_emailed": True, **({"status": new_status} if new_status else {})}
        await repo.update_submission(conn, event.tracking_number, **changes)
    await repo.add_timeline(conn, event.tracking_number, at=envelope.time,
                            step="email_sent" if sent else "email_failed", status=new_status,
                            detail={"template": event.template}, event_id=envelope.id)
    if new_status is not None:
        await repo.add_timeline(conn, event.tracking_number, at=envelope.time, step="closed", status=new_status)
