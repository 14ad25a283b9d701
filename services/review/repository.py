"""The review service's SQL, and nothing else's (tables in the ``review`` schema)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from services.review.domain.task import Task
from shared.lifecycle import Status

_COLUMNS = (
    "id, tracking_number, kind, status, version, assignee, applicant, details, documents, "
    "messages, observations, decision, created_at, updated_at"
)


def _task(row: asyncpg.Record) -> Task:
    values = dict(row)
    values["status"] = Status(values["status"])
    return Task(**values)


async def insert_task(conn: asyncpg.Connection, task: Task) -> bool:
    """False if a task for this tracking number already exists (nothing is written then)."""
    inserted = await conn.fetchval(
        f"INSERT INTO tasks ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        "ON CONFLICT (tracking_number) DO NOTHING RETURNING true",
        task.id, task.tracking_number, task.kind, task.status.value, task.version, task.assignee,
        task.applicant, task.details, task.documents, task.messages, task.observations, task.decision,
        task.created_at, task.updated_at,
    )
    return bool(inserted)


async def get_task(conn: asyncpg.Connection, task_id: UUID, *, for_update: bool = False) -> Task | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM tasks WHERE id = $1{lock}", task_id)
    return _task(row) if row else None


async def get_task_by_tracking_number(
    conn: asyncpg.Connection, tracking_number: str, *, for_update: bool = False
) -> Task | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM tasks WHERE tracking_number = $1{lock}", tracking_number)
    return _task(row) if row else None


async def update_task(conn: asyncpg.Connection, task: Task) -> None:
    await conn.execute(
        "UPDATE tasks SET status = $2, version = $3, assignee = $4, documents = $5, messages = $6, "
        "observations = $7, decision = $8, updated_at = $9 WHERE id = $1",
        task.id, task.status.value, task.version, task.assignee, task.documents, task.messages,
        task.observations, task.decision, task.updated_at,
    )


async def add_history(
    conn: asyncpg.Connection,
    task_id: UUID,
    *,
    actor: str,
    action: str,
    from_status: Status | None,
    to_status: Status,
    note: str | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO task_history (task_id, actor, action, from_status, to_status, note) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        task_id, actor, str(action), from_status.value if from_status else None, to_status.value, note,
    )


async def history(conn: asyncpg.Connection, task_id: UUID) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT at, actor, action, from_status, to_status, note FROM task_history WHERE task_id = $1 ORDER BY id",
        task_id,
    )
    return [dict(row) for row in rows]


@dataclass(frozen=True)
class TaskFilter:
    status: Status | None = None
    kind: str | None = None
    assignee: str | None = None
    tracking_number: str | None = None


async def list_tasks(
    conn: asyncpg.Connection, where: TaskFilter, *, limit: int, offset: int
) -> tuple[list[Task], int]:
    """One page of tasks, oldest first, and how many match in all."""
    clauses, args = [], []
    for column, value in (
        ("status", where.status.value if where.status else None),
        ("kind", where.kind),
        ("assignee", where.assignee),
        ("tracking_number", where.tracking_number),
    ):
        if value is not None:
            args.append(value)
            clauses.append(f"{column} = ${len(args)}")
    condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    total = await conn.fetchval(f"SELECT count(*) FROM tasks{condition}", *args)
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM tasks{condition} ORDER BY created_at, id "
        f"LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
        *args, limit, offset,
    )
    return [_task(row) for row in rows], total
