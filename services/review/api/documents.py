"""A task's documents, streamed from the shared blob store (each download is audited)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from services.review import handlers
from services.review.api.common import Downloader, actor
from services.review.deps import Deps
from services.review.domain.commands import OpenDocument
from shared.blobs import named_by_type
from shared.deps import UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1/tasks", tags=["documents"], responses=documented_problems(401, 403, 404))
Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="The document's sha256 (lower-case hex).")]


@router.get("/{task_id}/documents/{sha256}", summary="Download one of the task's documents",
            response_class=FileResponse, responses={200: {"content": {"application/pdf": {}, "image/png": {},
                                                                        "image/jpeg": {}}}})
async def download(task_id: UUID, sha256: Sha256, staff: Downloader, uow: UnitOfWorkDep, deps: Deps) -> FileResponse:
    path, document = await handlers.open_document(OpenDocument(task_id, actor(staff, deps), sha256), uow, deps)
    content_type = document.get("content_type") or "application/octet-stream"
    # Named by its real type and always an attachment: a browser neither guesses nor renders
    # it in the staff page's origin (nosniff is on every answer, shared/edge.py).
    return FileResponse(path, media_type=content_type, content_disposition_type="attachment",
                        filename=named_by_type(document.get("name") or sha256, content_type))
