"""Staff commands on a task: claim, assignment, observations, decision, finance steps."""

from __future__ import annotations

import asyncpg

from services.review.deps import ReviewDeps
from services.review.domain.commands import AssignTask, ClaimTask, DecideTask, IssueObservations, RecordStep
from services.review.domain.deadlines import Deadline
from services.review.domain.task import Task
from services.review.handlers.common import change_task
from shared.envelope import EventData
from shared.lifecycle import Action
from shared.unit_of_work import UnitOfWork

Result = tuple[Task, list[Deadline]]


async def claim_task(command: ClaimTask, uow: UnitOfWork, deps: ReviewDeps) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        return [task.claim(command.actor.sub)], None

    return await change_task(uow, deps, command, action=Action.CLAIM, change=change)


async def assign_task(command: AssignTask, uow: UnitOfWork, deps: ReviewDeps) -> Result:
    """A supervisor gives the task to a colleague (the policy's ``assign``); audited, no event."""
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        before = task.assignee
        task.assign(command.assignee)
        return [], f"{before or '-'} -> {task.assignee}"

    return await change_task(uow, deps, command, action="assign", change=change)


async def issue_observations(command: IssueObservations, uow: UnitOfWork, deps: ReviewDeps) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        event = task.issue_observations(command.actor.sub, command.observations)
        return [event], event.observations

    return await change_task(uow, deps, command, action=Action.ISSUE_OBSERVATIONS, change=change)


async def decide_task(command: DecideTask, uow: UnitOfWork, deps: ReviewDeps) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        kind = deps.catalogue.kind(task.kind)
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        event = task.decide(command.actor.sub, command.outcome, command.text, kind,
                            note=command.note, preliminary_observations=command.preliminary_observations)
        return [event], f"{event.outcome}: {event.text}"

    return await change_task(uow, deps, command, action=Action.DECIDE, change=change)


async def record_step(command: RecordStep, uow: UnitOfWork, deps: ReviewDeps) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        event = task.record_step(command.actor.sub, deps.catalogue.kind(task.kind), command.step, command.note)
        return [event], event.step + (f": {event.note}" if event.note else "")

    return await change_task(uow, deps, command, action=Action.RECORD_STEP, change=change)
