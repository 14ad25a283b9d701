"""Committee: sessions, referral of a task, members' opinions, publication."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request

from services.review import handlers
from services.review.api.common import (
    MEMBERS,
    READERS,
    REFERRERS,
    SUPERVISORS,
    actor,
    domain_problems,
    now,
    pool,
    task_out,
)
from services.review.api.models import OpinionIn, OpinionOut, ReferIn, SessionIn, SessionOut, TaskOut
from services.review.domain.commands import OpenSession, PublishOpinion, RecordOpinion, ReferToCommittee
from shared.auth import Staff

router = APIRouter(prefix="/api/v1", tags=["committee"])


@router.post("/committee/sessions", status_code=201, summary="Schedule a committee session", response_model=SessionOut)
async def open_session(body: SessionIn, request: Request, staff: Annotated[Staff, Depends(SUPERVISORS)]) -> SessionOut:
    return SessionOut(**await handlers.open_session(pool(request), OpenSession(actor(staff), body.session_date)))


@router.get("/committee/sessions", summary="Committee sessions, latest first", response_model=list[SessionOut])
async def list_sessions(request: Request, staff: Annotated[Staff, Depends(READERS)]) -> list[SessionOut]:
    return [SessionOut(**session) for session in await handlers.sessions(pool(request))]


@router.post("/tasks/{task_id}/refer", summary="Send a task under review to the committee", response_model=TaskOut)
async def refer(task_id: UUID, request: Request, staff: Annotated[Staff, Depends(REFERRERS)],
                body: ReferIn | None = None) -> TaskOut:
    at = now(request)
    command = ReferToCommittee(task_id, actor(staff), body.session_id if body else None)
    with domain_problems():
        task, deadlines = await handlers.refer_task(pool(request), command,
                                                    correlation_id=request.state.correlation_id, now=at)
    return task_out(task, deadlines, at)


@router.post("/tasks/{task_id}/opinions", status_code=201, summary="A committee member's opinion (one per round)",
             response_model=TaskOut)
async def record_opinion(task_id: UUID, body: OpinionIn, request: Request,
                         staff: Annotated[Staff, Depends(MEMBERS)]) -> TaskOut:
    at = now(request)
    command = RecordOpinion(task_id, actor(staff), body.opinion.value, body.motive)
    with domain_problems():
        task, deadlines = await handlers.record_opinion(pool(request), command,
                                                        correlation_id=request.state.correlation_id, now=at)
    return task_out(task, deadlines, at)


@router.get("/tasks/{task_id}/opinions", summary="Members' opinions, every round", response_model=list[OpinionOut])
async def list_opinions(task_id: UUID, request: Request, staff: Annotated[Staff, Depends(READERS)]) -> list[OpinionOut]:
    with domain_problems():
        return [OpinionOut(**o) for o in await handlers.task_opinions(pool(request), task_id)]


@router.post("/tasks/{task_id}/publish", summary="Publish the round's aggregated (most severe) opinion",
             response_model=TaskOut)
async def publish(task_id: UUID, request: Request, staff: Annotated[Staff, Depends(SUPERVISORS)]) -> TaskOut:
    at = now(request)
    with domain_problems():
        task, deadlines = await handlers.publish_opinion(pool(request), PublishOpinion(task_id, actor(staff)),
                                                         correlation_id=request.state.correlation_id, now=at)
    return task_out(task, deadlines, at)
