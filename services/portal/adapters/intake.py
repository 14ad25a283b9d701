"""Intake's public HTTP API, as the portal uses it (never intake's database). Documents go out
as multipart parts read from their files in chunks, so a large upload is never held whole in
memory. Drafts follow the contract of intake's drafts API (POST/GET/PUT /api/v1/drafts…). Its
answers are read into the portal's models of them (adapters/intake_models.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import IO

import httpx

from services.portal.adapters.intake_models import (
    Catalogue,
    CatalogueEntry,
    Draft,
    DraftCreated,
    FilingAccepted,
    FilingView,
    OpinionPage,
)
from services.portal.adapters.upstream import Download, ServiceClient, UpstreamRefused, UpstreamUnavailable

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


class IntakeClient(ServiceClient):
    """Each method answers with the portal's model of what it uses (adapters/intake_models.py);
    the calls whose answer the pages do not read (answer, withdraw, contest, a draft's update)
    return nothing: intake's refusal, if any, is raised as ``IntakeRefused``."""

    service, refused, unavailable = "intake", IntakeRefused, IntakeUnavailable

    def __init__(self, base_url: str, timeout: float, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, timeout, transport=transport)
        self._catalogue: list[CatalogueEntry] | None = None

    async def catalogue(self) -> list[CatalogueEntry]:
        if self._catalogue is None:  # intake reads it once at start, so may we
            self._catalogue = (await self._model(Catalogue, "GET", "/api/v1/catalogue")).root
        return self._catalogue

    async def catalogue_entry(self, kind: str) -> CatalogueEntry | None:
        return next((entry for entry in await self.catalogue() if entry.kind == kind), None)

    async def file(self, filing: dict, uploads: list[Upload], *, idempotency_key: str) -> FilingAccepted:
        return await self._model(FilingAccepted, "POST", "/api/v1/submissions",
                                 headers={"Idempotency-Key": idempotency_key},
                                 files=_multipart("submission", filing, uploads))

    async def status(self, tracking_number: str, access_code: str) -> FilingView:
        return await self._model(FilingView, "GET", f"/api/v1/submissions/{tracking_number}",
                                 headers={ACCESS_HEADER: access_code})

    async def respond(self, tracking_number: str, access_code: str, message: str, uploads: list[Upload]) -> None:
        await self._request("POST", f"/api/v1/submissions/{tracking_number}/responses",
                            headers={ACCESS_HEADER: access_code},
                            files=_multipart("response", {"message": message}, uploads))

    async def withdraw(self, tracking_number: str, access_code: str, reason: str | None) -> None:
        await self._request("POST", f"/api/v1/submissions/{tracking_number}/withdraw",
                            headers={ACCESS_HEADER: access_code}, json={"reason": reason} if reason else {})

    async def contest(self, tracking_number: str, access_code: str, motive: str) -> None:
        await self._request("POST", f"/api/v1/submissions/{tracking_number}/contest",
                            headers={ACCESS_HEADER: access_code}, json={"motive": motive})

    async def opinions(self, *, kind: str | None, limit: int, offset: int,
                       published_from: str | None = None, published_to: str | None = None) -> OpinionPage:
        params = {"limit": limit, "offset": offset, **({"kind": kind} if kind else {}),
                  **({"from": published_from} if published_from else {}),
                  **({"to": published_to} if published_to else {})}
        return await self._model(OpinionPage, "GET", "/api/v1/opinions", params=params)

    async def receipt(self, tracking_number: str, access_code: str) -> Download:
        """The receipt PDF, streamed (GET /api/v1/submissions/{tn}/receipt)."""
        return await self._download(f"/api/v1/submissions/{tracking_number}/receipt",
                                    headers={ACCESS_HEADER: access_code})

    # -- drafts (save and resume)

    async def create_draft(self, kind: str, language: str, data: dict, email: str) -> DraftCreated:
        return await self._model(DraftCreated, "POST", "/api/v1/drafts",
                                 json={"kind": kind, "language": language, "data": data, "email": email})

    async def read_draft(self, draft_id: str, token: str) -> Draft:
        return await self._model(Draft, "GET", f"/api/v1/drafts/{draft_id}", headers={DRAFT_HEADER: token})

    async def update_draft(self, draft_id: str, token: str, data: dict) -> None:
        await self._request("PUT", f"/api/v1/drafts/{draft_id}", headers={DRAFT_HEADER: token}, json={"data": data})

    async def add_draft_documents(self, draft_id: str, token: str, uploads: list[Upload]) -> None:
        await self._request("POST", f"/api/v1/drafts/{draft_id}/documents", headers={DRAFT_HEADER: token},
                            files=[(u.code, (u.name, u.file, u.content_type)) for u in uploads])

    async def file_draft(self, draft_id: str, token: str) -> FilingAccepted:
        return await self._model(FilingAccepted, "POST", f"/api/v1/drafts/{draft_id}/file",
                                 headers={DRAFT_HEADER: token})


def _multipart(json_part: str, body: dict, uploads: list[Upload]) -> list:
    # The JSON travels as a file-less part, so the body stays multipart even without documents.
    return [(json_part, (None, json.dumps(body), "application/json")),
            *[(u.code, (u.name, u.file, u.content_type)) for u in uploads]]
