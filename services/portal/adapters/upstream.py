"""What the portal's clients of the other services share (adapters/intake.py and the staff
APIs'): one ``ServiceClient`` base with the keep-alive they use, the correlation id of the
request being served (taken from the logging context, so no route passes it by hand), the
staff member's token where a call acts for one, streaming a file through, and how a service's
answer becomes an error the pages show."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

import httpx
from prometheus_client.parser import text_string_to_metric_families
from pydantic import BaseModel, ValidationError

from shared.logging import current_correlation_id
from shared.process import tls_context

CORRELATION_HEADER = "X-Correlation-ID"
# Idle connections are dropped before uvicorn's 5 s keep-alive closes them on its side, so a
# request never goes out on a connection the server is closing.
KEEPALIVE_SECONDS = 2.0
PROBE_SECONDS = 3.0  # /healthz, /readyz and /metrics: the operations pages must not hang on one


ModelT = TypeVar("ModelT", bound=BaseModel)


class UpstreamUnavailable(Exception):
    """The service did not answer (down, too slow, or a server error)."""


@dataclass
class UpstreamRefused(Exception):
    """The service answered with a problem (4xx): its status, title, detail and field errors."""

    status: int
    title: str = ""
    detail: str = ""
    errors: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status} {self.title}"


@dataclass(frozen=True)
class Download:
    content_type: str
    filename: str | None
    chunks: AsyncIterator[bytes]


async def _pass_correlation_id(request: httpx.Request) -> None:
    correlation_id = current_correlation_id()
    if correlation_id and CORRELATION_HEADER not in request.headers:
        request.headers[CORRELATION_HEADER] = correlation_id


class ServiceClient:
    """One service's HTTP API. ``acting_for(token)`` gives the same client (same connections)
    sending that staff member's token with every call, so the service applies its own policy
    to that person. ``transport``: the service's app in this process instead of its URL (tests)."""

    service = "a service"
    refused: type[UpstreamRefused] = UpstreamRefused
    unavailable: type[UpstreamUnavailable] = UpstreamUnavailable

    def __init__(self, base_url: str, timeout: float, *, transport: httpx.AsyncBaseTransport | None = None):
        self.base_url = base_url
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport, verify=tls_context(),
                                       limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS),
                                       event_hooks={"request": [_pass_correlation_id]})
        self._token: str | None = None

    def acting_for(self, token: str) -> Self:
        bound = copy.copy(self)
        bound._token = token
        return bound

    async def close(self) -> None:
        await self._http.aclose()

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {**(headers or {}), **({"Authorization": f"Bearer {self._token}"} if self._token else {})}

    async def _request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                       **kwargs: Any) -> httpx.Response:
        try:
            answer = await self._http.request(method, path, headers=self._headers(headers), **kwargs)
        except httpx.HTTPError as exc:
            raise self.unavailable(f"{self.service}: {type(exc).__name__}") from None
        self._raise_for(answer)
        return answer

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = await self._request(method, path, **kwargs)
        return answer.json() if answer.content else {}

    async def _model(self, model: type[ModelT], method: str, path: str, **kwargs: Any) -> ModelT:
        """The answer read into ``model``, the portal's own description of what it uses of it (an
        answer that does not fit is the service's fault: a 502-like "unavailable", never a 500)."""
        answer = await self._request(method, path, **kwargs)
        try:
            return model.model_validate_json(answer.content)
        except ValidationError as invalid:
            raise self.unavailable(f"{self.service}: an answer the portal cannot read ({invalid.error_count()} "
                                   "errors)") from None

    async def _download(self, path: str, *, headers: dict[str, str] | None = None,
                        params: dict | None = None) -> Download:
        """A file, streamed through: never held whole in memory."""
        request = self._http.build_request("GET", path, params=params, headers=self._headers(headers))
        try:
            answer = await self._http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self.unavailable(f"{self.service}: {type(exc).__name__}") from None
        if answer.status_code >= 400:
            await answer.aread()
            await answer.aclose()
            self._raise_for(answer)

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for chunk in answer.aiter_bytes():
                    yield chunk
            finally:
                await answer.aclose()

        disposition = answer.headers.get("content-disposition", "")
        filename = disposition.split("filename=", 1)[1].strip('"') if "filename=" in disposition else None
        return Download(answer.headers.get("content-type", "application/octet-stream"), filename, chunks())

    def _raise_for(self, answer: httpx.Response) -> None:
        """Nothing for a 2xx/3xx; ``unavailable`` for a 5xx; ``refused`` with the problem's parts for a 4xx."""
        if answer.status_code >= 500:
            raise self.unavailable(f"{self.service} answered {answer.status_code}")
        if answer.status_code >= 400:
            problem = _problem(answer)
            raise self.refused(answer.status_code, str(problem.get("title", "")), str(problem.get("detail", "")),
                               problem.get("errors") or [])

    # -- the operations endpoints every service has

    async def healthy(self) -> bool:
        try:
            return (await self._http.get("/healthz", timeout=PROBE_SECONDS)).status_code == 200
        except httpx.HTTPError:
            return False

    async def readiness(self) -> dict[str, Any]:
        try:
            answer = await self._http.get("/readyz", timeout=PROBE_SECONDS)
            return {"ready": answer.status_code == 200, "checks": answer.json().get("checks", {})}
        except (httpx.HTTPError, ValueError):
            return {"ready": False, "checks": {}}

    async def outbox_backlog(self) -> float | None:
        """The service's ``lamadi_outbox_backlog`` gauge from its /metrics (None if unreadable)."""
        try:
            answer = await self._http.get("/metrics", timeout=PROBE_SECONDS)
        except httpx.HTTPError:
            return None
        for family in text_string_to_metric_families(answer.text):
            if family.name == "lamadi_outbox_backlog":
                return sum(sample.value for sample in family.samples)
        return None


def _problem(answer: httpx.Response) -> dict:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
