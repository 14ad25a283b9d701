"""Application logic: one async function per event consumed or staff command.

Each change is one transaction: lock the task, apply the aggregate method, save it, append a
history row, and add the outgoing event to the outbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from services.review import repository
from services.review.domain.commands import ClaimTask, DecideTask, IssueObservations
from services.review.domain.task import Task, TaskNotFound
from services.review.repository import TaskFilter
from shared.envelope import Envelope, EventData
from shared.events import SubmissionReceived, SubmissionResubmitted, SubmissionWithdrawn
from shared.lifecycle import Action, Status
from shared.messaging import outbox

SERVICE = "review"
APPLICANT = "applicant"
log = structlog.get_logger()


# Events from intake (called inside the consumer's transaction, with the inbox row).

async def open_task(conn: asyncpg.Connection, envelope: Envelope) -> None:
    received = envelope.parse(SubmissionReceived)
    task, queued = Task.open(
        tracking_number=received.tracking_number,
        kind=received.kind,
        applicant=received.applicant.model_dump(mode="json"),
        details=received.details,
        documents=[document.model_dump(mode="json") for document in received.documents],
    )
    if not await repository.insert_task(conn, task):
        # Another event for the same filing (the inbox only catches the same event id).
        log.warning("task_already_exists", tracking_number=received.tracking_number)
        return
    await repository.add_history(
        conn, task.id, actor=APPLICANT, action=Action.ENQUEUE, from_status=Status.RECEIVED, to_status=task.status
    )
    await outbox.add(conn, envelope.caused(queued, source=SERVICE))
    log.info("task_queued", task_id=str(task.id), tracking_number=task.tracking_number, kind=task.kind)


async def take_resubmission(conn: asyncpg.Connection, envelope: Envelope) -> None:
    answer = envelope.parse(SubmissionResubmitted)
    task = await _task_of(conn, answer.tracking_number)
    documents = [document.model_dump(mode="json") for document in answer.documents]
    before = task.status
    if task.status == Status.AWAITING_APPLICANT:
        queued = task.resubmit(answer.message, documents)
        await outbox.add(conn, envelope.caused(queued, source=SERVICE))
        action = Action.RESUBMIT.value
    else:
        # Not waiting for the applicant: keep what they sent, change nothing else (raising
        # would only park the event).
        task.record_applicant_material(answer.message, documents)
        action = "applicant_message"
    await repository.update_task(conn, task)
    await repository.add_history(
        conn, task.id, actor=APPLICANT, action=action, from_status=before, to_status=task.status,
        note=f"{len(documents)} document(s)",
    )
    log.info("task_resubmission_taken", task_id=str(task.id), status=task.status, version=task.version)


async def withdraw_task(conn: asyncpg.Connection, envelope: Envelope) -> None:
    withdrawn = envelope.parse(SubmissionWithdrawn)
    task = await _task_of(conn, withdrawn.tracking_number)
    if not task.is_open:
        log.info("task_withdrawal_ignored", task_id=str(task.id), status=task.status)
        return
    before = task.status
    task.withdraw()
    await repository.update_task(conn, task)
    await repository.add_history(
        conn, task.id, actor=APPLICANT, action=Action.WITHDRAW, from_status=before, to_status=task.status
    )
    log.info("task_withdrawn", task_id=str(task.id), version=task.version)


async def _task_of(conn: asyncpg.Connection, tracking_number: str) -> Task:
    task = await repository.get_task_by_tracking_number(conn, tracking_number, for_update=True)
    if task is None:
        # Its submission.received has not been handled yet: fail, so the event is retried.
        raise TaskNotFound(f"no task for {tracking_number} yet")
    return task


# Staff commands.

async def claim_task(pool: asyncpg.Pool, command: ClaimTask, *, correlation_id: str) -> Task:
    def change(task: Task) -> tuple[EventData, str | None]:
        return task.claim(command.actor.sub), None

    return await _change(pool, command.task_id, command.actor.sub, Action.CLAIM, change, correlation_id)


async def issue_observations(pool: asyncpg.Pool, command: IssueObservations, *, correlation_id: str) -> Task:
    def change(task: Task) -> tuple[EventData, str | None]:
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        event = task.issue_observations(command.actor.sub, command.observations)
        return event, event.observations

    return await _change(pool, command.task_id, command.actor.sub, Action.ISSUE_OBSERVATIONS, change, correlation_id)


async def decide_task(pool: asyncpg.Pool, command: DecideTask, *, correlation_id: str) -> Task:
    def change(task: Task) -> tuple[EventData, str | None]:
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        event = task.decide(command.actor.sub, command.outcome, command.text)
        return event, f"{event.outcome}: {event.text}"

    return await _change(pool, command.task_id, command.actor.sub, Action.DECIDE, change, correlation_id)


async def _change(
    pool: asyncpg.Pool,
    task_id: UUID,
    actor: str,
    action: Action,
    change: Callable[[Task], tuple[EventData, str | None]],
    correlation_id: str,
) -> Task:
    async with pool.acquire() as conn, conn.transaction():
        # The row lock serialises concurrent commands on one task; the loser then meets the
        # new status and the transition table refuses it.
        task = await repository.get_task(conn, task_id, for_update=True)
        if task is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        before = task.status
        event, note = change(task)
        await repository.update_task(conn, task)
        await repository.add_history(
            conn, task.id, actor=actor, action=action, from_status=before, to_status=task.status, note=note
        )
        await outbox.add(
            conn, Envelope.new(event, source=SERVICE, subject=task.tracking_number, correlation_id=correlation_id)
        )
    log.info("task_changed", task_id=str(task.id), action=action.value, status=task.status, version=task.version)
    return task


# Queries.

async def find_tasks(pool: asyncpg.Pool, where: TaskFilter, *, limit: int, offset: int) -> tuple[list[Task], int]:
    async with pool.acquire() as conn:
        return await repository.list_tasks(conn, where, limit=limit, offset=offset)


async def task_with_history(pool: asyncpg.Pool, task_id: UUID) -> tuple[Task, list[dict[str, Any]]]:
    async with pool.acquire() as conn:
        task = await repository.get_task(conn, task_id)
        if task is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        return task, await repository.history(conn, task_id)
