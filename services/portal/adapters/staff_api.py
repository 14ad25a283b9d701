"""The staff APIs (review, notifier, reporting) as the portal calls them: with the JWT it mints
for the person signed in, so every service applies its own policy to that person (a 403 from
them is shown as a refusal, never worked around). Also each service's /readyz and /metrics for
the operations pages."""

from __future__ import annotations

from typing import Any

import httpx

from services.portal.adapters.upstream import Download, ServiceClient, UpstreamRefused, UpstreamUnavailable


class StaffApiUnavailable(UpstreamUnavailable):
    """A staff API did not answer (down, too slow, or a server error)."""


class StaffApiRefused(UpstreamRefused):
    """A staff API answered with a problem (4xx)."""


class StaffServiceClient(ServiceClient):
    refused, unavailable = StaffApiRefused, StaffApiUnavailable

    def __init__(self, service: str, base_url: str, timeout: float,
                 transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, timeout, transport=transport)
        self.service = service


class StaffApi:
    def __init__(self, urls: dict[str, str], timeout: float,
                 transports: dict[str, httpx.AsyncBaseTransport] | None = None):
        """``transports``: a service's app in this process instead of its URL (tests)."""
        transports = transports or {}
        self.urls = urls
        self.clients = {name: StaffServiceClient(name, url, timeout, transports.get(name)) for name, url in urls.items()}

    async def close(self) -> None:
        for client in self.clients.values():
            await client.close()

    async def call(self, service: str, method: str, path: str, *, token: str, **kwargs: Any) -> Any:
        return await self.clients[service].acting_for(token)._json(method, path, **kwargs)

    async def download(self, service: str, path: str, *, token: str, params: dict | None = None) -> Download:
        return await self.clients[service].acting_for(token)._download(path, params=params)

    async def readiness(self, service: str) -> dict[str, Any]:
        return await self.clients[service].readiness()

    async def outbox_backlog(self, service: str) -> float | None:
        return await self.clients[service].outbox_backlog()
