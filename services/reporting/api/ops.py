"""The operators' API: the state of every work queue, and the parked messages — look at them
(with their error and event), replay them to their work queue or drop them, and the trail of
those actions. The policy's ``queues`` and ``parked`` actions (shared/policy.toml); events lose
their personal data for roles that do not see it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, StringConstraints

from services.reporting import handlers
from services.reporting.deps import Deps, ReportingDeps
from services.reporting.domain.commands import ListOpsActions, MoveParked, ShowParked, ShowQueues
from shared.auth import Staff, require
from shared.deps import Offset, UnitOfWorkDep
from shared.problems import documented_problems
from shared.unit_of_work import UnitOfWork

router = APIRouter(prefix="/api/v1/ops", tags=["operations"], responses=documented_problems(401, 403, 503))
Operator = Annotated[Staff, Depends(require("parked"))]
MessageId = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\r\n]+$")]


class ParkedOut(BaseModel):
    id: str
    type: str
    subject: str
    parked_at: str
    error: str = Field(description="Why it was parked (its first words only for roles without personal data).")
    event: dict[str, Any] | None = Field(description="The event; its data without personal fields for those roles.")


class ParkedPage(BaseModel):
    queue: str
    parked_queue: str
    parked: int = Field(description="How many messages were parked when the queue was read.")
    messages: list[ParkedOut]


class MoveIn(BaseModel):
    ids: list[MessageId] | None = Field(None, min_length=1, max_length=500,
                                        description="The messages to move (their ids); null: every message parked now.")


class MoveOut(BaseModel):
    queue: str
    action: Literal["replay", "drop"]
    count: int
    ids: list[str]
    complete: bool = Field(description="False if the broker stopped a replay midway: the rest stay parked.")
    error: str | None


class OpsAction(BaseModel):
    at: datetime
    actor: str
    action: Literal["replay", "drop"]
    queue: str
    message_id: str
    event_type: str
    subject: str


class OpsActionPage(BaseModel):
    items: list[OpsAction]
    total: int
    limit: int
    offset: int


@router.get("/queues", summary="Depth, consumers, retrying and parked messages of every work queue")
async def get_queues(staff: Annotated[Staff, Depends(require("queues"))], uow: UnitOfWorkDep,
                     deps: Deps) -> dict:
    states = await handlers.show_queues(ShowQueues(), uow, deps)
    return {"vhost": deps.management.vhost, "queues": [state.as_dict() for state in states]}


@router.get("/parked/{queue}", summary="The parked messages of a work queue, with their error and event",
            response_model=ParkedPage, responses=documented_problems(404))
async def list_parked(queue: str, staff: Operator, uow: UnitOfWorkDep, deps: Deps,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50) -> ParkedPage:
    query = ShowParked(queue, limit, staff.roles)
    return ParkedPage(**await handlers.show_parked(query, uow, deps))


async def _move(queue: str, action: str, body: MoveIn | None, staff: Staff, uow: UnitOfWork,
                deps: ReportingDeps) -> MoveOut:
    command = MoveParked(queue, action, body.ids if body else None, staff.sub)
    return MoveOut(**await handlers.move_parked(command, uow, deps))


@router.post("/parked/{queue}/replay", summary="Send parked messages back to their work queue (audited)",
             response_model=MoveOut, responses=documented_problems(404))
async def replay_parked(queue: str, staff: Operator, uow: UnitOfWorkDep, deps: Deps,
                        body: MoveIn | None = None) -> MoveOut:
    return await _move(queue, "replay", body, staff, uow, deps)


@router.post("/parked/{queue}/drop", summary="Remove parked messages for good (audited)", response_model=MoveOut,
             responses=documented_problems(404))
async def drop_parked(queue: str, staff: Operator, uow: UnitOfWorkDep, deps: Deps,
                      body: MoveIn | None = None) -> MoveOut:
    return await _move(queue, "drop", body, staff, uow, deps)


@router.get("/actions", summary="Who replayed or dropped which parked message, newest first",
            response_model=OpsActionPage)
async def list_actions(staff: Operator, uow: UnitOfWorkDep, deps: Deps,
                       limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0) -> OpsActionPage:
    rows, total = await handlers.list_ops_actions(ListOpsActions(limit, offset), uow, deps)
    return OpsActionPage(items=[OpsAction(**row) for row in rows], total=total, limit=limit, offset=offset)
