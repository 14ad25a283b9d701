"""Staff API (thin): parse the request, call a handler, shape the answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, StringConstraints

from services.review import handlers
from services.review.domain.commands import Actor, ClaimTask, DecideTask, IssueObservations
from services.review.domain.task import InvalidInput, NotAssignee, Outcome, Task, TaskNotFound
from services.review.repository import TaskFilter
from shared.auth import Staff, require_roles
from shared.lifecycle import Status
from shared.problems import Problem

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])

READERS = require_roles("reviewer", "committee", "supervisor", "finance", "ops")
CLAIMERS = require_roles("reviewer", "supervisor", "finance")
DECIDERS = require_roles("reviewer", "committee", "supervisor", "finance")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class TaskOut(BaseModel):
    id: UUID
    tracking_number: str
    kind: str
    status: Status
    version: int
    assignee: str | None
    applicant: dict[str, Any]
    details: dict[str, Any]
    documents: list[dict[str, Any]]
    messages: list[dict[str, Any]] = Field(description="What the applicant sent back, oldest first.")
    observations: list[dict[str, Any]] = Field(description="Observations issued, oldest first: at, by, text.")
    decision: dict[str, Any] | None = Field(description="outcome, text, by, at; null until decided.")
    created_at: datetime
    updated_at: datetime


class HistoryEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str
    note: str | None


class TaskDetail(TaskOut):
    history: list[HistoryEntry]


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int
    limit: int
    offset: int


class ObservationsIn(BaseModel):
    observations: Text


class DecisionIn(BaseModel):
    outcome: Outcome
    text: Text


def _out(task: Task) -> TaskOut:
    return TaskOut.model_validate(task, from_attributes=True)


def _actor(staff: Staff) -> Actor:
    return Actor(sub=staff.sub, supervisor=bool(staff.roles & {"supervisor", "admin"}))


@contextmanager
def _domain_problems() -> Iterator[None]:
    try:
        yield
    except TaskNotFound as exc:
        raise Problem(404, "Task not found", str(exc)) from None
    except NotAssignee as exc:
        raise Problem(403, "Not your task", str(exc)) from None
    except InvalidInput as exc:
        raise Problem(422, "Invalid request", exc.message,
                      errors=[{"field": exc.field, "message": exc.message, "code": "invalid"}]) from None


def _pool(request: Request):
    return request.app.state.runtime.pool


@router.get("", summary="Tasks, oldest first", response_model=TaskPage)
async def list_tasks(
    request: Request,
    staff: Annotated[Staff, Depends(READERS)],
    status: Status | None = None,
    kind: str | None = None,
    assignee: str | None = None,
    tracking_number: str | None = None,
    limit: Annotated[int, Query(ge=1)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TaskPage:
    limit = min(limit, request.app.state.settings.task_page_max)
    where = TaskFilter(status=status, kind=kind, assignee=assignee, tracking_number=tracking_number)
    tasks, total = await handlers.find_tasks(_pool(request), where, limit=limit, offset=offset)
    return TaskPage(items=[_out(task) for task in tasks], total=total, limit=limit, offset=offset)


@router.get("/{task_id}", summary="One task with its history", response_model=TaskDetail)
async def get_task(task_id: UUID, request: Request, staff: Annotated[Staff, Depends(READERS)]) -> TaskDetail:
    with _domain_problems():
        task, history = await handlers.task_with_history(_pool(request), task_id)
    return TaskDetail(**_out(task).model_dump(), history=[HistoryEntry(**entry) for entry in history])


@router.post("/{task_id}/claim", summary="Take a queued task", response_model=TaskOut)
async def claim(task_id: UUID, request: Request, staff: Annotated[Staff, Depends(CLAIMERS)]) -> TaskOut:
    with _domain_problems():
        task = await handlers.claim_task(
            _pool(request), ClaimTask(task_id, _actor(staff)), correlation_id=request.state.correlation_id
        )
    return _out(task)


@router.post("/{task_id}/observations", summary="Ask the applicant for changes or documents", response_model=TaskOut)
async def observations(
    task_id: UUID, body: ObservationsIn, request: Request, staff: Annotated[Staff, Depends(DECIDERS)]
) -> TaskOut:
    with _domain_problems():
        task = await handlers.issue_observations(
            _pool(request),
            IssueObservations(task_id, _actor(staff), body.observations),
            correlation_id=request.state.correlation_id,
        )
    return _out(task)


@router.post("/{task_id}/decision", summary="Decide a task under review", response_model=TaskOut)
async def decision(
    task_id: UUID, body: DecisionIn, request: Request, staff: Annotated[Staff, Depends(DECIDERS)]
) -> TaskOut:
    with _domain_problems():
        task = await handlers.decide_task(
            _pool(request),
            DecideTask(task_id, _actor(staff), body.outcome, body.text),
            correlation_id=request.state.correlation_id,
        )
    return _out(task)
