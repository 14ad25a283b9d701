"""The notifier's staff API as the operations pages call it, with the signed-in person's token:
the email deliveries (filtered, a page at a time) and sending one again."""

from __future__ import annotations

from uuid import UUID

from services.portal.adapters.notifier_models import Delivery, DeliveryPage
from services.portal.adapters.upstream import ServiceClient

DELIVERIES = "/api/v1/deliveries"


class NotifierClient(ServiceClient):
    """Its refusals and outages raise upstream's own errors, which the error pages show."""

    service = "notifier"

    async def deliveries(self, *, limit: int, offset: int, status: str | None = None,
                         tracking_number: str | None = None) -> DeliveryPage:
        """Deliveries, newest first (None: not filtered)."""
        params = {"limit": limit, "offset": offset, "status": status, "tracking_number": tracking_number}
        return await self._model(DeliveryPage, "GET", DELIVERIES,
                                 params={name: value for name, value in params.items() if value is not None})

    async def resend(self, delivery_id: UUID) -> Delivery:
        return await self._model(Delivery, "POST", f"{DELIVERIES}/{delivery_id}/resend")
