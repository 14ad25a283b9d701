"""Every event leaves a non-personal entry: what the reports are counted from."""

from __future__ import annotations

import structlog

from services.reporting.deps import ReportingDeps
from services.reporting.domain.entries import entry_from
from services.reporting.repository import entries
from shared.envelope import Envelope
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def record_entry(envelope: Envelope, uow: UnitOfWork, deps: ReportingDeps) -> None:
    """Any event: keep its non-personal trace (a filing's decision deadline with its reception)."""
    entry = entry_from(envelope, deps.catalogue)
    if await entries.insert_entry(uow.conn, entry):
        log.info("report_entry_recorded", kind=entry.kind)
