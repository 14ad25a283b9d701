"""Drafts (save and resume): create, read, update, add documents, file. A draft is reached with
its id and its resume token (header ``X-Draft-Token``), never with the token in a URL."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from services.intake import handlers
from services.intake.api.body import DocumentsBody
from services.intake.api.models import DraftCreated, DraftView, SubmissionAccepted
from services.intake.deps import Deps
from services.intake.domain.commands import AddDraftDocuments, DraftCommand, FileDraft, SaveDraft, UpdateDraft
from services.intake.domain.drafts import DraftIn, DraftUpdate
from shared.deps import UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1/drafts", tags=["drafts"], responses=documented_problems(404, 409, 415))
DraftToken = Annotated[str | None, Header(alias="X-Draft-Token", max_length=128)]
DOCUMENTS_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string", "format": "binary"}},
    "description": "documents, each part named by its type code in GET /api/v1/catalogue; one per type (a new "
                   "one replaces the draft's), extras under `documents`"}}}}}


@router.post("", status_code=201, summary="Save a filing to finish later; the link that resumes it is emailed",
             response_model=DraftCreated)
async def post_draft(draft: DraftIn, uow: UnitOfWorkDep, deps: Deps) -> DraftCreated:
    return DraftCreated.model_validate(await handlers.save_draft(SaveDraft(draft), uow, deps))


@router.get("/{draft_id}", summary="A draft: its answers, documents and expiry", response_model=DraftView)
async def get_draft(draft_id: UUID, uow: UnitOfWorkDep, deps: Deps, x_draft_token: DraftToken = None) -> DraftView:
    return DraftView.model_validate(await handlers.show_draft(DraftCommand(draft_id, x_draft_token), uow, deps))


@router.put("/{draft_id}", summary="Replace a draft's answers (its life starts again)", response_model=DraftView)
async def put_draft(draft_id: UUID, update: DraftUpdate, uow: UnitOfWorkDep, deps: Deps,
                    x_draft_token: DraftToken = None) -> DraftView:
    command = UpdateDraft(draft_id, x_draft_token, update.data)
    return DraftView.model_validate(await handlers.update_draft(command, uow, deps))


@router.post("/{draft_id}/documents", summary="Add documents to a draft", response_model=DraftView,
             openapi_extra=DOCUMENTS_BODY)
async def post_draft_documents(draft_id: UUID, body: DocumentsBody, uow: UnitOfWorkDep, deps: Deps,
                               x_draft_token: DraftToken = None) -> DraftView:
    command = AddDraftDocuments(draft_id, x_draft_token, body.documents)
    return DraftView.model_validate(await handlers.add_draft_documents(command, uow, deps))


@router.post("/{draft_id}/file", status_code=202, summary="File the draft (as POST /api/v1/submissions answers)",
             response_model=SubmissionAccepted)
async def post_file_draft(draft_id: UUID, uow: UnitOfWorkDep, deps: Deps,
                          x_draft_token: DraftToken = None) -> JSONResponse:
    answer = await handlers.file_draft(FileDraft(draft_id, x_draft_token), uow, deps)
    location = f"/api/v1/submissions/{answer['tracking_number']}"
    accepted = SubmissionAccepted(**answer, location=location)
    return JSONResponse(accepted.model_dump(mode="json"), status_code=202, headers={"Location": location})
