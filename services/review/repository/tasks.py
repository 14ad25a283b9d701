"""Tasks and their append-only history (which is also the audit trail)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from services.review.domain.audit import AuditAction
from services.review.domain.commands import TaskFilter
from services.review.domain.finance import STAGES
from services.review.domain.task import Task
from shared.lifecycle import OPEN_STATES, Status

_FIELDS = (
    "id", "tracking_number", "kind", "status", "version", "assignee", "applicant", "details", "documents",
    "messages", "observations", "decision", "created_at", "updated_at", "received_at", "previous", "steps",
    "committee_round", "session_id", "contested", "contest",
)
_COLUMNS = ", ".join(_FIELDS)
_MUTABLE = ("status", "version", "assignee", "documents", "messages", "observations", "decision", "updated_at",
            "steps", "committee_round", "session_id", "contested", "contest")
_OPEN = [s.value for s in OPEN_STATES]


def _task(row: asyncpg.Record) -> Task:
    values = dict(row)
    values["status"] = Status(values["status"])
    return Task(**values)


def _value(task: Task, name: str) -> Any:
    value = getattr(task, name)
    return value.value if isinstance(value, Status) else value


async def insert_task(conn: asyncpg.Connection, task: Task) -> bool:
    """False if a task for this tracking number already exists (nothing is written then)."""
    placeholders = ", ".join(f"${n}" for n in range(1, len(_FIELDS) + 1))
    inserted = await conn.fetchval(
        f"INSERT INTO tasks ({_COLUMNS}) VALUES ({placeholders}) ON CONFLICT (tracking_number) DO NOTHING "
        "RETURNING true",
        *(_value(task, name) for name in _FIELDS),
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
    sets = ", ".join(f"{name} = ${n}" for n, name in enumerate(_MUTABLE, start=2))
    await conn.execute(f"UPDATE tasks SET {sets} WHERE id = $1", task.id, *(_value(task, n) for n in _MUTABLE))


async def add_history(
    conn: asyncpg.Connection,
    task: Task,
    *,
    actor: str,
    action: AuditAction,
    from_status: Status | None,
    note: str | None = None,
) -> None:
    """One audit row: who, what, on which filing, the status before and after (``at`` is now)."""
    await conn.execute(
        "INSERT INTO task_history (task_id, tracking_number, actor, action, from_status, to_status, note) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        task.id, task.tracking_number, actor, str(action), from_status.value if from_status else None,
        task.status.value, note,
    )


async def history(conn: asyncpg.Connection, task_id: UUID) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT at, actor, action, tracking_number, from_status, to_status, note FROM task_history "
        "WHERE task_id = $1 ORDER BY id",
        task_id,
    )
    return [dict(row) for row in rows]


async def list_tasks(
    conn: asyncpg.Connection, where: TaskFilter, *, limit: int, offset: int
) -> tuple[list[Task], int]:
    """One page of tasks, oldest first (or nearest deadline first), and how many match in all."""
    clauses, args = [], []
    for column, value in (
        ("status", where.status.value if where.status else None),
        ("kind", where.kind),
        ("assignee", where.assignee),
        ("tracking_number", where.tracking_number),
        ("session_id", where.session_id),
    ):
        if value is not None:
            args.append(value)
            clauses.append(f"{column} = ${len(args)}")
    if where.kinds is not None:
        args.append(sorted(where.kinds))
        clauses.append(f"kind = ANY(${len(args)}::text[])")
    if where.overdue_on is not None:
        args.extend([where.overdue_on, _OPEN])
        clauses.append(
            f"status = ANY(${len(args)}) AND EXISTS (SELECT 1 FROM deadlines d WHERE d.task_id = tasks.id "
            f"AND d.met_at IS NULL AND d.due_on < ${len(args) - 1})"
        )
    if where.due_by is not None:
        args.extend([where.due_by, _OPEN])
        clauses.append(
            f"status = ANY(${len(args)}) AND EXISTS (SELECT 1 FROM deadlines d WHERE d.task_id = tasks.id "
            f"AND d.met_at IS NULL AND d.due_on <= ${len(args) - 1})"
        )
    if where.finance_stage is not None:  # the stage's rule (domain/finance.py), in SQL
        rule = STAGES[where.finance_stage]
        args.append(sorted(status.value for status in rule.statuses))
        clauses.append(f"status = ANY(${len(args)}::text[])")
        if rule.steps is not None:
            args.append(list(rule.steps))
            clauses.append(f"jsonb_path_query_array(steps, '$[*].step') = ${len(args)}::jsonb")
        if rule.outcome is not None:
            args.append(rule.outcome)
            clauses.append(f"decision->>'outcome' = ${len(args)}")
    if where.last_step == "none":
        clauses.append("jsonb_array_length(steps) = 0")
    elif where.last_step is not None:
        args.append(where.last_step)
        clauses.append(f"steps->-1->>'step' = ${len(args)}")
    condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    order = "created_at, id"
    if where.by_due:
        order = ("(SELECT min(d.due_on) FROM deadlines d WHERE d.task_id = tasks.id AND d.met_at IS NULL) "
                 "ASC NULLS LAST, created_at, id")
    total = await conn.fetchval(f"SELECT count(*) FROM tasks{condition}", *args)
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM tasks{condition} ORDER BY {order} LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
        *args, limit, offset,
    )
    return [_task(row) for row in rows], total
