"""Routing key -> handler, for each of review's work queues (their bindings in
shared/messaging/topology.py are exactly these keys)."""

from __future__ import annotations

from services.review import handlers
from shared.events import SubmissionContested, SubmissionReceived, SubmissionResubmitted, SubmissionWithdrawn
from shared.runtime import Subscription

SUBSCRIPTIONS = [
    Subscription(
        "submissions",
        {
            SubmissionReceived.TYPE: handlers.open_task,
            SubmissionResubmitted.TYPE: handlers.take_resubmission,
            SubmissionWithdrawn.TYPE: handlers.withdraw_task,
            SubmissionContested.TYPE: handlers.reopen_contested,
        },
    )
]
