"""Staff commands on a task: claim, observations, decision, finance steps."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.review.domain.commands import Actor, ClaimTask, DecideTask, IssueObservations, RecordStep
from services.review.domain.deadlines import Deadline
from services.review.domain.errors import Forbidden
from services.review.domain.task import Task
from services.review.handlers.common import change_task, spec_of
from shared.envelope import EventData
from shared.lifecycle import Action

Result = tuple[Task, list[Deadline]]


def ensure_path_role(task: Task, actor: Actor) -> None:
    """Supplier invoices are claimed and decided by finance staff only."""
    if spec_of(task.kind).review_path == "finance" and not actor.roles & {"finance", "admin"}:
        raise Forbidden(f"A {task.kind} is handled by finance staff (role finance).")


async def claim_task(pool: asyncpg.Pool, command: ClaimTask, *, correlation_id: str, now: datetime) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        ensure_path_role(task, command.actor)
        return [task.claim(command.actor.sub)], None

    return await change_task(pool, command.task_id, actor=command.actor.sub, action=Action.CLAIM, change=change,
                             correlation_id=correlation_id, now=now)


async def issue_observations(
    pool: asyncpg.Pool, command: IssueObservations, *, correlation_id: str, now: datetime
) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        event = task.issue_observations(command.actor.sub, command.observations)
        return [event], event.observations

    return await change_task(pool, command.task_id, actor=command.actor.sub, action=Action.ISSUE_OBSERVATIONS,
                             change=change, correlation_id=correlation_id, now=now)


async def decide_task(pool: asyncpg.Pool, command: DecideTask, *, correlation_id: str, now: datetime) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        ensure_path_role(task, command.actor)
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        event = task.decide(command.actor.sub, command.outcome, command.text, spec_of(task.kind),
                            note=command.note, preliminary_observations=command.preliminary_observations)
        return [event], f"{event.outcome}: {event.text}"

    return await change_task(pool, command.task_id, actor=command.actor.sub, action=Action.DECIDE, change=change,
                             correlation_id=correlation_id, now=now)


async def record_step(pool: asyncpg.Pool, command: RecordStep, *, correlation_id: str, now: datetime) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        event = task.record_step(command.actor.sub, spec_of(task.kind), command.step, command.note)
        return [event], event.step + (f": {event.note}" if event.note else "")

    return await change_task(pool, command.task_id, actor=command.actor.sub, action=Action.RECORD_STEP,
                             change=change, correlation_id=correlation_id, now=now)
