"""Routing key → handler, for intake's one queue: it follows review, committee and
notification events for the public status. Deadline events are staff matters: not followed."""

from services.intake import handlers
from shared.events import (
    CommitteeOpinionPublished,
    CommitteeOpinionRecorded,
    NotificationFailed,
    NotificationSent,
    ReviewClaimed,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewReferredToCommittee,
    ReviewStepRecorded,
    ReviewTaskQueued,
)
from shared.runtime import Runtime, Subscription


def subscriptions(runtime: Runtime) -> list[Subscription]:
    review_events = (ReviewTaskQueued, ReviewClaimed, ReviewObservationsIssued, ReviewDecided,
                     ReviewReferredToCommittee, ReviewStepRecorded, CommitteeOpinionRecorded)
    table = {event.TYPE: handlers.follow_review for event in review_events}
    table[CommitteeOpinionPublished.TYPE] = handlers.follow_published_opinion
    table[NotificationSent.TYPE] = handlers.follow_notification
    table[NotificationFailed.TYPE] = handlers.follow_notification
    return [Subscription("public-status", table)]
