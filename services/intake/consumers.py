"""Routing key → handler, for intake's one queue: it follows review and notification events."""

from services.intake import handlers
from shared.events import (
    CommitteeOpinionPublished,
    CommitteeOpinionRecorded,
    NotificationFailed,
    NotificationSent,
    ReviewClaimed,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewTaskQueued,
)
from shared.runtime import Runtime, Subscription


def subscriptions(runtime: Runtime) -> list[Subscription]:
    review_events = (ReviewTaskQueued, ReviewClaimed, ReviewObservationsIssued, ReviewDecided,
                     CommitteeOpinionRecorded, CommitteeOpinionPublished)
    table = {event.TYPE: handlers.follow_review for event in review_events}
    table[NotificationSent.TYPE] = handlers.follow_notification
    table[NotificationFailed.TYPE] = handlers.follow_notification
    return [Subscription("public-status", table)]
