"""Committee sessions and members' opinions."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg


async def insert_session(conn: asyncpg.Connection, session_id: UUID, session_date: date, created_by: str) -> dict:
    row = await conn.fetchrow(
        "INSERT INTO committee_sessions (id, session_date, created_by) VALUES ($1, $2, $3) "
        "RETURNING id, session_date, created_by, created_at",
        session_id, session_date, created_by,
    )
    return dict(row)


async def get_session(conn: asyncpg.Connection, session_id: UUID) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        "SELECT id, session_date, created_by, created_at FROM committee_sessions WHERE id = $1", session_id
    )
    return dict(row) if row else None


async def list_sessions(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT id, session_date, created_by, created_at FROM committee_sessions ORDER BY session_date DESC, created_at"
    )
    return [dict(row) for row in rows]


async def insert_opinion(
    conn: asyncpg.Connection, task_id: UUID, round_: int, member: str, opinion: str, motive: str
) -> bool:
    """False if this member already gave an opinion in this round."""
    return bool(await conn.fetchval(
        "INSERT INTO opinions (task_id, round, member, opinion, motive) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (task_id, round, member) DO NOTHING RETURNING true",
        task_id, round_, member, opinion, motive,
    ))


async def has_opinion(conn: asyncpg.Connection, task_id: UUID, round_: int, member: str) -> bool:
    return bool(await conn.fetchval(
        "SELECT true FROM opinions WHERE task_id = $1 AND round = $2 AND member = $3", task_id, round_, member
    ))


async def opinions(conn: asyncpg.Connection, task_id: UUID, round_: int | None = None) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT round, member, opinion, motive, at FROM opinions WHERE task_id = $1 "
        "AND ($2::integer IS NULL OR round = $2) ORDER BY id",
        task_id, round_,
    )
    return [dict(row) for row in rows]


async def opinions_of(conn: asyncpg.Connection, task_ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    """The opinions of several tasks, every round, each task's in the order they were given."""
    rows = await conn.fetch(
        "SELECT task_id, round, member, opinion, motive, at FROM opinions WHERE task_id = ANY($1) ORDER BY id",
        task_ids,
    )
    found: dict[UUID, list[dict[str, Any]]] = {task_id: [] for task_id in task_ids}
    for row in rows:
        found[row["task_id"]].append({k: v for k, v in row.items() if k != "task_id"})
    return found
