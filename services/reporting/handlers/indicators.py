"""Public indicators: processing times against the legal deadlines, per kind, over a period."""

from __future__ import annotations

from services.reporting.deps import ReportingDeps
from services.reporting.domain.commands import ShowIndicators
from services.reporting.domain.daily_report import decisions_of
from services.reporting.domain.indicators import indicators, period
from services.reporting.repository import entries
from shared.unit_of_work import UnitOfWork


async def show_indicators(query: ShowIndicators, uow: UnitOfWork, deps: ReportingDeps) -> dict:
    first, last = period(query.first, query.last, deps.days.last_closed(deps.clock()))
    start, end = deps.days.start(first), deps.days.end(last)
    filings = await entries.decided_filings(uow.conn, start, end)
    return indicators(deps.catalogue, deps.days, first, last, decisions_of(filings, deps.calendar, start, end))
