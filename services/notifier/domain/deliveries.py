"""Delivery rules: one delivery per (event, template, recipient), with a stable id."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid5

from shared.errors import Conflict, NotFound

# Fixed namespace: the same (event, template, recipient) always gives the same delivery id,
# hence the same Message-ID, however many times the event is handled.
DELIVERY_NAMESPACE = UUID("6f1d3a52-4c8e-5b7a-9e0f-2a6c8d4b1e73")


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class RecipientUnknown(Exception):
    """A review event came before the filing's submission.received: retry later."""

    def __init__(self, tracking_number: str):
        super().__init__(f"no recipient known yet for {tracking_number}")
        self.tracking_number = tracking_number


class DeliveryNotFound(NotFound):
    title = "Delivery not found"


class DeliveryPending(Conflict):
    """Its first sending is still in progress (or was interrupted): resending could double it."""

    title = "Delivery still pending"


class UnbuildableEmail(Conflict):
    """The recorded content cannot make an email (a template or a value it cannot hold)."""

    title = "Email cannot be built"


def delivery_id(event_id: UUID, template: str, recipient: str) -> UUID:
    return uuid5(DELIVERY_NAMESPACE, f"{event_id}/{template}/{recipient}")


def ensure_resendable(status: str) -> None:
    if status == DeliveryStatus.PENDING:
        raise DeliveryPending("This delivery is still pending; wait until it is sent or has failed.")
