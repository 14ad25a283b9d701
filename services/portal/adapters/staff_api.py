"""The staff APIs (review, notifier, reporting) as the portal calls them: with the JWT it mints
for the person signed in, so every service applies its own policy to that person (a 403 from
them is shown as a refusal, never worked around). Also each service's /readyz and /metrics for
the operations pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from services.portal.upstream import (
    CORRELATION_HEADER,
    KEEPALIVE_SECONDS,
    UpstreamRefused,
    UpstreamUnavailable,
    raise_for_answer,
)


class StaffApiUnavailable(UpstreamUnavailable):
    """A staff API did not answer (down, too slow, or a server error)."""


class StaffApiRefused(UpstreamRefused):
    """A staff API answered with a problem (4xx)."""


@dataclass(frozen=True)
class Download:
    content_type: str
    filename: str | None
    chunks: AsyncIterator[bytes]


class StaffApi:
    def __init__(self, urls: dict[str, str], timeout: float,
                 transports: dict[str, httpx.AsyncBaseTransport] | None = None):
        """``transports``: a service's app in this process instead of its URL (tests)."""
        limits, transports = httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS), transports or {}
        self.urls = urls
        self._http = {name: httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits,
                                              transport=transports.get(name))
                      for name, url in urls.items()}

    async def close(self) -> None:
        for client in self._http.values():
            await client.aclose()

    async def call(self, service: str, method: str, path: str, *, token: str, correlation_id: str,
                   **kwargs: Any) -> Any:
        answer = await self._send(service, method, path, token, correlation_id, **kwargs)
        _raise_for(answer)
        return answer.json() if answer.content else {}

    async def download(self, service: str, path: str, *, token: str, correlation_id: str,
                       params: dict | None = None) -> Download:
        """A file, streamed through: never held whole in memory."""
        client = self._http[service]
        request = client.build_request("GET", path, params=params, headers=_headers(token, correlation_id))
        try:
            answer = await client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise StaffApiUnavailable(f"{service}: {type(exc).__name__}") from None
        if answer.status_code >= 400:
            await answer.aread()
            await answer.aclose()
            _raise_for(answer)

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for chunk in answer.aiter_bytes():
                    yield chunk
            finally:
                await answer.aclose()

        disposition = answer.headers.get("content-disposition", "")
        filename = disposition.split("filename=", 1)[1].strip('"') if "filename=" in disposition else None
        return Download(answer.headers.get("content-type", "application/octet-stream"), filename, chunks())

    async def readiness(self, service: str) -> dict[str, Any]:
        try:
            answer = await self._http[service].get("/readyz", timeout=3)
            return {"ready": answer.status_code == 200, "checks": answer.json().get("checks", {})}
        except (httpx.HTTPError, ValueError):
            return {"ready": False, "checks": {}}

    async def outbox_backlog(self, service: str) -> float | None:
        """The service's ``lamadi_outbox_backlog`` gauge from its /metrics (None if unreadable)."""
        try:
            answer = await self._http[service].get("/metrics", timeout=3)
        except httpx.HTTPError:
            return None
        for family in text_string_to_metric_families(answer.text):
            if family.name == "lamadi_outbox_backlog":
                return sum(sample.value for sample in family.samples)
        return None

    async def _send(self, service: str, method: str, path: str, token: str, correlation_id: str,
                    **kwargs: Any) -> httpx.Response:
        try:
            return await self._http[service].request(method, path, headers=_headers(token, correlation_id), **kwargs)
        except httpx.HTTPError as exc:
            raise StaffApiUnavailable(f"{service}: {type(exc).__name__}") from None


def _headers(token: str, correlation_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", CORRELATION_HEADER: correlation_id}


def _raise_for(answer: httpx.Response) -> None:
    raise_for_answer(answer, StaffApiRefused, StaffApiUnavailable, "a staff API")
