"""Tasks: list, detail, claim, assignment, observations, decision, finance steps, audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from services.review import handlers
from services.review.api.common import (
    Assigner,
    Auditor,
    Cashier,
    Claimer,
    Decider,
    Observer,
    Reader,
    actor,
    task_out,
)
from services.review.api.models import (
    AssignIn,
    DecisionIn,
    HistoryEntry,
    ObservationsIn,
    StepIn,
    TaskDetail,
    TaskOut,
    TaskPage,
)
from services.review.deps import Deps
from services.review.domain.commands import (
    AssignTask,
    ClaimTask,
    DecideTask,
    IssueObservations,
    RecordStep,
    ShowAuditTrail,
    ShowTask,
)
from services.review.repository import TaskFilter
from shared.deps import Offset, UnitOfWorkDep
from shared.lifecycle import Status
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"], responses=documented_problems(401, 403, 404, 409))


@router.get("", summary="Tasks, oldest first (or nearest deadline first)", response_model=TaskPage)
async def list_tasks(
    staff: Reader,
    uow: UnitOfWorkDep,
    deps: Deps,
    status: Status | None = None,
    kind: str | None = None,
    assignee: str | None = None,
    tracking_number: str | None = None,
    overdue: Annotated[bool, Query(description="Only open tasks past an unmet deadline.")] = False,
    due_before: Annotated[date | None, Query(
        description="Only open tasks with an unmet deadline due on or before this day (YYYY-MM-DD).")] = None,
    session_id: Annotated[UUID | None, Query(description="Only the tasks referred to this committee session.")] = None,
    step: Annotated[Literal["none", "verified", "approved_for_payment"] | None, Query(
        description="Finance: only the tasks whose last recorded step is this one (none: no step yet).")] = None,
    sort: Annotated[Literal["created_at", "due_at"], Query(description="due_at: nearest open deadline first.")] = "created_at",
    limit: Annotated[int, Query(ge=1)] = 50,
    offset: Offset = 0,
) -> TaskPage:
    at = deps.clock()
    limit = min(limit, deps.settings.task_page_max)
    where = TaskFilter(status=status, kind=kind, assignee=assignee, tracking_number=tracking_number,
                       overdue_on=deps.calendar.local_day(at) if overdue else None, by_due=sort == "due_at",
                       due_by=due_before, session_id=session_id, last_step=step)
    found, total = await handlers.find_tasks(handlers.FindTasks(where, limit, offset, actor(staff)), uow, deps)
    return TaskPage(items=[task_out(t, d, deps, staff, at) for t, d in found], total=total, limit=limit,
                    offset=offset)


@router.get("/{task_id}", summary="One task with its deadlines and history", response_model=TaskDetail)
async def get_task(task_id: UUID, staff: Reader, uow: UnitOfWorkDep, deps: Deps) -> TaskDetail:
    task, deadlines, history = await handlers.show_task(ShowTask(task_id, actor(staff)), uow, deps)
    return TaskDetail(**task_out(task, deadlines, deps, staff).model_dump(),
                      history=[HistoryEntry(**h) for h in history])


@router.get("/{task_id}/audit", summary="Append-only audit trail: who did what, when, on which filing",
            response_model=list[HistoryEntry])
async def audit(task_id: UUID, staff: Auditor, uow: UnitOfWorkDep, deps: Deps) -> list[HistoryEntry]:
    trail = await handlers.show_audit_trail(ShowAuditTrail(task_id, actor(staff)), uow, deps)
    return [HistoryEntry(**entry) for entry in trail]


@router.post("/{task_id}/claim", summary="Take a queued task", response_model=TaskOut)
async def claim(task_id: UUID, staff: Claimer, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    return task_out(*await handlers.claim_task(ClaimTask(task_id, actor(staff)), uow, deps), deps, staff)


@router.post("/{task_id}/assign", summary="Give an open task to a colleague (supervisors; audited, no event)",
             response_model=TaskOut)
async def assign(task_id: UUID, body: AssignIn, staff: Assigner, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = AssignTask(task_id, actor(staff), body.assignee)
    return task_out(*await handlers.assign_task(command, uow, deps), deps, staff)


@router.post("/{task_id}/observations", summary="Ask the applicant for changes or documents (the clock pauses)",
             response_model=TaskOut)
async def observations(task_id: UUID, body: ObservationsIn, staff: Observer, uow: UnitOfWorkDep,
                       deps: Deps) -> TaskOut:
    command = IssueObservations(task_id, actor(staff), body.observations)
    return task_out(*await handlers.issue_observations(command, uow, deps), deps, staff)


@router.post("/{task_id}/decision", summary="Decide a task under review (outcomes of its kind)",
             response_model=TaskOut)
async def decision(task_id: UUID, body: DecisionIn, staff: Decider, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = DecideTask(task_id, actor(staff), body.outcome.value, body.text,
                         note=body.note.model_dump(exclude_none=True) if body.note else None,
                         preliminary_observations=body.preliminary_observations)
    return task_out(*await handlers.decide_task(command, uow, deps), deps, staff)


@router.post("/{task_id}/steps", summary="Record a finance step: verified, then approved_for_payment",
             response_model=TaskOut)
async def step(task_id: UUID, body: StepIn, staff: Cashier, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = RecordStep(task_id, actor(staff), body.step.value, body.note)
    return task_out(*await handlers.record_step(command, uow, deps), deps, staff)
