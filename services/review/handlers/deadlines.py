"""The deadline scan: each approaching or breached deadline is announced exactly once per task
and deadline name, however often and however concurrently the scan runs (the alert row and
its outbox row commit together; the alert's primary key lets only one scan through)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import asyncpg

from services.review import repository
from services.review.domain.deadlines import Deadline, alert_due
from services.review.handlers.common import CALENDAR, SERVICE, log
from shared.calendar import WorkingCalendar
from shared.envelope import Envelope
from shared.events import ReviewDeadlineApproaching, ReviewDeadlineBreached
from shared.messaging import outbox

EVENTS = {"approaching": ReviewDeadlineApproaching, "breached": ReviewDeadlineBreached}


async def scan_deadlines(
    pool: asyncpg.Pool, now: datetime, *, margin_days: int = 2, calendar: WorkingCalendar = CALENDAR
) -> list[tuple[str, str, str]]:
    """Emit what is due at ``now``; returns (tracking number, deadline, alert) for each event emitted."""
    # Generous horizon: ``margin_days`` working days can span weekends and holidays.
    horizon = calendar.local_day(now) + timedelta(days=3 * margin_days + 14)
    async with pool.acquire() as conn:
        candidates = await repository.alert_candidates(conn, horizon)
    emitted = []
    for task_ref, deadline in candidates:
        alert = alert_due(deadline, now, margin_days, calendar)
        if alert is not None and await _emit(pool, task_ref["task_id"], deadline.name, alert, now, margin_days,
                                             calendar):
            emitted.append((task_ref["tracking_number"], deadline.name, alert))
    return emitted


async def _emit(
    pool: asyncpg.Pool, task_id, name: str, alert: str, now: datetime, margin_days: int, calendar: WorkingCalendar
) -> bool:
    async with pool.acquire() as conn, conn.transaction():
        # Under the task's lock, check again: a decision may have met the deadline meanwhile.
        task = await repository.get_task(conn, task_id, for_update=True)
        current: Deadline | None = next(
            (d for d in (await repository.deadlines_of(conn, [task_id]))[task_id] if d.name == name), None)
        if task is None or not task.is_open or current is None or alert_due(current, now, margin_days, calendar) != alert:
            return False
        if not await repository.claim_alert(conn, task_id, name, alert):
            return False
        event = EVENTS[alert](task_id=task.id, tracking_number=task.tracking_number, kind=task.kind,
                              status=task.status, version=task.version, deadline=name,
                              due_at=current.due_at(calendar))
        await outbox.add(conn, Envelope.new(event, source=SERVICE, subject=task.tracking_number,
                                            correlation_id=str(uuid4())))
    log.info("deadline_alert_emitted", task_id=str(task_id), deadline=name, alert=alert)
    return True
