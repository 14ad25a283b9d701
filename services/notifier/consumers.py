"""Routing key -> handler, per work queue of the notifier (shared/messaging/topology.py).

Only ``applicant-emails`` is consumed for now; ``staff-alerts`` will follow."""

from __future__ import annotations

from functools import partial

from services.notifier import handlers
from shared.events import ReviewDecided, ReviewObservationsIssued, SubmissionReceived, SubmissionWithdrawn
from shared.runtime import Runtime, Subscription


def subscriptions(runtime: Runtime) -> list[Subscription]:
    return [
        Subscription(
            "applicant-emails",
            {
                SubmissionReceived.TYPE: partial(handlers.send_receipt, runtime),
                ReviewObservationsIssued.TYPE: partial(handlers.send_observations, runtime),
                ReviewDecided.TYPE: partial(handlers.send_decision, runtime),
                SubmissionWithdrawn.TYPE: partial(handlers.send_withdrawal, runtime),
            },
            on_exhausted=partial(handlers.record_failed_deliveries, runtime),
        )
    ]
