"""Routing key -> handler, for each of reporting's work queues: an entry for every event it knows."""

from __future__ import annotations

from services.reporting import handlers
from shared.events import EVENTS_BY_TYPE
from shared.runtime import Subscription

SUBSCRIPTIONS = [Subscription("entries", {event_type: handlers.record_entry for event_type in EVENTS_BY_TYPE})]
