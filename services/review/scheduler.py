"""Background job: scan the deadlines every ``deadline_scan_interval`` seconds, at the time the
service's clock gives (tests pass a controllable one), on the one instance holding the scan's
lease. Each alert is its own unit of work."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

import structlog

from services.review.deps import ReviewDeps
from services.review.domain.commands import EmitDeadlineAlert, FindDueAlerts
from services.review.handlers.deadlines import emit_deadline_alert, find_due_alerts
from shared.leader import Lease, lead_every
from shared.unit_of_work import run

log = structlog.get_logger()
DEADLINE_SCAN_LEASE = "review.deadline-scan"


async def scan_deadlines(deps: ReviewDeps, now: datetime, *, margin_days: int) -> list[tuple[str, str, str]]:
    """Emit what is due at ``now``; returns (tracking number, deadline, alert) for each event emitted."""
    scan_id = str(uuid4())  # the correlation id of this scan's alerts
    emitted = []
    for due in await run(find_due_alerts, FindDueAlerts(now, margin_days), deps, correlation_id=scan_id):
        if await run(emit_deadline_alert, EmitDeadlineAlert(due, now, margin_days), deps, correlation_id=scan_id):
            emitted.append((due.tracking_number, due.deadline, due.alert))
    return emitted


async def deadline_scanner(deps: ReviewDeps) -> None:
    """One instance scans per tick, whichever holds the lease (several may run: see shared/leader.py)."""
    settings = deps.settings
    # Twice the interval and some slack: the holder keeps it from tick to tick even when a tick
    # comes late; another takes over soon after it dies.
    lease = Lease(DEADLINE_SCAN_LEASE, ttl=2 * settings.deadline_scan_interval + 5)

    async def scan(term: int) -> None:
        emitted = await scan_deadlines(deps, deps.clock(), margin_days=settings.deadline_margin_days)
        if emitted:
            log.info("deadline_scan_done", alerts=len(emitted), term=term)

    await lead_every(settings.deadline_scan_interval, lease, deps.pool, scan, what="deadline_scan")
