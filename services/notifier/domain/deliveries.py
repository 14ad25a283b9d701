"""Delivery rules: one delivery per (event, template, recipient), with a stable id; who may see
a delivery's address."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from uuid import UUID, uuid5

from services.notifier.domain.errors import DeliveryPending
from shared.policy import Policy

# Fixed namespace: the same (event, template, recipient) always gives the same delivery id,
# hence the same Message-ID, however many times the event is handled.
DELIVERY_NAMESPACE = UUID("6f1d3a52-4c8e-5b7a-9e0f-2a6c8d4b1e73")
# The daily report's deliveries: about no filing, so of no kind of the catalogue.
REPORT_KIND = "daily_report"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


def delivery_id(event_id: UUID, template: str, recipient: str) -> UUID:
    return uuid5(DELIVERY_NAMESPACE, f"{event_id}/{template}/{recipient}")


def ensure_resendable(status: str) -> None:
    if status == DeliveryStatus.PENDING:
        raise DeliveryPending("This delivery is still pending; wait until it is sent or has failed.")


def shows_address(policy: Policy, roles: frozenset[str], kind: str | None, kinds: Collection[str]) -> bool:
    """May these roles see a delivery's address? The daily report (REPORT_KIND) goes to the
    Directorate, whose addresses are no applicant's personal data: every reader of deliveries
    sees them, as ``lamadi report send`` says them. Any other delivery is about a filing: its
    address only for roles that see that kind's personal data (a kind no longer in the
    catalogue: roles that see personal data at all)."""
    if kind == REPORT_KIND:
        return True
    return policy.sees_personal_data(roles, kind if kind in kinds else None)
