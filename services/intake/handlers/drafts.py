"""Save and resume: a filing kept as a draft with its documents, its resume link emailed, then
filed through the same path as any filing. A draft is reached with its id and resume token
only, and is gone (with the documents only it held) once expired."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import structlog
from pydantic import ValidationError

from services.intake import repository as repo
from services.intake.deps import IntakeDeps
from services.intake.domain.catalogue import check_documents
from services.intake.domain.commands import (
    AddDraftDocuments,
    DraftCommand,
    FileDraft,
    FileSubmission,
    PurgeExpiredDrafts,
    SaveDraft,
    UpdateDraft,
)
from services.intake.domain.documents import CheckedDocument
from services.intake.domain.drafts import expires_at, replaced_types
from services.intake.domain.errors import DraftNotFound
from services.intake.domain.filings import FILING
from services.intake.domain.identifiers import hash_token, new_access_token, token_matches
from services.intake.handlers.filings import file_submission
from shared.errors import Conflict, DomainError, InvalidInput
from shared.events import DraftSaved
from shared.problems import field_errors
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def save_draft(command: SaveDraft, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    draft = command.draft
    if draft.kind not in deps.catalogue.kinds:
        raise InvalidInput("body.kind", f"unknown kind; the catalogue has {', '.join(deps.catalogue.kinds)}")
    draft_id, token, now = uuid4(), new_access_token(), deps.clock()
    expiry = expires_at(now, deps.settings.draft_days)
    await repo.insert_draft(uow.conn, draft_id=draft_id, token_hash=hash_token(token), kind=draft.kind,
                            language=draft.language, email=draft.email, data=draft.data, expires_at=expiry)
    # The link that resumes the draft, to the notifier only (reporting is not bound to this event).
    resume_url = f"{deps.settings.portal_url.rstrip('/')}/drafts/{draft_id}/resume?token={token}"
    uow.emit(DraftSaved(draft_id=draft_id, kind=draft.kind, language=draft.language, email=draft.email,
                        resume_url=resume_url, expires_at=expiry), subject=f"draft:{draft_id}")
    log.info("draft_saved", draft_id=str(draft_id), kind=draft.kind)
    return {"id": draft_id, "resume_token": token, "expires_at": expiry}


async def show_draft(query: DraftCommand, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    row = await _own_draft(uow, deps, query)
    return await _view(uow, row)


async def update_draft(command: UpdateDraft, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    row = await _open_draft(uow, deps, command)
    expiry = expires_at(deps.clock(), deps.settings.draft_days)  # a draft lives its days from its last save
    await repo.update_draft(uow.conn, row["id"], data=command.data, expires_at=expiry)
    return await _view(uow, await repo.get_draft(uow.conn, row["id"]))


async def add_draft_documents(command: AddDraftDocuments, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    row = await _open_draft(uow, deps, command)
    existing = [d["type"] for d in await repo.list_draft_documents(uow.conn, row["id"])]
    await repo.replace_draft_documents(uow.conn, row["id"], replaced_types(existing, command.documents),
                                       command.documents)
    return await _view(uow, row)


async def file_draft(command: FileDraft, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    """File the draft as any filing: its answers checked now, its documents required now. Filing
    again answers as the first time (the draft's secret is the Idempotency-Key)."""
    row = await _own_draft(uow, deps, command, for_update=True)
    try:
        filing = FILING.validate_python({**row["data"], "kind": row["kind"]})
    except ValidationError as exc:
        raise DomainError("Some answers are missing or wrong: complete the draft, then file it.",
                          title="Invalid request",
                          errors=field_errors([{**e, "loc": ("data", *e["loc"])} for e in exc.errors()])) from None
    documents = [CheckedDocument(name=d["name"], content_type=d["content_type"], size=d["size"], sha256=d["sha256"],
                                 type=d["type"]) for d in await repo.list_draft_documents(uow.conn, row["id"])]
    check_documents(deps.catalogue, filing.kind, [d.type or "documents" for d in documents])
    answer = await file_submission(FileSubmission(filing, documents, f"draft:{row['id']}:{command.token}"),
                                   uow, deps)
    await repo.update_draft(uow.conn, row["id"], filed_tracking_number=answer["tracking_number"])
    log.info("draft_filed", draft_id=str(row["id"]), tracking_number=answer["tracking_number"])
    return answer


async def purge_expired_drafts(command: PurgeExpiredDrafts, uow: UnitOfWork, deps: IntakeDeps) -> list[str]:
    """Forget expired drafts; returns the files only they held, to remove once this commits."""
    unneeded = await repo.delete_expired_drafts(uow.conn, deps.clock())
    await repo.forget_published_draft_links(uow.conn)
    return unneeded


async def _own_draft(uow: UnitOfWork, deps: IntakeDeps, command: DraftCommand, *, for_update: bool = False) -> Any:
    row = await repo.get_draft(uow.conn, command.draft_id, for_update=for_update)
    if row is None or not token_matches(command.token, row["token_hash"]) or row["expires_at"] <= deps.clock():
        raise DraftNotFound()
    return row


async def _open_draft(uow: UnitOfWork, deps: IntakeDeps, command: DraftCommand) -> Any:
    row = await _own_draft(uow, deps, command, for_update=True)
    if row["filed_tracking_number"] is not None:
        raise Conflict(f"This draft was filed as {row['filed_tracking_number']}: it cannot change any more.",
                       title="Draft already filed")
    return row


async def _view(uow: UnitOfWork, row: Any) -> dict[str, Any]:
    documents = await repo.list_draft_documents(uow.conn, row["id"])
    return {**{name: row[name] for name in ("id", "kind", "language", "email", "data", "expires_at",
                                            "filed_tracking_number")},
            "documents": [dict(d) for d in documents]}
