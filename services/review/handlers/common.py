"""What every review handler shares: the one way a task changes (lock, apply, deadlines,
history, events through the unit of work)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import structlog

from services.review import repository
from services.review.deps import ReviewDeps
from services.review.domain import deadlines as clock_rules
from services.review.domain.commands import TaskCommand
from services.review.domain.deadlines import Deadline
from services.review.domain.errors import TaskNotFound
from services.review.domain.task import Task
from shared.envelope import EventData
from shared.unit_of_work import UnitOfWork

APPLICANT = "applicant"
log = structlog.get_logger()

# What a staff command does to a locked task: the events to emit and the audit note.
Change = Callable[[asyncpg.Connection, Task], Awaitable[tuple[list[EventData], str | None]]]


async def save(uow: UnitOfWork, deps: ReviewDeps, task: Task) -> list[Deadline]:
    """Write the task and bring its deadlines in line with its status (pause, resume, met)."""
    await repository.update_task(uow.conn, task)
    deadlines = (await repository.deadlines_of(uow.conn, [task.id]))[task.id]
    clock_rules.follow(deadlines, task.status, deps.clock(), deps.calendar)
    await repository.update_deadlines(uow.conn, task.id, deadlines)
    return deadlines


async def change_task(uow: UnitOfWork, deps: ReviewDeps, command: TaskCommand, *, action: str,
                      change: Change) -> tuple[Task, list[Deadline]]:
    """Lock the task, check the policy allows the command on its kind, apply ``change``, save
    the task with its deadlines, append the audit row (``action``) and emit the events."""
    # The row lock serialises concurrent commands on one task; the loser then meets the new
    # status and the transition table refuses it.
    task = await repository.get_task(uow.conn, command.task_id, for_update=True)
    if task is None:
        raise TaskNotFound(f"There is no task {command.task_id}.")
    deps.policy.ensure(command.actor.roles, command.ACTION, task.kind)
    actor = command.actor.sub
    before = task.status
    events, note = await change(uow.conn, task)
    deadlines = await save(uow, deps, task)
    await repository.add_history(uow.conn, task, actor=actor, action=str(action), from_status=before, note=note)
    for event in events:
        uow.emit(event, subject=task.tracking_number)
    log.info("task_changed", task_id=str(task.id), action=str(action), status=task.status, version=task.version)
    return task, deadlines


async def readable_task(uow: UnitOfWork, deps: ReviewDeps, query: TaskCommand) -> Task:
    """The task a query is about, if the policy lets the asker take ``query.ACTION`` on its kind."""
    task = await repository.get_task(uow.conn, query.task_id)
    if task is None:
        raise TaskNotFound(f"There is no task {query.task_id}.")
    deps.policy.ensure(query.actor.roles, query.ACTION, task.kind)
    return task


async def task_of(uow: UnitOfWork, tracking_number: str) -> Task:
    """The task of a filing, locked; an event about a filing whose task is not there yet fails,
    so it is retried."""
    task = await repository.get_task_by_tracking_number(uow.conn, tracking_number, for_update=True)
    if task is None:
        raise TaskNotFound(f"no task for {tracking_number} yet")
    return task
