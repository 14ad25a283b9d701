"""Staff commands on a task: claim, assignment, observations, decision, finance steps."""

from __future__ import annotations

import asyncpg

from services.review.deps import ReviewDeps
from services.review.domain.audit import AuditAction
from services.review.domain.commands import AssignTask, ClaimTask, DecideTask, IssueObservations, RecordStep
from services.review.domain.task import Task
from services.review.domain.views import TaskView
from services.review.handlers._common import change_task
from shared.envelope import EventData
from shared.unit_of_work import UnitOfWork


async def claim_task(command: ClaimTask, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        return [task.claim(command.actor.sub)], None

    return await change_task(uow, deps, command, action=AuditAction.CLAIM, change=change)


async def assign_task(command: AssignTask, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    """A supervisor gives the task to a colleague (the policy's ``assign``); audited, no event."""
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        before = task.assignee
        task.assign(command.assignee)
        return [], f"{before or '-'} -> {task.assignee}"

    return await change_task(uow, deps, command, action=AuditAction.ASSIGN, change=change)


async def issue_observations(command: IssueObservations, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        event = task.issue_observations(command.actor.sub, command.observations)
        return [event], event.observations

    return await change_task(uow, deps, command, action=AuditAction.ISSUE_OBSERVATIONS, change=change)


async def decide_task(command: DecideTask, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        event = task.decide(command.actor.sub, command.outcome, command.text, deps.catalogue.kind(task.kind),
                            note=command.note, preliminary_observations=command.preliminary_observations)
        return [event], f"{event.outcome}: {event.text}"

    return await change_task(uow, deps, command, action=AuditAction.DECIDE, change=change)


async def record_step(command: RecordStep, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        event = task.record_step(command.actor.sub, deps.catalogue.kind(task.kind), command.step, command.note)
        return [event], event.step + (f": {event.note}" if event.note else "")

    return await change_task(uow, deps, command, action=AuditAction.RECORD_STEP, change=change)
