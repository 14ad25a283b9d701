"""Read side: task lists and details with their deadlines, the audit trail, and documents
(a download is itself written to the audit trail)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg

from services.review import repository
from services.review.domain.deadlines import Deadline
from services.review.domain.errors import NotFound, TaskNotFound
from services.review.domain.task import Task
from services.review.handlers.common import log
from services.review.repository import TaskFilter


async def find_tasks(
    pool: asyncpg.Pool, where: TaskFilter, *, limit: int, offset: int
) -> tuple[list[tuple[Task, list[Deadline]]], int]:
    async with pool.acquire() as conn:
        tasks, total = await repository.list_tasks(conn, where, limit=limit, offset=offset)
        deadlines = await repository.deadlines_of(conn, [task.id for task in tasks])
    return [(task, deadlines[task.id]) for task in tasks], total


async def task_with_history(pool: asyncpg.Pool, task_id: UUID) -> tuple[Task, list[Deadline], list[dict[str, Any]]]:
    async with pool.acquire() as conn:
        task = await repository.get_task(conn, task_id)
        if task is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        deadlines = (await repository.deadlines_of(conn, [task_id]))[task_id]
        return task, deadlines, await repository.history(conn, task_id)


async def audit_trail(pool: asyncpg.Pool, task_id: UUID) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        if await repository.get_task(conn, task_id) is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        return await repository.history(conn, task_id)


async def open_document(
    pool: asyncpg.Pool, task_id: UUID, sha256: str, *, actor: str, documents_dir: Path
) -> tuple[Path, dict[str, Any]]:
    """The stored file of one of the task's documents, and its reference (name, content type).
    The download is recorded in the audit trail before the file is handed out."""
    async with pool.acquire() as conn, conn.transaction():
        task = await repository.get_task(conn, task_id)
        if task is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        document = next((d for d in task.documents if d.get("sha256") == sha256), None)
        if document is None:
            raise NotFound(f"The task has no document with sha256 {sha256}.")
        path = Path(documents_dir) / sha256[:2] / sha256
        if not path.is_file():
            raise NotFound(f"The document {sha256} is not in the document store.")
        await repository.add_history(conn, task, actor=actor, action="download_document", from_status=task.status,
                                     note=f"{document.get('type') or 'document'} {sha256}")
    log.info("document_downloaded", task_id=str(task_id), sha256=sha256)
    return path, document
