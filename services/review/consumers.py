"""Routing key -> handler, for each of review's work queues (shared/messaging/topology.py)."""

from __future__ import annotations

from services.review import handlers
from shared.events import SubmissionReceived, SubmissionResubmitted, SubmissionWithdrawn
from shared.runtime import Runtime, Subscription


def subscriptions(runtime: Runtime) -> list[Subscription]:
    return [
        Subscription(
            "submissions",
            {
                SubmissionReceived.TYPE: handlers.open_task,
                SubmissionResubmitted.TYPE: handlers.take_resubmission,
                SubmissionWithdrawn.TYPE: handlers.withdraw_task,
            },
        )
    ]
