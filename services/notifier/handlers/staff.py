"""Emails to staff: deadline alerts to the supervision address, in French."""

from __future__ import annotations

from services.notifier.deps import NotifierDeps
from services.notifier.domain.emails import local_datetime
from services.notifier.handlers._ledger import notify
from shared.envelope import Envelope
from shared.events import ReviewDeadlineApproaching, ReviewDeadlineBreached
from shared.unit_of_work import UnitOfWork

STAFF_NAME = "Supervision des délais"


async def send_staff_alert(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """A deadline approaching or breached: the supervision address is told, in French."""
    breached = envelope.type == ReviewDeadlineBreached.TYPE
    event = envelope.parse(ReviewDeadlineBreached if breached else ReviewDeadlineApproaching)
    staff = {"full_name": STAFF_NAME, "email": deps.settings.staff_alert_email, "language": "fr",
             "tracking_number": event.tracking_number}
    await notify(uow, deps, envelope, "staff_alert", staff, event.kind, {
        "alert": "breached" if breached else "approaching", "deadline": event.deadline,
        "due_at": local_datetime(event.due_at), "status": str(event.status),
    })


