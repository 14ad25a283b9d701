"""Background job: scan the deadlines every ``deadline_scan_interval`` seconds, at the time the
service's clock gives (tests pass a controllable one). Each alert is its own unit of work."""

from __future__ import annotations

import asyncio
from datetime import datetime
from uuid import uuid4

import structlog

from services.review.deps import ReviewDeps
from services.review.handlers.deadlines import EmitDeadlineAlert, FindDueAlerts, emit_deadline_alert, find_due_alerts
from shared.unit_of_work import run

log = structlog.get_logger()


async def scan_deadlines(deps: ReviewDeps, now: datetime, *, margin_days: int) -> list[tuple[str, str, str]]:
    """Emit what is due at ``now``; returns (tracking number, deadline, alert) for each event emitted."""
    scan_id = str(uuid4())  # the correlation id of this scan's alerts
    emitted = []
    for due in await run(find_due_alerts, FindDueAlerts(now, margin_days), deps, correlation_id=scan_id):
        if await run(emit_deadline_alert, EmitDeadlineAlert(due, now, margin_days), deps, correlation_id=scan_id):
            emitted.append((due.tracking_number, due.deadline, due.alert))
    return emitted


async def deadline_scanner(deps: ReviewDeps) -> None:
    settings = deps.settings
    while True:
        try:
            emitted = await scan_deadlines(deps, deps.clock(), margin_days=settings.deadline_margin_days)
            if emitted:
                log.info("deadline_scan_done", alerts=len(emitted))
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be away: log, and try again next time
            log.exception("deadline_scan_failed")
        await asyncio.sleep(settings.deadline_scan_interval)
