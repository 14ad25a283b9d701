"""Read side: task lists and details as the asker sees them, the audit trail, and documents
(a download is itself written to the audit trail)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from services.review import repository
from services.review.deps import ReviewDeps
from services.review.domain.audit import AuditAction
from services.review.domain.commands import FindTasks, OpenDocument, ShowAuditTrail, ShowTask
from services.review.domain.errors import NotFound
from services.review.domain.views import TaskView, view_task
from services.review.handlers._common import is_committee_task, log, readable_task, seeing, seen
from shared.unit_of_work import UnitOfWork


async def find_tasks(query: FindTasks, uow: UnitOfWork, deps: ReviewDeps) -> tuple[list[TaskView], int]:
    """Only the kinds the asker's roles may read: the others are absent, not refused."""
    kinds = deps.policy.kinds_for(query.actor.roles, "read")
    if query.where.finance_stage is not None:  # only the kinds paid through finance steps have stages
        finance_kinds = {name for name, spec in deps.catalogue.kinds.items() if spec.review_path == "finance"}
        kinds = finance_kinds if kinds is None else kinds & finance_kinds
    where = replace(query.where, kinds=None if kinds is None else frozenset(kinds))
    tasks, total = await repository.list_tasks(uow.conn, where, limit=query.limit, offset=query.offset)
    deadlines = await repository.deadlines_of(uow.conn, [task.id for task in tasks])
    opinions = await repository.opinions_of(uow.conn, [task.id for task in tasks if is_committee_task(deps, task)])
    sight = seeing(deps, query.actor)
    return [view_task(task, deadlines[task.id], deps.catalogue.kinds.get(task.kind), sight,
                      opinions=opinions.get(task.id, [])) for task in tasks], total


async def show_task(query: ShowTask, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    task = await readable_task(uow, deps, query)
    deadlines = (await repository.deadlines_of(uow.conn, [task.id]))[task.id]
    return await seen(uow, deps, task, deadlines, query.actor, history=await repository.history(uow.conn, task.id))


async def show_audit_trail(query: ShowAuditTrail, uow: UnitOfWork, deps: ReviewDeps) -> list[dict[str, Any]]:
    task = await readable_task(uow, deps, query)
    return await repository.history(uow.conn, task.id)


async def open_document(command: OpenDocument, uow: UnitOfWork, deps: ReviewDeps) -> tuple[Path, dict[str, Any]]:
    """The stored file of one of the task's documents, and its reference (name, content type).
    The download is recorded in the audit trail before the file is handed out."""
    task = await readable_task(uow, deps, command)
    document = next((d for d in task.documents if d.get("sha256") == command.sha256), None)
    if document is None:
        raise NotFound(f"The task has no document with sha256 {command.sha256}.")
    if not deps.documents.exists(command.sha256):
        raise NotFound(f"The document {command.sha256} is not in the document store.")
    await repository.add_history(uow.conn, task, actor=command.actor.sub, action=AuditAction.DOWNLOAD_DOCUMENT,
                                 from_status=task.status, note=f"{document.get('type') or 'document'} {command.sha256}")
    log.info("document_downloaded", task_id=str(task.id), sha256=command.sha256)
    return deps.documents.path_of(command.sha256), document
