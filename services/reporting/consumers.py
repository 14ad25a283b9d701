"""Routing key -> handler, for each of reporting's work queues: an entry for every event it
knows but those carrying a secret (shared/messaging/topology.py PRIVATE_EVENTS)."""

from __future__ import annotations

from services.reporting import handlers
from shared.events import ALL_EVENTS
from shared.messaging.topology import PRIVATE_EVENTS
from shared.runtime import Subscription

SUBSCRIPTIONS = [Subscription("entries", {event.TYPE: handlers.record_entry for event in ALL_EVENTS
                                          if event not in PRIVATE_EVENTS})]
