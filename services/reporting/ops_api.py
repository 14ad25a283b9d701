"""Operators' HTTP API for parked messages: look at them (with their error and event), replay
them to their work queue or drop them, and the trail of those actions. The policy's ``parked``
action (shared/policy.toml); events lose their personal data for roles that do not see it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, StringConstraints

from services.reporting import ops_handlers as handlers
from services.reporting.deps import Deps
from shared.auth import Staff, require
from shared.deps import Offset, UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1/ops", tags=["operations"], responses=documented_problems(401, 403, 404, 503))
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


@router.get("/parked/{queue}", summary="The parked messages of a work queue, with their error and event",
            response_model=ParkedPage)
async def list_parked(queue: str, staff: Operator, uow: UnitOfWorkDep, deps: Deps,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50) -> ParkedPage:
    query = handlers.ShowParked(queue, limit, deps.policy.sees_personal_data(staff.roles))
    return ParkedPage(**await handlers.show_parked(query, uow, deps))


async def _move(queue: str, action: str, body: MoveIn | None, staff: Staff, uow, deps) -> MoveOut:
    command = handlers.MoveParked(queue, action, body.ids if body else None, staff.sub)
    return MoveOut(**await handlers.move_parked(command, uow, deps))


@router.post("/parked/{queue}/replay", summary="Send parked messages back to their work queue (audited)",
             response_model=MoveOut)
async def replay_parked(queue: str, staff: Operator, uow: UnitOfWorkDep, deps: Deps,
                        body: MoveIn | None = None) -> MoveOut:
    return await _move(queue, "replay", body, staff, uow, deps)


@router.post("/parked/{queue}/drop", summary="Remove parked messages for good (audited)", response_model=MoveOut)
async def drop_parked(queue: str, staff: Operator, uow: UnitOfWorkDep, deps: Deps,
                      body: MoveIn | None = None) -> MoveOut:
    return await _move(queue, "drop", body, staff, uow, deps)


@router.get("/actions", summary="Who replayed or dropped which parked message, newest first",
            response_model=OpsActionPage)
async def list_actions(staff: Operator, uow: UnitOfWorkDep, deps: Deps,
                       limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0) -> OpsActionPage:
    rows, total = await handlers.list_ops_actions(handlers.ListOpsActions(limit, offset), uow, deps)
    return OpsActionPage(items=[OpsAction(**row) for row in rows], total=total, limit=limit, offset=offset)
