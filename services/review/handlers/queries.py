"""Read side: task lists and details with their deadlines, the audit trail, and documents
(a download is itself written to the audit trail)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from services.review import repository
from services.review.deps import ReviewDeps
from services.review.domain.deadlines import Deadline
from services.review.domain.errors import NotFound, TaskNotFound
from services.review.domain.task import Task
from services.review.handlers.common import log
from services.review.repository import TaskFilter
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class FindTasks:
    where: TaskFilter
    limit: int
    offset: int


@dataclass(frozen=True)
class ShowTask:
    task_id: UUID


@dataclass(frozen=True)
class OpenDocument:
    task_id: UUID
    sha256: str
    actor: str


async def find_tasks(query: FindTasks, uow: UnitOfWork, deps: ReviewDeps
                     ) -> tuple[list[tuple[Task, list[Deadline]]], int]:
    tasks, total = await repository.list_tasks(uow.conn, query.where, limit=query.limit, offset=query.offset)
    deadlines = await repository.deadlines_of(uow.conn, [task.id for task in tasks])
    return [(task, deadlines[task.id]) for task in tasks], total


async def _task(uow: UnitOfWork, task_id: UUID) -> Task:
    task = await repository.get_task(uow.conn, task_id)
    if task is None:
        raise TaskNotFound(f"There is no task {task_id}.")
    return task


async def show_task(query: ShowTask, uow: UnitOfWork, deps: ReviewDeps
                    ) -> tuple[Task, list[Deadline], list[dict[str, Any]]]:
    task = await _task(uow, query.task_id)
    deadlines = (await repository.deadlines_of(uow.conn, [task.id]))[task.id]
    return task, deadlines, await repository.history(uow.conn, task.id)


async def show_audit_trail(query: ShowTask, uow: UnitOfWork, deps: ReviewDeps) -> list[dict[str, Any]]:
    task = await _task(uow, query.task_id)
    return await repository.history(uow.conn, task.id)


async def open_document(command: OpenDocument, uow: UnitOfWork, deps: ReviewDeps) -> tuple[Path, dict[str, Any]]:
    """The stored file of one of the task's documents, and its reference (name, content type).
    The download is recorded in the audit trail before the file is handed out."""
    task = await _task(uow, command.task_id)
    document = next((d for d in task.documents if d.get("sha256") == command.sha256), None)
    if document is None:
        raise NotFound(f"The task has no document with sha256 {command.sha256}.")
    if not deps.documents.exists(command.sha256):
        raise NotFound(f"The document {command.sha256} is not in the document store.")
    await repository.add_history(uow.conn, task, actor=command.actor, action="download_document",
                                 from_status=task.status, note=f"{document.get('type') or 'document'} {command.sha256}")
    log.info("document_downloaded", task_id=str(task.id), sha256=command.sha256)
    return deps.documents.path_of(command.sha256), document
