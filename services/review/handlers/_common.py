"""What every review handler shares (private to handlers/): the one way a task changes (lock,
apply, deadlines, history, events through the unit of work), and the task as the asker sees it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import asyncpg
import structlog

from services.review import repository
from services.review.deps import ReviewDeps
from services.review.domain import deadlines as deadline_rules
from services.review.domain.audit import AuditAction
from services.review.domain.commands import Actor, TaskCommand
from services.review.domain.deadlines import Deadline
from services.review.domain.errors import TaskNotFound
from services.review.domain.task import Task
from services.review.domain.views import Seeing, TaskView, view_task
from shared.envelope import EventData
from shared.events import ReviewTaskQueued
from shared.lifecycle import Status
from shared.unit_of_work import UnitOfWork

APPLICANT = "applicant"  # the history's actor for what the applicant did (intake's events)
log = structlog.get_logger()

# What a staff command does to a locked task: the events to emit and the audit note.
Change = Callable[[asyncpg.Connection, Task], Awaitable[tuple[list[EventData], str | None]]]


async def commit_change(uow: UnitOfWork, deps: ReviewDeps, task: Task, *, actor: str, action: AuditAction,
                        before: Status, events: Sequence[EventData] = (), note: str | None = None,
                        restart_deadlines: bool = False) -> list[Deadline]:
    """Write a changed task: its deadlines brought in line with its status (paused, resumed, met;
    or run afresh, for a contested decision), one history row, and its events (a queued task
    announces its nearest deadline as it now stands)."""
    await repository.update_task(uow.conn, task)
    now = deps.clock()
    deadlines = (await repository.deadlines_of(uow.conn, [task.id]))[task.id]
    if restart_deadlines:
        deadline_rules.restart(deadlines, now, deps.calendar)
    deadline_rules.follow(deadlines, task.status, now, deps.calendar)
    await repository.update_deadlines(uow.conn, task.id, deadlines)
    await repository.add_history(uow.conn, task, actor=actor, action=action, from_status=before, note=note)
    for event in events:
        if isinstance(event, ReviewTaskQueued):
            event.due_at = deadline_rules.nearest_due_at(deadlines, deps.calendar)
        uow.emit(event, subject=task.tracking_number)
    log.info("task_changed", task_id=str(task.id), action=str(action), status=task.status, version=task.version)
    return deadlines


async def change_task(uow: UnitOfWork, deps: ReviewDeps, command: TaskCommand, *, action: AuditAction,
                      change: Change) -> TaskView:
    """Lock the task, check the policy allows the command on its kind (and, for the commands
    only its assignee may give, that this person may), apply ``change``, then commit it."""
    # The row lock serialises concurrent commands on one task; the loser then meets the new
    # status and the transition table refuses it.
    task = await repository.get_task(uow.conn, command.task_id, for_update=True)
    if task is None:
        raise TaskNotFound(f"There is no task {command.task_id}.")
    deps.policy.ensure(command.actor.roles, command.ACTION, task.kind)
    if command.ASSIGNEE_ONLY:
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.acts_for_others)
    before = task.status
    events, note = await change(uow.conn, task)
    deadlines = await commit_change(uow, deps, task, actor=command.actor.sub, action=action, before=before,
                                    events=events, note=note)
    return await seen(uow, deps, task, deadlines, command.actor)


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


def seeing(deps: ReviewDeps, actor: Actor, at: datetime | None = None) -> Seeing:
    return Seeing(actor=actor, at=at or deps.clock(), policy=deps.policy, calendar=deps.calendar,
                  margin_days=deps.settings.deadline_margin_days)


def is_committee_task(deps: ReviewDeps, task: Task) -> bool:
    spec = deps.catalogue.kinds.get(task.kind)
    return spec is not None and spec.review_path == "committee"


async def seen(uow: UnitOfWork, deps: ReviewDeps, task: Task, deadlines: list[Deadline], actor: Actor, *,
               history: Sequence[dict[str, Any]] = ()) -> TaskView:
    """The task as ``actor`` sees it now (its committee opinions read for a committee kind)."""
    opinions = await repository.opinions(uow.conn, task.id) if is_committee_task(deps, task) else []
    return view_task(task, deadlines, deps.catalogue.kinds.get(task.kind), seeing(deps, actor),
                     opinions=opinions, history=history)
