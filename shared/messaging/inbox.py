"""Inbox: makes a redelivered event a no-op for one consumer."""

from uuid import UUID

import asyncpg

from shared.db import literal, literals_are_safe

_RECORD = ("INSERT INTO inbox (consumer, event_id, event_type) VALUES ({}, {}, {}) "
           "ON CONFLICT DO NOTHING")


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


async def begin_and_record(conn: asyncpg.Connection, consumer: str, event_id: UUID, event_type: str) -> bool:
    """Open the transaction and record the event in it, in one round trip instead of two: BEGIN
    and the INSERT go as one simple query, whose command tag says whether a row went in (False:
    already handled). The simple protocol takes no parameters, so the values are quoted
    literals (shared.db.literal); where they would not be safe, two round trips as before."""
    if not literals_are_safe(conn) or "\x00" in consumer + event_type:
        await conn.execute("BEGIN")
        return await record(conn, consumer, event_id, event_type)
    status = await conn.execute("BEGIN; " + _RECORD.format(literal(consumer), literal(str(UUID(str(event_id)))),
                                                           literal(event_type)))
    return status == "INSERT 0 1"
