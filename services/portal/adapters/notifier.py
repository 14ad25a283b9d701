"""The notifier's HTTP API as the portal calls it. With the signed-in person's token (staff
pages): the email deliveries (filtered, a page at a time) and sending one again; a filing's
issued documents, revoking one and correcting an information note. Without a token (the public
verification pages): one issued document by its code, and the verdict on a PDF."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import IO, Any
from uuid import UUID

from services.portal.adapters.notifier_models import (
    Delivery,
    DeliveryPage,
    IssuedDocument,
    IssuedDocuments,
    Verdict,
)
from services.portal.adapters.upstream import ServiceClient, UpstreamRefused, UpstreamUnavailable

DELIVERIES = "/api/v1/deliveries"
DOCUMENTS = "/api/v1/documents"
CHUNK_BYTES = 64 * 1024


class NotifierUnavailable(UpstreamUnavailable):
    """The notifier did not answer (down, or too slow)."""


class NotifierRefused(UpstreamRefused):
    """The notifier answered with a problem (4xx)."""


class NotifierClient(ServiceClient):
    """Its refusals and outages raise upstream's own errors, which the error pages show."""

    service, refused, unavailable = "notifier", NotifierRefused, NotifierUnavailable

    async def deliveries(self, *, limit: int, offset: int, status: str | None = None,
                         tracking_number: str | None = None) -> DeliveryPage:
        """Deliveries, newest first (None: not filtered)."""
        params = {"limit": limit, "offset": offset, "status": status, "tracking_number": tracking_number}
        return await self._model(DeliveryPage, "GET", DELIVERIES,
                                 params={name: value for name, value in params.items() if value is not None})

    async def resend(self, delivery_id: UUID) -> Delivery:
        return await self._model(Delivery, "POST", f"{DELIVERIES}/{delivery_id}/resend")

    # -- the register of issued documents

    async def document(self, code: str) -> IssuedDocument | None:
        """The issued document with this verification code; None when the register has none."""
        try:
            return await self._model(IssuedDocument, "GET", f"{DOCUMENTS}/{code}")
        except NotifierRefused as refused:
            if refused.status == 404:
                return None
            raise

    async def verification(self, pdf: IO[bytes], size: int) -> Verdict:
        """The notifier's verdict on a PDF, its bytes streamed from ``pdf`` (a spooled upload):
        never held whole in memory here."""
        return await self._model(Verdict, "POST", f"{DOCUMENTS}/verification", content=_chunks(pdf),
                                 headers={"Content-Type": "application/pdf", "Content-Length": str(size)})

    async def documents(self, reference: str) -> list[IssuedDocument]:
        """The documents issued for a filing (its tracking number) or a day (YYYY-MM-DD)."""
        return (await self._model(IssuedDocuments, "GET", DOCUMENTS, params={"reference": reference})).items

    async def revoke(self, code: str, reason: str) -> IssuedDocument:
        return await self._model(IssuedDocument, "POST", f"{DOCUMENTS}/{code}/revocation", json={"reason": reason})

    async def correct(self, code: str, facts: dict[str, Any], reason: str) -> IssuedDocument:
        """A corrected information note: the new document, which replaces (and revokes) ``code``."""
        return await self._model(IssuedDocument, "POST", f"{DOCUMENTS}/{code}/correction",
                                 json={"facts": facts, "reason": reason})


async def _chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    file.seek(0)
    while chunk := file.read(CHUNK_BYTES):
        yield chunk
