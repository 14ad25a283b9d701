"""Committee: sessions, referral, members' opinions, publication of the aggregated opinion."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import asyncpg

from services.review import repository
from services.review.deps import ReviewDeps
from services.review.domain.audit import AuditAction
from services.review.domain.commands import (
    ListSessions,
    OpenSession,
    PublishOpinion,
    RecordOpinion,
    ReferToCommittee,
    ShowTask,
)
from services.review.domain.committee import already_given, check_session_date
from services.review.domain.errors import Conflict, InvalidInput
from services.review.domain.task import Task
from services.review.domain.views import TaskView
from services.review.handlers._common import change_task, log, readable_task
from shared.envelope import EventData
from shared.unit_of_work import UnitOfWork


async def open_session(command: OpenSession, uow: UnitOfWork, deps: ReviewDeps) -> dict[str, Any]:
    settings = deps.settings
    check_session_date(command.session_date, deps.calendar.local_day(deps.clock()),
                       days_back=settings.session_days_back, days_ahead=settings.session_days_ahead)
    session = await repository.insert_session(uow.conn, uuid4(), command.session_date, command.actor.sub)
    log.info("committee_session_opened", session_id=str(session["id"]), session_date=str(command.session_date))
    return session


async def list_sessions(query: ListSessions, uow: UnitOfWork, deps: ReviewDeps) -> list[dict[str, Any]]:
    return await repository.list_sessions(uow.conn)


async def refer_task(command: ReferToCommittee, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        session = None
        if command.session_id is not None:
            session = await repository.get_session(conn, command.session_id)
            if session is None:
                raise InvalidInput("session_id", f"there is no committee session {command.session_id}")
        event = task.refer(deps.catalogue.kind(task.kind), command.session_id, session and session["session_date"])
        return [event], f"session {session['session_date']}" if session else None

    return await change_task(uow, deps, command, action=AuditAction.REFER_TO_COMMITTEE, change=change)


async def record_opinion(command: RecordOpinion, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    member = command.actor.sub

    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        round_ = task.committee_round
        given = await repository.opinions(conn, task.id, round_)
        event = task.record_opinion(member, command.opinion, command.motive, given)
        if not await repository.insert_opinion(conn, task.id, round_, member, event.opinion, event.motive):
            raise Conflict(already_given(member, round_))  # another request of the same member, at once
        return [event], f"{event.opinion}: {event.motive}"

    return await change_task(uow, deps, command, action=AuditAction.RECORD_OPINION, change=change)


async def publish_opinion(command: PublishOpinion, uow: UnitOfWork, deps: ReviewDeps) -> TaskView:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        given = await repository.opinions(conn, task.id, task.committee_round)
        session = await repository.get_session(conn, task.session_id) if task.session_id else None
        published, decided = task.publish(command.actor.sub, [(o["opinion"], o["motive"]) for o in given],
                                          session and session["session_date"])
        return [published] + ([decided] if decided else []), f"{published.opinion}: {published.motive}"

    return await change_task(uow, deps, command, action=AuditAction.PUBLISH_OPINION, change=change)


async def list_task_opinions(query: ShowTask, uow: UnitOfWork, deps: ReviewDeps) -> list[dict[str, Any]]:
    task = await readable_task(uow, deps, query)
    return await repository.opinions(uow.conn, task.id)
