"""Reporting's SQL, and nothing else's."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.reporting.domain.daily_report import CountRow
from services.reporting.domain.entries import ReportEntry


async def insert_entry(conn: asyncpg.Connection, entry: ReportEntry) -> bool:
    """False if the event was already recorded (the inbox already stops redeliveries; this is the backstop)."""
    status = await conn.execute(
        """
        INSERT INTO report_entries (event_id, type, tracking_number, kind, status, occurred_at, details)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (event_id) DO NOTHING
        """,
        entry.event_id,
        entry.type,
        entry.tracking_number,
        entry.kind,
        entry.status,
        entry.occurred_at,
        entry.details,
    )
    return status.endswith(" 1")


async def count_entries(conn: asyncpg.Connection | asyncpg.Pool, start: datetime, end: datetime) -> list[CountRow]:
    """Entries per (kind, type): those in [start, end) and all those before end."""
    rows = await conn.fetch(
        """
        SELECT kind, type,
               count(*) FILTER (WHERE occurred_at >= $1) AS on_day,
               count(*) AS up_to_end
          FROM report_entries
         WHERE occurred_at < $2
         GROUP BY kind, type
        """,
        start,
        end,
    )
    return [CountRow(kind=r["kind"], type=r["type"], on_day=r["on_day"], up_to_end=r["up_to_end"]) for r in rows]
