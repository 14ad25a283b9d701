"""Deadlines of tasks and the alerts already sent for them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from services.review.domain.deadlines import Deadline
from shared.lifecycle import OPEN_STATES

_FIELDS = ("name", "unit", "days", "started_on", "due_on", "met_when", "paused_days", "paused_at", "met_at")
_COLUMNS = ", ".join(_FIELDS)


def _deadline(row: asyncpg.Record) -> Deadline:
    values = {name: row[name] for name in _FIELDS}
    values["met_when"] = list(values["met_when"])
    return Deadline(**values)


async def insert_deadlines(conn: asyncpg.Connection, task_id: UUID, deadlines: Iterable[Deadline]) -> None:
    await conn.executemany(
        f"INSERT INTO deadlines (task_id, {_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [(task_id, *(getattr(d, name) for name in _FIELDS)) for d in deadlines],
    )


async def update_deadlines(conn: asyncpg.Connection, task_id: UUID, deadlines: Iterable[Deadline]) -> None:
    await conn.executemany(
        "UPDATE deadlines SET due_on = $3, paused_days = $4, paused_at = $5, met_at = $6, started_on = $7 "
        "WHERE task_id = $1 AND name = $2",
        [(task_id, d.name, d.due_on, d.paused_days, d.paused_at, d.met_at, d.started_on) for d in deadlines],
    )


async def deadlines_of(conn: asyncpg.Connection, task_ids: list[UUID]) -> dict[UUID, list[Deadline]]:
    rows = await conn.fetch(
        f"SELECT task_id, {_COLUMNS} FROM deadlines WHERE task_id = ANY($1) ORDER BY task_id, due_on, name",
        task_ids,
    )
    found: dict[UUID, list[Deadline]] = {task_id: [] for task_id in task_ids}
    for row in rows:
        found[row["task_id"]].append(_deadline(row))
    return found


async def alert_candidates(conn: asyncpg.Connection, due_until: date) -> list[tuple[dict[str, Any], Deadline]]:
    """Open, running deadlines of open tasks due by ``due_until``, not yet reported breached."""
    rows = await conn.fetch(
        f"SELECT t.id AS task_id, t.tracking_number, t.kind, {', '.join('d.' + f for f in _FIELDS)} "
        "FROM deadlines d JOIN tasks t ON t.id = d.task_id "
        "WHERE d.met_at IS NULL AND d.paused_at IS NULL AND d.due_on <= $1 AND t.status = ANY($2) "
        "AND NOT EXISTS (SELECT 1 FROM deadline_alerts a WHERE a.task_id = d.task_id AND a.deadline = d.name "
        "AND a.alert = 'breached') ORDER BY d.due_on",
        due_until, [s.value for s in OPEN_STATES],
    )
    return [({"task_id": r["task_id"], "tracking_number": r["tracking_number"], "kind": r["kind"]}, _deadline(r))
            for r in rows]


async def claim_alert(conn: asyncpg.Connection, task_id: UUID, deadline: str, alert: str) -> bool:
    """True for the one caller that records this alert first (it must then emit the event)."""
    return bool(await conn.fetchval(
        "INSERT INTO deadline_alerts (task_id, deadline, alert) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING true",
        task_id, deadline, alert,
    ))
