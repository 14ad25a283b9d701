"""Events from intake, each handled in the consumer's unit of work (with the inbox row), each
change committed as staff commands are (``commit_change``). ``deps.clock`` gives the moment a
deadline pauses or resumes."""

from __future__ import annotations

from typing import Any

import asyncpg

from services.review import repository
from services.review.deps import ReviewDeps
from services.review.domain import deadlines as deadline_rules
from services.review.domain.audit import AuditAction
from services.review.domain.task import Task
from services.review.handlers._common import APPLICANT, commit_change, log, task_of
from shared.envelope import Envelope
from shared.events import SubmissionContested, SubmissionReceived, SubmissionResubmitted, SubmissionWithdrawn
from shared.lifecycle import Status
from shared.unit_of_work import UnitOfWork


async def open_task(envelope: Envelope, uow: UnitOfWork, deps: ReviewDeps) -> None:
    received = envelope.parse(SubmissionReceived)
    spec = deps.catalogue.kind(received.kind)
    conn, calendar = uow.conn, deps.calendar
    planned = deadline_rules.plan(spec.deadlines_for(received.details), received.received_at, calendar)
    task, queued = Task.open(
        tracking_number=received.tracking_number,
        kind=received.kind,
        applicant=received.applicant.model_dump(mode="json"),
        details=received.details,
        documents=[document.model_dump(mode="json") for document in received.documents],
        received_at=received.received_at,
        previous=await _previous(conn, received.previous_tracking_number),
        due_at=deadline_rules.nearest_due_at(planned, calendar),
    )
    if not await repository.insert_task(conn, task):
        # Another event for the same filing (the inbox only catches the same event id).
        log.warning("task_already_exists", tracking_number=received.tracking_number)
        return
    await repository.insert_deadlines(conn, task.id, planned)
    await repository.add_history(conn, task, actor=APPLICANT, action=AuditAction.ENQUEUE, from_status=Status.RECEIVED)
    uow.emit(queued)
    log.info("task_queued", task_id=str(task.id), tracking_number=task.tracking_number, kind=task.kind)


async def _previous(conn: asyncpg.Connection, tracking_number: str | None) -> dict[str, Any] | None:
    """A pre-study filed again: the earlier filing's decision and preliminary observations."""
    if not tracking_number:
        return None
    earlier = await repository.get_task_by_tracking_number(conn, tracking_number)
    if earlier is None:
        log.warning("previous_task_unknown", previous_tracking_number=tracking_number)
        return {"tracking_number": tracking_number, "task_id": None, "decision": None, "preliminary_observations": []}
    decision = earlier.decision or {}
    return {
        "tracking_number": tracking_number,
        "task_id": str(earlier.id),
        "decision": {"outcome": decision.get("outcome"), "text": decision.get("text"), "at": decision.get("at")}
        if earlier.decision else None,
        "preliminary_observations": decision.get("preliminary_observations", []),
    }


async def take_resubmission(envelope: Envelope, uow: UnitOfWork, deps: ReviewDeps) -> None:
    answer = envelope.parse(SubmissionResubmitted)
    task = await task_of(uow, answer.tracking_number)
    documents = [document.model_dump(mode="json") for document in answer.documents]
    before = task.status
    if task.status == Status.AWAITING_APPLICANT:
        # The clock resumes: due dates move by the days waited (the queued event says so).
        events, action = [task.resubmit(answer.message, documents)], AuditAction.RESUBMIT
    else:
        # Not waiting for the applicant: keep what they sent, change nothing else (raising
        # would only park the event).
        task.record_applicant_material(answer.message, documents)
        events, action = [], AuditAction.APPLICANT_MESSAGE
    await commit_change(uow, deps, task, actor=APPLICANT, action=action, before=before, events=events,
                        note=f"{len(documents)} document(s)")


async def withdraw_task(envelope: Envelope, uow: UnitOfWork, deps: ReviewDeps) -> None:
    withdrawn = envelope.parse(SubmissionWithdrawn)
    task = await task_of(uow, withdrawn.tracking_number)
    if not task.is_open:
        log.info("task_withdrawal_ignored", task_id=str(task.id), status=task.status)
        return
    before = task.status
    task.withdraw()
    await commit_change(uow, deps, task, actor=APPLICANT, action=AuditAction.WITHDRAW, before=before)


async def reopen_contested(envelope: Envelope, uow: UnitOfWork, deps: ReviewDeps) -> None:
    """The applicant contests the committee's decision: reviewed again, once, each deadline
    afresh. A second contest (or one that does not fit the task) is logged and ignored, never
    parked."""
    contested = envelope.parse(SubmissionContested)
    task = await task_of(uow, contested.tracking_number)
    if task.contested or task.status not in (Status.DECIDED, Status.CLOSED):
        reason = "already contested" if task.contested else f"task is {task.status.value}"
        log.warning("contest_ignored", task_id=str(task.id), reason=reason)
        return
    before = task.status
    queued = task.contest_decision(contested.motive, deps.clock())
    await commit_change(uow, deps, task, actor=APPLICANT, action=AuditAction.CONTEST, before=before, events=[queued],
                        note=contested.motive, restart_deadlines=True)
