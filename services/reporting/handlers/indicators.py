"""Public indicators: processing times against the legal deadlines, per kind, over a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.reporting.deps import ReportingDeps
from services.reporting.domain.daily_report import decisions_of
from services.reporting.domain.indicators import indicators
from services.reporting.repository import entries
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ShowIndicators:
    first: date  # agency days, both included
    last: date


async def show_indicators(query: ShowIndicators, uow: UnitOfWork, deps: ReportingDeps) -> dict:
    start, end = deps.days.start(query.first), deps.days.end(query.last)
    filings = await entries.decided_filings(uow.conn, start, end)
    return indicators(deps.catalogue, deps.days, query.first, query.last,
                      decisions_of(filings, deps.calendar, start, end))
