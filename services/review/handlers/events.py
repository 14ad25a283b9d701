"""Events from intake, handled inside the consumer's transaction (with the inbox row).
``clock`` gives the moment a deadline pauses or resumes (bootstrap binds it)."""

from __future__ import annotations

from typing import Any

import asyncpg

from services.review import repository
from services.review.domain import deadlines as clock_rules
from services.review.domain.errors import TaskNotFound
from services.review.domain.task import Task
from services.review.handlers.common import APPLICANT, CALENDAR, SERVICE, Clock, log, save, spec_of, system_clock
from shared.envelope import Envelope
from shared.events import SubmissionContested, SubmissionReceived, SubmissionResubmitted, SubmissionWithdrawn
from shared.lifecycle import Action, Status
from shared.messaging import outbox


async def open_task(conn: asyncpg.Connection, envelope: Envelope, *, clock: Clock = system_clock) -> None:
    received = envelope.parse(SubmissionReceived)
    spec = spec_of(received.kind)
    planned = clock_rules.plan(spec.deadlines_for(received.details), received.received_at, CALENDAR)
    task, queued = Task.open(
        tracking_number=received.tracking_number,
        kind=received.kind,
        applicant=received.applicant.model_dump(mode="json"),
        details=received.details,
        documents=[document.model_dump(mode="json") for document in received.documents],
        received_at=received.received_at,
        previous=await _previous(conn, received.previous_tracking_number),
        due_at=clock_rules.nearest_due_at(planned, CALENDAR),
    )
    if not await repository.insert_task(conn, task):
        # Another event for the same filing (the inbox only catches the same event id).
        log.warning("task_already_exists", tracking_number=received.tracking_number)
        return
    await repository.insert_deadlines(conn, task.id, planned)
    await repository.add_history(conn, task, actor=APPLICANT, action=Action.ENQUEUE, from_status=Status.RECEIVED)
    await outbox.add(conn, envelope.caused(queued, source=SERVICE))
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


async def take_resubmission(conn: asyncpg.Connection, envelope: Envelope, *, clock: Clock = system_clock) -> None:
    answer = envelope.parse(SubmissionResubmitted)
    task = await _task_of(conn, answer.tracking_number)
    documents = [document.model_dump(mode="json") for document in answer.documents]
    before = task.status
    queued = None
    if task.status == Status.AWAITING_APPLICANT:
        queued = task.resubmit(answer.message, documents)
        action = Action.RESUBMIT.value
    else:
        # Not waiting for the applicant: keep what they sent, change nothing else (raising
        # would only park the event).
        task.record_applicant_material(answer.message, documents)
        action = "applicant_message"
    deadlines = await save(conn, task, clock())  # the clock resumes: due dates move by the days waited
    if queued is not None:
        queued.due_at = clock_rules.nearest_due_at(deadlines, CALENDAR)
        await outbox.add(conn, envelope.caused(queued, source=SERVICE))
    await repository.add_history(conn, task, actor=APPLICANT, action=action, from_status=before,
                                 note=f"{len(documents)} document(s)")
    log.info("task_resubmission_taken", task_id=str(task.id), status=task.status, version=task.version)


async def withdraw_task(conn: asyncpg.Connection, envelope: Envelope, *, clock: Clock = system_clock) -> None:
    withdrawn = envelope.parse(SubmissionWithdrawn)
    task = await _task_of(conn, withdrawn.tracking_number)
    if not task.is_open:
        log.info("task_withdrawal_ignored", task_id=str(task.id), status=task.status)
        return
    before = task.status
    task.withdraw()
    await save(conn, task, clock())
    await repository.add_history(conn, task, actor=APPLICANT, action=Action.WITHDRAW, from_status=before)
    log.info("task_withdrawn", task_id=str(task.id), version=task.version)


async def reopen_contested(conn: asyncpg.Connection, envelope: Envelope, *, clock: Clock = system_clock) -> None:
    """The applicant contests the committee's decision: reviewed again, once. A second
    contest (or one that does not fit the task) is logged and ignored, never parked."""
    contested = envelope.parse(SubmissionContested)
    task = await _task_of(conn, contested.tracking_number)
    if task.contested or task.status not in (Status.DECIDED, Status.CLOSED):
        reason = "already contested" if task.contested else f"task is {task.status.value}"
        log.warning("contest_ignored", task_id=str(task.id), reason=reason)
        return
    now = clock()
    before = task.status
    queued = task.contest_decision(contested.motive, now)
    await repository.update_task(conn, task)
    deadlines = (await repository.deadlines_of(conn, [task.id]))[task.id]
    clock_rules.restart(deadlines, now, CALENDAR)
    await repository.update_deadlines(conn, task.id, deadlines)
    queued.due_at = clock_rules.nearest_due_at(deadlines, CALENDAR)
    await repository.add_history(conn, task, actor=APPLICANT, action=Action.CONTEST, from_status=before,
                                 note=contested.motive)
    await outbox.add(conn, envelope.caused(queued, source=SERVICE))
    log.info("task_contested", task_id=str(task.id), version=task.version)


async def _task_of(conn: asyncpg.Connection, tracking_number: str) -> Task:
    task = await repository.get_task_by_tracking_number(conn, tracking_number, for_update=True)
    if task is None:
        # Its submission.received has not been handled yet: fail, so the event is retried.
        raise TaskNotFound(f"no task for {tracking_number} yet")
    return task
