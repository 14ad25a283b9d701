"""Tasks: list, detail, claim, assignment, observations, decision, finance steps, audit trail."""

from __future__ import annotations

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
    task_detail,
    task_out,
)
from services.review.api.models import (
    AssignIn,
    Day,
    DecisionIn,
    HistoryEntry,
    ObservationsIn,
    StepIn,
    TaskDetail,
    TaskOut,
    TaskPage,
)
from services.review.api.paths import ACTION_PATHS, TASKS
from services.review.deps import Deps
from services.review.domain.commands import (
    AssignTask,
    ClaimTask,
    DecideTask,
    FindTasks,
    IssueObservations,
    RecordStep,
    ShowAuditTrail,
    ShowTask,
    TaskFilter,
)
from services.review.domain.finance import Stage
from shared.deps import Offset, UnitOfWorkDep
from shared.lifecycle import Status
from shared.problems import documented_problems

router = APIRouter(prefix=TASKS, tags=["tasks"], responses=documented_problems(401, 403, 404, 409))


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
    due_before: Annotated[Day | None, Query(
        description="Only open tasks with an unmet deadline due on or before this day (YYYY-MM-DD).")] = None,
    session_id: Annotated[UUID | None, Query(description="Only the tasks referred to this committee session.")] = None,
    step: Annotated[Literal["none", "verified", "approved_for_payment"] | None, Query(
        description="Finance: only the tasks whose last recorded step is this one (none: no step yet).")] = None,
    finance_stage: Annotated[Stage | None, Query(
        description="Supplier invoices: only those at this stage (to_verify, to_approve, to_pay, paid).")] = None,
    sort: Annotated[Literal["created_at", "due_at"], Query(description="due_at: nearest open deadline first.")] = "created_at",
    limit: Annotated[int, Query(ge=1)] = 50,
    offset: Offset = 0,
) -> TaskPage:
    limit = min(limit, deps.settings.task_page_max)
    overdue_on = deps.calendar.local_day(deps.clock()) if overdue else None
    where = TaskFilter(status=status, kind=kind, assignee=assignee, tracking_number=tracking_number,
                       overdue_on=overdue_on, by_due=sort == "due_at", due_by=due_before, session_id=session_id,
                       last_step=step, finance_stage=finance_stage)
    found, total = await handlers.find_tasks(FindTasks(where, limit, offset, actor(staff, deps)), uow, deps)
    return TaskPage(items=[task_out(view, deps, staff) for view in found], total=total, limit=limit, offset=offset)


@router.get("/{task_id}", summary="One task with its deadlines, history, timeline and committee round",
            response_model=TaskDetail)
async def get_task(task_id: UUID, staff: Reader, uow: UnitOfWorkDep, deps: Deps) -> TaskDetail:
    return task_detail(await handlers.show_task(ShowTask(task_id, actor(staff, deps)), uow, deps), deps, staff)


@router.get("/{task_id}/audit", summary="Append-only audit trail: who did what, when, on which filing",
            response_model=list[HistoryEntry])
async def audit(task_id: UUID, staff: Auditor, uow: UnitOfWorkDep, deps: Deps) -> list[HistoryEntry]:
    trail = await handlers.show_audit_trail(ShowAuditTrail(task_id, actor(staff, deps)), uow, deps)
    return [HistoryEntry(**entry) for entry in trail]


@router.post(ACTION_PATHS[ClaimTask.ACTION], summary="Take a queued task", response_model=TaskOut)
async def claim(task_id: UUID, staff: Claimer, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    return task_out(await handlers.claim_task(ClaimTask(task_id, actor(staff, deps)), uow, deps), deps, staff)


@router.post(ACTION_PATHS[AssignTask.ACTION],
             summary="Give an open task to a colleague (supervisors; audited, no event)", response_model=TaskOut)
async def assign(task_id: UUID, body: AssignIn, staff: Assigner, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = AssignTask(task_id, actor(staff, deps), body.assignee)
    return task_out(await handlers.assign_task(command, uow, deps), deps, staff)


@router.post(ACTION_PATHS[IssueObservations.ACTION],
             summary="Ask the applicant for changes or documents (the clock pauses)", response_model=TaskOut)
async def observations(task_id: UUID, body: ObservationsIn, staff: Observer, uow: UnitOfWorkDep,
                       deps: Deps) -> TaskOut:
    command = IssueObservations(task_id, actor(staff, deps), body.observations)
    return task_out(await handlers.issue_observations(command, uow, deps), deps, staff)


@router.post(ACTION_PATHS[DecideTask.ACTION], summary="Decide a task under review (outcomes of its kind)",
             response_model=TaskOut)
async def decision(task_id: UUID, body: DecisionIn, staff: Decider, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = DecideTask(task_id, actor(staff, deps), body.outcome.value, body.text,
                         note=body.note.model_dump(exclude_none=True) if body.note else None,
                         preliminary_observations=body.preliminary_observations)
    return task_out(await handlers.decide_task(command, uow, deps), deps, staff)


@router.post(ACTION_PATHS[RecordStep.ACTION], summary="Record a finance step: verified, then approved_for_payment",
             response_model=TaskOut)
async def step(task_id: UUID, body: StepIn, staff: Cashier, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = RecordStep(task_id, actor(staff, deps), body.step.value, body.note)
    return task_out(await handlers.record_step(command, uow, deps), deps, staff)
