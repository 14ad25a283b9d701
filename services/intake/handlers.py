"""Intake's application logic: one function per command (filing, answer, withdrawal, status)
and per event it follows (review progress, emails sent)."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import structlog

from services.intake import repository as repo
from services.intake.domain import idempotency
from services.intake.domain.documents import CheckedDocument
from services.intake.domain.filings import Filing
from services.intake.domain.identifiers import hash_token, new_access_token, new_tracking_number, token_matches
from services.intake.domain.public_status import status_after_decision_email, status_after_review_event
from shared.envelope import Envelope, utcnow
from shared.events import (
    Applicant,
    DocumentRef,
    NotificationFailed,
    NotificationSent,
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
    return [DocumentRef(name=d.name, sha256=d.sha256, size=d.size, content_type=d.content_type) for d in documents]


async def file_submission(pool: asyncpg.Pool, command: FileSubmission) -> dict:
    """Store the filing, its documents and submission.received in one transaction."""
    key = command.idempotency_key
    fingerprint = idempotency.request_fingerprint(command.filing.model_dump(mode="json"),
                                                  [d.sha256 for d in command.documents])
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
    )
    async with pool.acquire() as conn, conn.transaction():
        await repo.insert_submission(
            conn, tracking_number=tracking_number, kind=filing.kind, status=Status.RECEIVED, token_hash=hash_token(token),
            applicant=applicant, details=filing.details(), correlation_id=command.correlation_id, received_at=now,
        )
        await repo.insert_documents(conn, tracking_number, command.documents)
        await repo.add_timeline(conn, tracking_number, at=now, step="received", status=Status.RECEIVED,
                                detail={"documents": len(command.documents)})
        await outbox.add(conn, Envelope.new(event, source=SOURCE, subject=tracking_number,
                                            correlation_id=command.correlation_id))
        if command.idempotency_key is not None:
            await repo.insert_idempotent(conn, idempotency.key_id(command.idempotency_key), fingerprint,
                                         tracking_number, idempotency.seal(command.idempotency_key, answer))
    log.info("filing_received", tracking_number=tracking_number, kind=filing.kind, documents=len(command.documents))
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
    return {
        "tracking_number": row["tracking_number"],
        "kind": row["kind"],
        "status": row["status"],
        "received_at": row["received_at"],
        "updated_at": row["updated_at"],
        "observations": [
            {"at": t["at"], "text": t["detail"]["observations"]} for t in timeline if t["step"] == "observations_issued"
        ],
        "decision": row["decision"],
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


async def follow_review(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """A review or committee event: move the public status (newer versions only), log a step."""
    event = envelope.parse(TaskEvent)
    row = await repo.get_submission(conn, event.tracking_number, for_update=True)
    if row is None:
        raise LookupError(f"review event for an unknown filing {event.tracking_number}")
    step = envelope.type.split(".")[1].removeprefix("task_")
    new_status = status_after_review_event(Status(row["status"]), row["review_version"], event.status,
                                           event.version, row["decision_emailed"])
    changes: dict = {"review_version": max(row["review_version"], event.version)}
    if new_status is not None:
        changes["status"] = new_status
    detail: dict = {}
    if step == "observations_issued":
        detail["observations"] = envelope.data["observations"]
    if step == "decided":
        changes["decision"] = {"outcome": envelope.data["outcome"], "text": envelope.data["text"],
                               "at": envelope.time.isoformat()}
        detail["outcome"] = envelope.data["outcome"]
    await repo.update_submission(conn, event.tracking_number, **changes)
    await repo.add_timeline(conn, event.tracking_number, at=envelope.time, step=step, status=event.status,
                            detail=detail, event_id=envelope.id)


async def follow_notification(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """An email went out (or failed): a timeline step; the decision email closes the filing."""
    sent = envelope.type == NotificationSent.TYPE
    event = envelope.parse(NotificationSent if sent else NotificationFailed)
    row = await repo.get_submission(conn, event.tracking_number, for_update=True)
    if row is None:
        raise LookupError(f"notification for an unknown filing {event.tracking_number}")
    new_status = None
    if sent and event.template == "decision":
        new_status = status_after_decision_email(Status(row["status"]))
        changes = {"decision_emailed": True, **({"status": new_status} if new_status else {})}
        await repo.update_submission(conn, event.tracking_number, **changes)
    await repo.add_timeline(conn, event.tracking_number, at=envelope.time,
                            step="email_sent" if sent else "email_failed", status=new_status,
                            detail={"template": event.template}, event_id=envelope.id)
    if new_status is not None:
        await repo.add_timeline(conn, event.tracking_number, at=envelope.time, step="closed", status=new_status)
