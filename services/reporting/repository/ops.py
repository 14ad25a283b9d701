"""The operators' trail: who replayed or dropped which parked message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from shared.messaging.parked import ParkedMessage

Db = asyncpg.Connection | asyncpg.Pool


async def record_moves(conn: asyncpg.Connection, *, actor: str, action: str, queue: str,
                       moved: Sequence[ParkedMessage]) -> None:
    await conn.executemany(
        "INSERT INTO ops_actions (actor, action, queue, message_id, event_type, subject) VALUES ($1, $2, $3, $4, $5, $6)",
        [(actor, action, queue, m.id, m.type, m.subject) for m in moved],
    )


async def list_actions(db: Db, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    total = await db.fetchval("SELECT count(*) FROM ops_actions")
    rows = await db.fetch(
        "SELECT at, actor, action, queue, message_id, event_type, subject FROM ops_actions "
        "ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2", limit, offset)
    return [dict(row) for row in rows], total
