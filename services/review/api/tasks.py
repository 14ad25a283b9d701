"""Tasks: list, detail, claim, observations, decision, finance steps, audit trail."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from services.review import handlers
from services.review.api.common import (
    AUDITORS,
    CLAIMERS,
    DECIDERS,
    FINANCE,
    READERS,
    actor,
    domain_problems,
    now,
    pool,
    task_out,
)
from services.review.api.models import (
    DecisionIn,
    HistoryEntry,
    ObservationsIn,
    StepIn,
    TaskDetail,
    TaskOut,
    TaskPage,
)
from services.review.domain.commands import ClaimTask, DecideTask, IssueObservations, RecordStep
from services.review.handlers import CALENDAR
from services.review.repository import TaskFilter
from shared.auth import Staff
from shared.lifecycle import Status

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


@router.get("", summary="Tasks, oldest first (or nearest deadline first)", response_model=TaskPage)
async def list_tasks(
    request: Request,
    staff: Annotated[Staff, Depends(READERS)],
    status: Status | None = None,
    kind: str | None = None,
    assignee: str | None = None,
    tracking_number: str | None = None,
    overdue: Annotated[bool, Query(description="Only open tasks past an unmet deadline.")] = False,
    sort: Annotated[Literal["created_at", "due_at"], Query(description="due_at: nearest open deadline first.")] = "created_at",
    limit: Annotated[int, Query(ge=1)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TaskPage:
    at = now(request)
    limit = min(limit, request.app.state.settings.task_page_max)
    where = TaskFilter(status=status, kind=kind, assignee=assignee, tracking_number=tracking_number,
                       overdue_on=CALENDAR.local_day(at) if overdue else None, by_due=sort == "due_at")
    found, total = await handlers.find_tasks(pool(request), where, limit=limit, offset=offset)
    return TaskPage(items=[task_out(t, d, at) for t, d in found], total=total, limit=limit, offset=offset)


@router.get("/{task_id}", summary="One task with its deadlines and history", response_model=TaskDetail)
async def get_task(task_id: UUID, request: Request, staff: Annotated[Staff, Depends(READERS)]) -> TaskDetail:
    with domain_problems():
        task, deadlines, history = await handlers.task_with_history(pool(request), task_id)
    return TaskDetail(**task_out(task, deadlines, now(request)).model_dump(),
                      history=[HistoryEntry(**entry) for entry in history])


@router.get("/{task_id}/audit", summary="Append-only audit trail: who did what, when, on which filing",
            response_model=list[HistoryEntry])
async def audit(task_id: UUID, request: Request, staff: Annotated[Staff, Depends(AUDITORS)]) -> list[HistoryEntry]:
    with domain_problems():
        return [HistoryEntry(**entry) for entry in await handlers.audit_trail(pool(request), task_id)]


@router.post("/{task_id}/claim", summary="Take a queued task", response_model=TaskOut)
async def claim(task_id: UUID, request: Request, staff: Annotated[Staff, Depends(CLAIMERS)]) -> TaskOut:
    at = now(request)
    with domain_problems():
        task, deadlines = await handlers.claim_task(pool(request), ClaimTask(task_id, actor(staff)),
                                                    correlation_id=request.state.correlation_id, now=at)
    return task_out(task, deadlines, at)


@router.post("/{task_id}/observations", summary="Ask the applicant for changes or documents (the clock pauses)",
             response_model=TaskOut)
async def observations(
    task_id: UUID, body: ObservationsIn, request: Request, staff: Annotated[Staff, Depends(DECIDERS)]
) -> TaskOut:
    at = now(request)
    with domain_problems():
        task, deadlines = await handlers.issue_observations(
            pool(request), IssueObservations(task_id, actor(staff), body.observations),
            correlation_id=request.state.correlation_id, now=at)
    return task_out(task, deadlines, at)


@router.post("/{task_id}/decision", summary="Decide a task under review (outcomes of its kind)",
             response_model=TaskOut)
async def decision(
    task_id: UUID, body: DecisionIn, request: Request, staff: Annotated[Staff, Depends(DECIDERS)]
) -> TaskOut:
    at = now(request)
    command = DecideTask(task_id, actor(staff), body.outcome.value, body.text,
                         note=body.note.model_dump(exclude_none=True) if body.note else None,
                         preliminary_observations=body.preliminary_observations)
    with domain_problems():
        task, deadlines = await handlers.decide_task(pool(request), command,
                                                     correlation_id=request.state.correlation_id, now=at)
    return task_out(task, deadlines, at)


@router.post("/{task_id}/steps", summary="Record a finance step: verified, then approved_for_payment",
             response_model=TaskOut)
async def step(task_id: UUID, body: StepIn, request: Request, staff: Annotated[Staff, Depends(FINANCE)]) -> TaskOut:
    at = now(request)
    with domain_problems():
        task, deadlines = await handlers.record_step(pool(request), RecordStep(task_id, actor(staff), body.step.value,
                                                                               body.note),
                                                     correlation_id=request.state.correlation_id, now=at)
    return task_out(task, deadlines, at)
