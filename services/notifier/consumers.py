"""Routing key -> handler, per work queue of the notifier (shared/messaging/topology.py).

``report.daily_published`` also reaches ``staff-alerts``; without a handler it is recorded and
ignored (no email to the Directorate yet)."""

from __future__ import annotations

from functools import partial

from services.notifier import handlers
from shared.events import (
    CommitteeOpinionPublished,
    ReviewDeadlineApproaching,
    ReviewDeadlineBreached,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewStepRecorded,
    SubmissionContested,
    SubmissionReceived,
    SubmissionWithdrawn,
)
from shared.runtime import Runtime, Subscription


def subscriptions(runtime: Runtime) -> list[Subscription]:
    on_exhausted = partial(handlers.record_failed_deliveries, runtime)
    return [
        Subscription(
            "applicant-emails",
            {
                SubmissionReceived.TYPE: partial(handlers.send_receipt, runtime),
                ReviewObservationsIssued.TYPE: partial(handlers.send_observations, runtime),
                ReviewDecided.TYPE: partial(handlers.send_decision, runtime),
                SubmissionWithdrawn.TYPE: partial(handlers.send_withdrawal, runtime),
                ReviewStepRecorded.TYPE: partial(handlers.send_invoice_step, runtime),
                CommitteeOpinionPublished.TYPE: partial(handlers.send_committee_adjourned, runtime),
                SubmissionContested.TYPE: partial(handlers.send_contest_received, runtime),
            },
            on_exhausted=on_exhausted,
        ),
        Subscription(
            "staff-alerts",
            {
                ReviewDeadlineApproaching.TYPE: partial(handlers.send_staff_alert, runtime),
                ReviewDeadlineBreached.TYPE: partial(handlers.send_staff_alert, runtime),
            },
            on_exhausted=on_exhausted,
        ),
    ]
