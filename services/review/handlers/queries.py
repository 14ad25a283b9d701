"""Read side: task lists and details with their deadlines, the audit trail, and documents
(a download is itself written to the audit trail)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from services.review import repository
from services.review.deps import ReviewDeps
from services.review.domain.commands import Actor, OpenDocument, ShowAuditTrail, ShowTask
from services.review.domain.deadlines import Deadline
from services.review.domain.errors import NotFound
from services.review.domain.task import Task
from services.review.handlers.common import log, readable_task
from services.review.repository import TaskFilter
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class FindTasks:
    where: TaskFilter
    limit: int
    offset: int
    actor: Actor


async def find_tasks(query: FindTasks, uow: UnitOfWork, deps: ReviewDeps
                     ) -> tuple[list[tuple[Task, list[Deadline]]], int]:
    """Only the kinds the asker's roles may read: the others are absent, not refused."""
    kinds = deps.policy.kinds_for(query.actor.roles, "read")
    where = replace(query.where, kinds=None if kinds is None else frozenset(kinds))
    tasks, total = await repository.list_tasks(uow.conn, where, limit=query.limit, offset=query.offset)
    deadlines = await repository.deadlines_of(uow.conn, [task.id for task in tasks])
    return [(task, deadlines[task.id]) for task in tasks], total


async def show_task(query: ShowTask, uow: UnitOfWork, deps: ReviewDeps
                    ) -> tuple[Task, list[Deadline], list[dict[str, Any]]]:
    task = await readable_task(uow, deps, query)
    deadlines = (await repository.deadlines_of(uow.conn, [task.id]))[task.id]
    return task, deadlines, await repository.history(uow.conn, task.id)


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
    await repository.add_history(uow.conn, task, actor=command.actor.sub, action="download_document",
                                 from_status=task.status, note=f"{document.get('type') or 'document'} {command.sha256}")
    log.info("document_downloaded", task_id=str(task.id), sha256=command.sha256)
    return deps.documents.path_of(command.sha256), document
