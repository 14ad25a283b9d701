"""The register of issued documents: public look-up by verification code and check of a PDF
(the portal's /verify pages call these), staff list, revocation and correction."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from services.notifier import handlers
from services.notifier.deps import Deps
from services.notifier.domain.commands import (
    CorrectInformationNote,
    ListDocuments,
    RevokeDocument,
    ShowDocument,
    VerifyDocument,
)
from shared.auth import Staff, require
from shared.deps import UnitOfWorkDep
from shared.errors import UnsupportedContent
from shared.pdf.information_note import NoteFacts
from shared.problems import documented_problems
from shared.verification import CODE_PATTERN

router = APIRouter(prefix="/api/v1/documents", tags=["documents"], responses=documented_problems(404))
Code = Annotated[str, Path(pattern=CODE_PATTERN, description="The verification code (32 characters A-Z, 2-7).")]
Reader = Annotated[Staff, Depends(require("read"))]
Revoker = Annotated[Staff, Depends(require("revoke"))]
DocumentKind = Literal["receipt", "information_note", "decision_letter", "daily_report"]


class IssuedDocument(BaseModel):
    code: str
    document: DocumentKind
    reference: str = Field(description="The filing's tracking number, or the report's day (YYYY-MM-DD).")
    language: Literal["ar", "fr"]
    issued_at: datetime
    holder: str | None = Field(description="The holder's initials (first letter of each word); never the name.")
    sha256: str
    signer: str | None = Field(description="The seal's subject; null: issued unsealed.")
    sealed_at: datetime | None
    timestamped: bool
    state: Literal["valid", "revoked"]
    revoked_reason: str | None
    revoked_at: datetime | None
    replaces: str | None
    replaced_by: str | None


class Verification(BaseModel):
    verdict: Literal["authentic", "altered", "unknown"]
    reason: str = Field(description="Why, as a code of shared/vocabulary.toml's verification_reasons.")
    document: IssuedDocument | None


class IssuedDocuments(BaseModel):
    items: list[IssuedDocument]


class Revocation(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class Correction(BaseModel):
    facts: NoteFacts
    reason: str = Field(min_length=3, max_length=500)


@router.get("/{code}", summary="An issued document's public record", response_model=IssuedDocument)
async def show_document(code: Code, uow: UnitOfWorkDep, deps: Deps) -> IssuedDocument:
    return IssuedDocument(**await handlers.show_document(ShowDocument(code), uow, deps))


@router.post("/verification", summary="What a PDF is: authentic, altered or unknown", response_model=Verification,
             responses=documented_problems(413, 415),
             openapi_extra={"requestBody": {"required": True, "description": "The PDF's bytes, as they are.",
                                            "content": {"application/octet-stream": {
                                                "schema": {"type": "string", "format": "binary"}}}}})
async def verify_document(request: Request, uow: UnitOfWorkDep, deps: Deps) -> Verification:
    content = await request.body()  # bounded by LAMADI_MAX_BODY_BYTES (413 beyond)
    if not content:
        raise UnsupportedContent("Send the PDF's bytes as the request body.")
    verdict = await handlers.verify_document(VerifyDocument(content, hashlib.sha256(content).hexdigest()), uow, deps)
    return Verification(**verdict)


@router.get("", summary="A filing's or a day's issued documents", response_model=IssuedDocuments,
            responses=documented_problems(401, 403))
async def list_documents(staff: Reader, uow: UnitOfWorkDep, deps: Deps,
                         reference: Annotated[str, Query(min_length=1, max_length=64)]) -> IssuedDocuments:
    rows = await handlers.list_documents(ListDocuments(reference, staff.roles), uow, deps)
    return IssuedDocuments(items=[IssuedDocument(**row) for row in rows])


@router.post("/{code}/revocation", summary="Revoke a document, with the reason", response_model=IssuedDocument,
             responses=documented_problems(401, 403, 409))
async def revoke_document(code: Code, body: Revocation, staff: Revoker, uow: UnitOfWorkDep, deps: Deps
                          ) -> IssuedDocument:
    command = RevokeDocument(code, body.reason, staff.roles, staff.sub)
    return IssuedDocument(**await handlers.revoke_document(command, uow, deps))


@router.post("/{code}/correction", status_code=201, response_model=IssuedDocument,
             summary="Issue a corrected information note in place of this one", responses=documented_problems(401, 403, 409))
async def correct_information_note(code: Code, body: Correction, staff: Revoker, uow: UnitOfWorkDep, deps: Deps
                                   ) -> IssuedDocument:
    command = CorrectInformationNote(code, body.facts.model_dump(), body.reason, staff.roles, staff.sub)
    return IssuedDocument(**await handlers.correct_information_note(command, uow, deps))
