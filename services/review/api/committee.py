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
from services.review.api.paths import ACTION_PATHS, TASKS
from services.review.deps import Deps
from services.review.domain.commands import (
    ListSessions,
    OpenSession,
    PublishOpinion,
    RecordOpinion,
    ReferToCommittee,
    ShowTask,
)
from shared.deps import UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1/committee", tags=["committee"], responses=documented_problems(401, 403, 404, 409))
task_router = APIRouter(prefix=TASKS, tags=["committee"], responses=documented_problems(401, 403, 404, 409))


@router.post("/sessions", status_code=201, summary="Schedule a committee session", response_model=SessionOut)
async def open_session(body: SessionIn, staff: SessionOpener, uow: UnitOfWorkDep, deps: Deps) -> SessionOut:
    return SessionOut(**await handlers.open_session(OpenSession(actor(staff, deps), body.session_date), uow, deps))


@router.get("/sessions", summary="Committee sessions, latest first", response_model=list[SessionOut])
async def list_sessions(staff: SessionReader, uow: UnitOfWorkDep, deps: Deps) -> list[SessionOut]:
    return [SessionOut(**session) for session in await handlers.list_sessions(ListSessions(), uow, deps)]


@task_router.post(ACTION_PATHS[ReferToCommittee.ACTION], summary="Send a task under review to the committee",
                  response_model=TaskOut)
async def refer(task_id: UUID, staff: Referrer, uow: UnitOfWorkDep, deps: Deps,
                body: ReferIn | None = None) -> TaskOut:
    command = ReferToCommittee(task_id, actor(staff, deps), body.session_id if body else None)
    return task_out(await handlers.refer_task(command, uow, deps), deps, staff)


@task_router.post(ACTION_PATHS[RecordOpinion.ACTION], status_code=201,
                  summary="A committee member's opinion (one per round)", response_model=TaskOut)
async def record_opinion(task_id: UUID, body: OpinionIn, staff: Member, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = RecordOpinion(task_id, actor(staff, deps), body.opinion.value, body.motive)
    return task_out(await handlers.record_opinion(command, uow, deps), deps, staff)


@task_router.get(ACTION_PATHS[RecordOpinion.ACTION], summary="Members' opinions, every round",
                 response_model=list[OpinionOut])
async def list_opinions(task_id: UUID, staff: Reader, uow: UnitOfWorkDep, deps: Deps) -> list[OpinionOut]:
    opinions = await handlers.list_task_opinions(ShowTask(task_id, actor(staff, deps)), uow, deps)
    return [OpinionOut(**o) for o in opinions]


@task_router.post(ACTION_PATHS[PublishOpinion.ACTION], summary="Publish the round's aggregated (most severe) opinion",
                  response_model=TaskOut)
async def publish(task_id: UUID, staff: Publisher, uow: UnitOfWorkDep, deps: Deps) -> TaskOut:
    command = PublishOpinion(task_id, actor(staff, deps))
    return task_out(await handlers.publish_opinion(command, uow, deps), deps, staff)
