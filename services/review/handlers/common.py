"""What every handler shares: the service name, the working calendar, the clock type, the
catalogue lookup, and the one way a task changes (lock, apply, deadlines, history, outbox)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from uuid import UUID

import asyncpg
import structlog

from services.review import repository
from services.review.domain import deadlines as clock_rules
from services.review.domain.deadlines import Deadline
from services.review.domain.errors import TaskNotFound
from services.review.domain.task import Task
from shared.calendar import WorkingCalendar
from shared.catalogue import Kind, default_catalogue
from shared.envelope import Envelope, EventData
from shared.messaging import outbox

SERVICE = "review"
APPLICANT = "applicant"
CALENDAR = WorkingCalendar()
Clock = Callable[[], datetime]
log = structlog.get_logger()


def system_clock() -> datetime:
    return datetime.now(UTC)


def spec_of(kind: str) -> Kind:
    return default_catalogue().kind(kind)


async def save(conn: asyncpg.Connection, task: Task, now: datetime) -> list[Deadline]:
    """Write the task and bring its deadlines in line with its status (pause, resume, met)."""
    await repository.update_task(conn, task)
    deadlines = (await repository.deadlines_of(conn, [task.id]))[task.id]
    clock_rules.follow(deadlines, task.status, now, CALENDAR)
    await repository.update_deadlines(conn, task.id, deadlines)
    return deadlines


# What a staff command does to a locked task: the events to publish and the audit note.
Change = Callable[[asyncpg.Connection, Task], Awaitable[tuple[list[EventData], str | None]]]


async def change_task(
    pool: asyncpg.Pool,
    task_id: UUID,
    *,
    actor: str,
    action: str,
    change: Change,
    correlation_id: str,
    now: datetime,
) -> tuple[Task, list[Deadline]]:
    async with pool.acquire() as conn, conn.transaction():
        # The row lock serialises concurrent commands on one task; the loser then meets the
        # new status and the transition table refuses it.
        task = await repository.get_task(conn, task_id, for_update=True)
        if task is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        before = task.status
        events, note = await change(conn, task)
        deadlines = await save(conn, task, now)
        await repository.add_history(conn, task, actor=actor, action=str(action), from_status=before, note=note)
        for event in events:
            await outbox.add(
                conn, Envelope.new(event, source=SERVICE, subject=task.tracking_number, correlation_id=correlation_id)
            )
    log.info("task_changed", task_id=str(task.id), action=str(action), status=task.status, version=task.version)
    return task, deadlines
