"""Intake's public HTTP API, as the portal uses it (never intake's database). Documents go out
as multipart parts read from their files in chunks, so a large upload is never held whole in
memory. Drafts follow the contract of intake's drafts API (POST/GET/PUT /api/v1/drafts…)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO, Any

import httpx

from services.portal.upstream import (
    CORRELATION_HEADER,
    KEEPALIVE_SECONDS,
    UpstreamRefused,
    UpstreamUnavailable,
    raise_for_answer,
)

ACCESS_HEADER = "X-Access-Token"
DRAFT_HEADER = "X-Draft-Token"
@dataclass(frozen=True)
class Upload:
    """One document to send: its type code (the multipart part name), file name and content."""

    code: str
    name: str
    file: IO[bytes]
    content_type: str


class IntakeUnavailable(UpstreamUnavailable):
    """Intake did not answer (down, or too slow)."""


class IntakeRefused(UpstreamRefused):
    """Intake answered with a problem (4xx)."""


class IntakeClient:
    def __init__(self, base_url: str, timeout: float, transport: httpx.AsyncBaseTransport | None = None):
        """``transport``: intake's app in this process instead of its URL (tests)."""
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport,
                                       limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS))
        self._catalogue: list[dict] | None = None

    async def close(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, *, correlation_id: str | None = None,
                    headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        all_headers = {**(headers or {}), **({CORRELATION_HEADER: correlation_id} if correlation_id else {})}
        try:
            answer = await self._http.request(method, path, headers=all_headers, **kwargs)
        except httpx.HTTPError as exc:
            raise IntakeUnavailable(type(exc).__name__) from None
        raise_for_answer(answer, IntakeRefused, IntakeUnavailable, "intake")
        return answer.json() if answer.content else {}

    async def healthy(self) -> bool:
        try:
            return (await self._http.get("/healthz", timeout=2)).status_code == 200
        except httpx.HTTPError:
            return False

    async def catalogue(self) -> list[dict]:
        if self._catalogue is None:  # intake reads it once at start, so may we
            self._catalogue = await self._call("GET", "/api/v1/catalogue")
        return self._catalogue

    async def file(self, filing: dict, uploads: list[Upload], *, idempotency_key: str, correlation_id: str) -> dict:
        return await self._call("POST", "/api/v1/submissions", correlation_id=correlation_id,
                                headers={"Idempotency-Key": idempotency_key},
                                files=_multipart("submission", filing, uploads))

    async def status(self, tracking_number: str, access_code: str, correlation_id: str) -> dict:
        return await self._call("GET", f"/api/v1/submissions/{tracking_number}", correlation_id=correlation_id,
                                headers={ACCESS_HEADER: access_code})

    async def respond(self, tracking_number: str, access_code: str, message: str, uploads: list[Upload],
                      correlation_id: str) -> dict:
        return await self._call("POST", f"/api/v1/submissions/{tracking_number}/responses",
                                correlation_id=correlation_id, headers={ACCESS_HEADER: access_code},
                                files=_multipart("response", {"message": message}, uploads))

    async def withdraw(self, tracking_number: str, access_code: str, reason: str | None, correlation_id: str) -> dict:
        return await self._call("POST", f"/api/v1/submissions/{tracking_number}/withdraw",
                                correlation_id=correlation_id, headers={ACCESS_HEADER: access_code},
                                json={"reason": reason} if reason else {})

    async def contest(self, tracking_number: str, access_code: str, motive: str, correlation_id: str) -> dict:
        return await self._call("POST", f"/api/v1/submissions/{tracking_number}/contest",
                                correlation_id=correlation_id, headers={ACCESS_HEADER: access_code},
                                json={"motive": motive})

    async def opinions(self, *, kind: str | None, limit: int, offset: int, correlation_id: str,
                       published_from: str | None = None, published_to: str | None = None) -> dict:
        params = {"limit": limit, "offset": offset, **({"kind": kind} if kind else {}),
                  **({"from": published_from} if published_from else {}),
                  **({"to": published_to} if published_to else {})}
        return await self._call("GET", "/api/v1/opinions", params=params, correlation_id=correlation_id)

    async def receipt(self, tracking_number: str, access_code: str, correlation_id: str) -> AsyncIterator[bytes]:
        """The receipt PDF, streamed (GET /api/v1/submissions/{tn}/receipt, still to be added to intake)."""
        request = self._http.build_request("GET", f"/api/v1/submissions/{tracking_number}/receipt",
                                           headers={ACCESS_HEADER: access_code, CORRELATION_HEADER: correlation_id})
        try:
            answer = await self._http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise IntakeUnavailable(type(exc).__name__) from None
        if answer.status_code != 200:
            await answer.aclose()
            raise IntakeRefused(answer.status_code) if answer.status_code < 500 else IntakeUnavailable("receipt")

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for chunk in answer.aiter_bytes():
                    yield chunk
            finally:
                await answer.aclose()

        return chunks()

    # -- drafts (save and resume)

    async def create_draft(self, kind: str, language: str, data: dict, email: str, correlation_id: str) -> dict:
        return await self._call("POST", "/api/v1/drafts", correlation_id=correlation_id,
                                json={"kind": kind, "language": language, "data": data, "email": email})

    async def read_draft(self, draft_id: str, token: str, correlation_id: str) -> dict:
        return await self._call("GET", f"/api/v1/drafts/{draft_id}", correlation_id=correlation_id,
                                headers={DRAFT_HEADER: token})

    async def update_draft(self, draft_id: str, token: str, data: dict, correlation_id: str) -> dict:
        return await self._call("PUT", f"/api/v1/drafts/{draft_id}", correlation_id=correlation_id,
                                headers={DRAFT_HEADER: token}, json={"data": data})

    async def add_draft_documents(self, draft_id: str, token: str, uploads: list[Upload], correlation_id: str) -> dict:
        return await self._call("POST", f"/api/v1/drafts/{draft_id}/documents", correlation_id=correlation_id,
                                headers={DRAFT_HEADER: token},
                                files=[(u.code, (u.name, u.file, u.content_type)) for u in uploads])

    async def file_draft(self, draft_id: str, token: str, correlation_id: str) -> dict:
        return await self._call("POST", f"/api/v1/drafts/{draft_id}/file", correlation_id=correlation_id,
                                headers={DRAFT_HEADER: token})


def _multipart(json_part: str, body: dict, uploads: list[Upload]) -> list:
    # The JSON travels as a file-less part, so the body stays multipart even without documents.
    return [(json_part, (None, json.dumps(body), "application/json")),
            *[(u.code, (u.name, u.file, u.content_type)) for u in uploads]]
