"""Routing key -> handler: reporting keeps an entry for every event it knows."""

from __future__ import annotations

from services.reporting import handlers
from shared.events import EVENTS_BY_TYPE
from shared.runtime import Runtime, Subscription


def subscriptions(runtime: Runtime) -> list[Subscription]:
    return [Subscription("entries", {event_type: handlers.record_entry for event_type in EVENTS_BY_TYPE})]
