"""Reporting's application logic: one function per event or query, each
``verb_noun(message, uow, deps)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import structlog

from services.reporting import repository
from services.reporting.deps import ReportingDeps
from services.reporting.domain.daily_report import DailyReport, build_daily_report, day_bounds
from services.reporting.domain.entries import entry_from
from services.reporting.domain.queue_overview import QueueState, overview
from shared.envelope import Envelope
from shared.messaging.topology import TOPOLOGY
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


@dataclass(frozen=True)
class ShowDailyReport:
    day: date


@dataclass(frozen=True)
class ShowQueues:
    pass


async def record_entry(envelope: Envelope, uow: UnitOfWork, deps: ReportingDeps) -> None:
    """Any event: keep its non-personal trace."""
    entry = entry_from(envelope)
    if await repository.insert_entry(uow.conn, entry):
        log.info("report_entry_recorded", kind=entry.kind)


async def show_daily_report(query: ShowDailyReport, uow: UnitOfWork, deps: ReportingDeps) -> DailyReport:
    zone = deps.calendar.timezone
    start, end = day_bounds(query.day, zone)
    rows = await repository.count_entries(uow.conn, start, end)
    return build_daily_report(query.day, zone, rows)


async def show_queues(query: ShowQueues, uow: UnitOfWork, deps: ReportingDeps) -> list[QueueState]:
    """Raises ManagementUnavailable when the broker's management API cannot answer."""
    return overview(TOPOLOGY, await deps.management.queues())
