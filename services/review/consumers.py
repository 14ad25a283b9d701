"""Routing key -> handler, for each of review's work queues (shared/messaging/topology.py).
Handlers that need the time get the service's clock bound here."""

from __future__ import annotations

from services.review import handlers
from services.review.handlers import Clock
from shared.events import SubmissionContested, SubmissionReceived, SubmissionResubmitted, SubmissionWithdrawn
from shared.runtime import Runtime, Subscription


def subscriptions(runtime: Runtime, clock: Clock = handlers.system_clock) -> list[Subscription]:
    def timed(handler):
        async def handle(conn, envelope):
            await handler(conn, envelope, clock=clock)

        handle.__name__ = handler.__name__
        return handle

    return [
        Subscription(
            "submissions",
            {
                SubmissionReceived.TYPE: timed(handlers.open_task),
                SubmissionResubmitted.TYPE: timed(handlers.take_resubmission),
                SubmissionWithdrawn.TYPE: timed(handlers.withdraw_task),
                SubmissionContested.TYPE: timed(handlers.reopen_contested),
            },
        )
    ]
