"""Tasks: list, detail, claim, observations, decision, finance steps, audit trail."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from services.review import handlers
from services.review.api.common import AUDITORS, CLAIMERS, DECIDERS, FINANCE, READERS, actor, task_out
from services.review.api.models import (
    DecisionIn,
    HistoryEntry,
    ObservationsIn,
    StepIn,
    TaskDetail,
    TaskOut,
    TaskPage,
)
from services.review.deps import Deps
from services.review.domain.commands import ClaimTask, DecideTask, IssueObservations, RecordStep
from services.review.repository import TaskFilter
from shared.auth import Staff
from shared.deps import UnitOfWorkDep
from shared.lifecycle import Status

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


@router.get("", summary="Tasks, oldest first (or nearest deadline first)", response_model=TaskPage)
async def list_tasks(
    staff: Annotated[Staff, Depends(READERS)],
    uow: UnitOfWorkDep,
    deps: Deps,
    status: Status | None = None,
    kind: str | None = None,
    assignee: str | None = None,
    tracking_number: str | None = None,
    overdue: Annotated[bool, Query(description="Only open tasks past an unmet deadline.")] = False,
    sort: Annotated[Literal["created_at", "due_at"], Query(description="due_at: nearest open deadline first.")] = "created_at",
    limit: Annotated[int, Query(ge=1)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TaskPage:
    at = deps.clock()
    limit = min(limit, deps.settings.task_page_max)
    where = TaskFilter(status=status, kind=kind, assignee=assignee, tracking_number=tracking_number,
                       overdue_on=deps.calendar.local_day(at) if overdue else None, by_due=sort == "due_at")
    found, total = await handlers.find_tasks(handlers.FindTasks(where, limit, offset), uow, deps)
    return TaskPage(items=[task_out(t, d, deps, at) for t, d in found], total=total, limit=limit, offset=offset)


@router.get("/{task_id}", summary="One task with its deadlines and history", response_model=TaskDetail)
async def get_task(task_id: UUID, staff: Annotated[Staff, Depends(READERS)], uow: UnitOfWorkDep,
                   deps: Deps) -> TaskDetail:
    task, deadlines, history = await handlers.show_task(handlers.ShowTask(task_id), uow, deps)
    return TaskDetail(**task_out(task, deadlines, deps).model_dump(), history=[HistoryEntry(**h) for h in history])


@router.get("/{task_id}/audit", summary="Append-only audit trail: who did what, when, on which filing",
            response_model=list[HistoryEntry])
async def audit(task_id: UUID, staff: Annotated[Staff, Depends(AUDITORS)], uow: UnitOfWorkDep,
                deps: Deps) -> list[HistoryEntry]:
    return [HistoryEntry(**entry) for entry in await handlers.show_audit_trail(handlers.ShowTask(task_id), uow, deps)]


@router.post("/{task_id}/claim", summary="Take a queued task", response_model=TaskOut)
async def claim(task_id: UUID, staff: Annotated[Staff, Depends(CLAIMERS)], uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    return task_out(*await handlers.claim_task(ClaimTask(task_id, actor(staff)), uow, deps), deps)


@router.post("/{task_id}/observations", summary="Ask the applicant for changes or documents (the clock pauses)",
             response_model=TaskOut)
async def observations(task_id: UUID, body: ObservationsIn, staff: Annotated[Staff, Depends(DECIDERS)],
                       uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = IssueObservations(task_id, actor(staff), body.observations)
    return task_out(*await handlers.issue_observations(command, uow, deps), deps)


@router.post("/{task_id}/decision", summary="Decide a task under review (outcomes of its kind)",
             response_model=TaskOut)
async def decision(task_id: UUID, body: DecisionIn, staff: Annotated[Staff, Depends(DECIDERS)],
                   uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = DecideTask(task_id, actor(staff), body.outcome.value, body.text,
                         note=body.note.model_dump(exclude_none=True) if body.note else None,
                         preliminary_observations=body.preliminary_observations)
    return task_out(*await handlers.decide_task(command, uow, deps), deps)


@router.post("/{task_id}/steps", summary="Record a finance step: verified, then approved_for_payment",
             response_model=TaskOut)
async def step(task_id: UUID, body: StepIn, staff: Annotated[Staff, Depends(FINANCE)], uow: UnitOfWorkDep,
               deps: Deps) -> TaskOut:
    command = RecordStep(task_id, actor(staff), body.step.value, body.note)
    return task_out(*await handlers.record_step(command, uow, deps), deps)
