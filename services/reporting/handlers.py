"""Reporting's application logic: one function per event or query."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import asyncpg
import structlog

from services.reporting import repository
from services.reporting.domain.daily_report import DailyReport, build_daily_report, day_bounds
from services.reporting.domain.entries import entry_from
from services.reporting.domain.queue_overview import QueueState, overview
from services.reporting.management import RabbitManagement
from shared.envelope import Envelope
from shared.messaging.topology import TOPOLOGY

log = structlog.get_logger()


async def record_entry(conn: asyncpg.Connection, envelope: Envelope) -> None:
    """Any event: keep its non-personal trace (runs inside the consumer's transaction)."""
    entry = entry_from(envelope)
    if await repository.insert_entry(conn, entry):
        log.info("report_entry_recorded", kind=entry.kind)


async def daily_report(pool: asyncpg.Pool, zone: ZoneInfo, day: date) -> DailyReport:
    start, end = day_bounds(day, zone)
    rows = await repository.count_entries(pool, start, end)
    return build_daily_report(day, zone, rows)


async def queue_overview(management: RabbitManagement) -> list[QueueState]:
    """Raises ManagementUnavailable when the broker's management API cannot answer."""
    return overview(TOPOLOGY, await management.queues())
