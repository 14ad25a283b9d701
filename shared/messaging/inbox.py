"""Inbox: makes a redelivered event a no-op for one consumer."""

from uuid import UUID

import asyncpg


async def record(conn: asyncpg.Connection, consumer: str, event_id: UUID, event_type: str) -> bool:
    """Insert (consumer, event id) inside the handler's transaction; False if already handled."""
    row = await conn.fetchval(
        "INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING 1",
        consumer,
        event_id,
        event_type,
    )
    return row is not None
