"""Parked messages as operators see them: which work queue a name means, and what of a parked
event a role without the right to personal data may see."""

from __future__ import annotations

from typing import Any

from services.reporting.domain.errors import WorkQueueNotFound
from shared.messaging.topology import TOPOLOGY, QueueSpec

# What of an event an operator without the right to personal data may see: its envelope and
# these fields of its data (states, codes and identifiers, never an applicant's words or contact).
PUBLIC_DATA = frozenset({
    "task_id", "tracking_number", "kind", "status", "version", "assignee", "outcome", "step", "opinion",
    "committee_opinion", "member", "session_id", "session_date", "deadline", "due_at", "received_at",
    "delivery_id", "cause_event_id", "template", "language", "report_date", "totals", "previous_tracking_number",
})


def work_queue(name: str) -> QueueSpec:
    """The work queue named by its own name or by its parked queue's."""
    for spec in TOPOLOGY:
        if name in (spec.name, spec.parked):
            return spec
    raise WorkQueueNotFound(f"There is no work queue {name!r}.")


def redacted(shown: dict[str, Any], personal_data: bool) -> dict[str, Any]:
    """A parked message (``ParkedMessage.as_dict()``) as the asker may see it."""
    if personal_data:
        return shown
    event = shown["event"]
    if event is not None:
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        event = {**{k: v for k, v in event.items() if k != "data"},
                 "data": {k: v for k, v in data.items() if k in PUBLIC_DATA}}
    # An error message may quote an address or a name: its first words only.
    return {**shown, "event": event, "error": shown["error"].split(":", 1)[0][:120]}
