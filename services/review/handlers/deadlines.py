"""The deadline alerts: each approaching or breached deadline is announced exactly once per
task and deadline name, however often and however concurrently the scan runs (the alert row
and its outbox row commit together; the alert's primary key lets only one scan through)."""

from __future__ import annotations

from datetime import timedelta

from services.review import repository
from services.review.deps import ReviewDeps
from services.review.domain.commands import EmitDeadlineAlert, FindDueAlerts
from services.review.domain.deadlines import Deadline, DueAlert, alert_due
from services.review.handlers._common import log
from shared.events import ReviewDeadlineApproaching, ReviewDeadlineBreached
from shared.unit_of_work import UnitOfWork

EVENTS = {"approaching": ReviewDeadlineApproaching, "breached": ReviewDeadlineBreached}


async def find_due_alerts(query: FindDueAlerts, uow: UnitOfWork, deps: ReviewDeps) -> list[DueAlert]:
    calendar = deps.calendar
    # Generous horizon: ``margin_days`` working days can span weekends and holidays.
    horizon = calendar.local_day(query.now) + timedelta(days=3 * query.margin_days + 14)
    due = []
    for task_ref, deadline in await repository.alert_candidates(uow.conn, horizon):
        alert = alert_due(deadline, query.now, query.margin_days, calendar)
        if alert is not None:
            due.append(DueAlert(task_ref["task_id"], task_ref["tracking_number"], deadline.name, alert))
    return due


async def emit_deadline_alert(command: EmitDeadlineAlert, uow: UnitOfWork, deps: ReviewDeps) -> bool:
    """True if this call announced the alert (False: met meanwhile, or another scan did)."""
    due, conn = command.due, uow.conn
    # Under the task's lock, check again: a decision may have met the deadline meanwhile.
    task = await repository.get_task(conn, due.task_id, for_update=True)
    current: Deadline | None = next(
        (d for d in (await repository.deadlines_of(conn, [due.task_id]))[due.task_id] if d.name == due.deadline), None)
    if (task is None or not task.is_open or current is None
            or alert_due(current, command.now, command.margin_days, deps.calendar) != due.alert):
        return False
    if not await repository.claim_alert(conn, due.task_id, due.deadline, due.alert):
        return False
    uow.emit(EVENTS[due.alert](task_id=task.id, tracking_number=task.tracking_number, kind=task.kind,
                               status=task.status, version=task.version, deadline=due.deadline,
                               due_at=current.due_at(deps.calendar)), subject=task.tracking_number)
    log.info("deadline_alert_emitted", task_id=str(task.id), deadline=due.deadline, alert=due.alert)
    return True
