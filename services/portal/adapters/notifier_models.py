"""What the operations pages use of the notifier's answers (services/notifier/api/deliveries.py)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class NotifierAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Delivery(NotifierAnswer):
    id: UUID
    template: str
    recipient: str | None = None  # hidden from roles that do not see the applicant's personal data
    tracking_number: str
    status: str
    attempts: int
    last_error: str | None = None
    created_at: datetime


class DeliveryPage(NotifierAnswer):
    items: list[Delivery]
    total: int
