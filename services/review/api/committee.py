"""Committee: sessions, referral of a task, members' opinions, publication."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from services.review import handlers
from services.review.api.common import (
    Member,
    Publisher,
    Reader,
    Referrer,
    SessionOpener,
    SessionReader,
    actor,
    task_out,
)
from services.review.api.models import OpinionIn, OpinionOut, ReferIn, SessionIn, SessionOut, TaskOut
from services.review.deps import Deps
from services.review.domain.commands import OpenSession, PublishOpinion, RecordOpinion, ReferToCommittee, ShowTask
from shared.deps import UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1", tags=["committee"], responses=documented_problems(401, 403, 404, 409))


@router.post("/committee/sessions", status_code=201, summary="Schedule a committee session", response_model=SessionOut)
async def open_session(body: SessionIn, staff: SessionOpener, uow: UnitOfWorkDep, deps: Deps) -> SessionOut:
    return SessionOut(**await handlers.open_session(OpenSession(actor(staff), body.session_date), uow, deps))


@router.get("/committee/sessions", summary="Committee sessions, latest first", response_model=list[SessionOut])
async def list_sessions(staff: SessionReader, uow: UnitOfWorkDep, deps: Deps) -> list[SessionOut]:
    return [SessionOut(**session) for session in await handlers.list_sessions(handlers.ListSessions(), uow, deps)]


@router.post("/tasks/{task_id}/refer", summary="Send a task under review to the committee", response_model=TaskOut)
async def refer(task_id: UUID, staff: Referrer, uow: UnitOfWorkDep, deps: Deps,
                body: ReferIn | None = None) -> TaskOut:
    command = ReferToCommittee(task_id, actor(staff), body.session_id if body else None)
    return task_out(*await handlers.refer_task(command, uow, deps), deps, staff)


@router.post("/tasks/{task_id}/opinions", status_code=201, summary="A committee member's opinion (one per round)",
             response_model=TaskOut)
async def record_opinion(task_id: UUID, body: OpinionIn, staff: Member, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = RecordOpinion(task_id, actor(staff), body.opinion.value, body.motive)
    return task_out(*await handlers.record_opinion(command, uow, deps), deps, staff)


@router.get("/tasks/{task_id}/opinions", summary="Members' opinions, every round", response_model=list[OpinionOut])
async def list_opinions(task_id: UUID, staff: Reader, uow: UnitOfWorkDep, deps: Deps) -> list[OpinionOut]:
    return [OpinionOut(**o) for o in await handlers.list_task_opinions(ShowTask(task_id, actor(staff)), uow, deps)]


@router.post("/tasks/{task_id}/publish", summary="Publish the round's aggregated (most severe) opinion",
             response_model=TaskOut)
async def publish(task_id: UUID, staff: Publisher, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    return task_out(*await handlers.publish_opinion(PublishOpinion(task_id, actor(staff)), uow, deps), deps, staff)
