"""Routing key -> handler, for intake's one queue: it follows review, committee and
notification events for the public status, and the documents the notifier issues (its bindings in shared/messaging/topology.py are
exactly these keys). Deadline events are staff matters: not followed."""

from __future__ import annotations

from services.intake import handlers
from shared import events
from shared.runtime import Subscription

_REVIEW_EVENTS = (events.ReviewTaskQueued, events.ReviewClaimed, events.ReviewObservationsIssued,
                  events.ReviewDecided, events.ReviewReferredToCommittee, events.ReviewStepRecorded,
                  events.CommitteeOpinionRecorded)

SUBSCRIPTIONS = [
    Subscription("public-status", {
        **{event.TYPE: handlers.follow_review for event in _REVIEW_EVENTS},
        events.CommitteeOpinionPublished.TYPE: handlers.follow_published_opinion,
        events.NotificationSent.TYPE: handlers.follow_notification,
        events.NotificationFailed.TYPE: handlers.follow_notification,
        events.DocumentIssued.TYPE: handlers.follow_issued_document,
    })
]
