"""A task's documents, streamed from the shared blob store (each download is audited)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path
from fastapi.responses import FileResponse

from services.review import handlers
from services.review.api.common import DOWNLOADERS
from services.review.deps import Deps
from shared.auth import Staff
from shared.deps import UnitOfWorkDep

router = APIRouter(prefix="/api/v1/tasks", tags=["documents"])
Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="The document's sha256 (lower-case hex).")]


@router.get("/{task_id}/documents/{sha256}", summary="Download one of the task's documents",
            response_class=FileResponse, responses={200: {"content": {"application/pdf": {}, "image/png": {},
                                                                        "image/jpeg": {}}}})
async def download(task_id: UUID, sha256: Sha256, staff: Annotated[Staff, Depends(DOWNLOADERS)],
                   uow: UnitOfWorkDep, deps: Deps) -> FileResponse:
    path, document = await handlers.open_document(handlers.OpenDocument(task_id, sha256, staff.sub), uow, deps)
    return FileResponse(path, media_type=document.get("content_type") or "application/octet-stream",
                        filename=document.get("name") or sha256)
