"""Background job: close the agency days. Every ``report_check_interval`` seconds it reads the
time from the service's clock (tests pass a controllable one), and builds and sends the
report of each closed day still unsent, oldest first: after downtime, every missed day (at
most ``report_catch_up_days``). Each day is its own unit of work; ``close_day`` makes a day
that another instance (or another tick) already closed a no-op."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from uuid import uuid4

import structlog

from services.reporting.deps import ReportingDeps
from services.reporting.domain.commands import CloseDay, FindDaysToClose
from services.reporting.handlers.reports import close_day, find_days_to_close
from shared.unit_of_work import run

log = structlog.get_logger()


async def close_days(deps: ReportingDeps, now: datetime) -> list[date]:
    """Close what is due at ``now``; returns the days this call built or sent."""
    scan_id = f"close-days-{uuid4()}"  # the correlation id of this look's reports
    closed = []
    for day in await run(find_days_to_close, FindDaysToClose(now), deps, correlation_id=scan_id):
        outcome = await run(close_day, CloseDay(day), deps, correlation_id=scan_id)
        if outcome.sent_now:
            closed.append(day)
    return closed


async def day_closer(deps: ReportingDeps) -> None:
    while True:
        try:
            closed = await close_days(deps, deps.clock())
            if closed:
                log.info("days_closed", days=[day.isoformat() for day in closed])
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be away: log, and try again next time
            log.exception("day_closing_failed")
        await asyncio.sleep(deps.settings.report_check_interval)
