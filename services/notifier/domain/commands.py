"""What operators ask of the notifier (imperative names; the handlers carry them out). The
events it consumes are its other messages (shared/events.py)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class ListDeliveries:
    """The delivery ledger, newest first, as ``roles`` may see it."""

    roles: frozenset[str]
    tracking_number: str | None
    status: str | None
    template: str | None
    limit: int
    offset: int


@dataclass(frozen=True)
class ResendDelivery:
    """Send a delivery's email again now, with the same content and Message-ID."""

    delivery_id: UUID
    roles: frozenset[str]


@dataclass(frozen=True)
class ShowReportRecipients:
    """Where the daily report is emailed (the Directorate's addresses, LAMADI_DIRECTORATE_EMAILS)."""
