"""What the operations pages use of the notifier's answers (services/notifier/api/deliveries.py)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from services.portal.adapters.models import Answer


class Delivery(Answer):
    id: UUID
    template: str
    recipient: str | None = None  # hidden from roles that do not see the applicant's personal data
    tracking_number: str
    status: str
    attempts: int
    last_error: str | None = None
    created_at: datetime


class DeliveryPage(Answer):
    items: list[Delivery]
    total: int
