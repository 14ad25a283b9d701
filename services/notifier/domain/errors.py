"""What the notifier refuses or must wait for. The refusals are shared domain errors, which
shared/problems.py maps to HTTP answers; ``RecipientUnknown`` is no refusal but a wait (the
consumer retries the event)."""

from __future__ import annotations

from shared.errors import Conflict, NotFound


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


class DocumentNotFound(NotFound):
    title = "Document not found"


class DocumentRevokedAlready(Conflict):
    title = "Document revoked already"


class DocumentNotCorrectable(Conflict):
    title = "Document cannot be corrected"
