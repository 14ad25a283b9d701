"""Committee: sessions, referral, members' opinions, publication of the aggregated opinion."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from services.review import repository
from services.review.domain.commands import OpenSession, PublishOpinion, RecordOpinion, ReferToCommittee
from services.review.domain.errors import Conflict, InvalidInput, TaskNotFound
from services.review.domain.task import Task
from services.review.handlers.common import change_task, log, spec_of
from services.review.handlers.staff import Result
from shared.envelope import EventData
from shared.lifecycle import Action


async def open_session(pool: asyncpg.Pool, command: OpenSession) -> dict[str, Any]:
    async with pool.acquire() as conn:
        session = await repository.insert_session(conn, uuid4(), command.session_date, command.actor.sub)
    log.info("committee_session_opened", session_id=str(session["id"]), session_date=str(command.session_date))
    return session


async def sessions(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return await repository.list_sessions(conn)


async def refer_task(pool: asyncpg.Pool, command: ReferToCommittee, *, correlation_id: str, now: datetime) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        task.ensure_may_act(command.actor.sub, supervisor=command.actor.supervisor)
        session = None
        if command.session_id is not None:
            session = await repository.get_session(conn, command.session_id)
            if session is None:
                raise InvalidInput("session_id", f"there is no committee session {command.session_id}")
        event = task.refer(spec_of(task.kind), command.session_id, session and session["session_date"])
        return [event], f"session {session['session_date']}" if session else None

    return await change_task(pool, command.task_id, actor=command.actor.sub, action=Action.REFER_TO_COMMITTEE,
                             change=change, correlation_id=correlation_id, now=now)


async def record_opinion(pool: asyncpg.Pool, command: RecordOpinion, *, correlation_id: str, now: datetime) -> Result:
    member = command.actor.sub

    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        round_ = task.committee_round
        event = task.record_opinion(member, command.opinion, command.motive)
        if not await repository.insert_opinion(conn, task.id, round_, member, event.opinion, event.motive):
            raise Conflict(f"{member} has already given an opinion in round {round_} of this task.")
        return [event], f"{event.opinion}: {event.motive}"

    return await change_task(pool, command.task_id, actor=member, action="record_opinion", change=change,
                             correlation_id=correlation_id, now=now)


async def publish_opinion(pool: asyncpg.Pool, command: PublishOpinion, *, correlation_id: str, now: datetime) -> Result:
    async def change(conn: asyncpg.Connection, task: Task) -> tuple[list[EventData], str | None]:
        given = await repository.opinions(conn, task.id, task.committee_round)
        session = await repository.get_session(conn, task.session_id) if task.session_id else None
        published, decided = task.publish(command.actor.sub, [(o["opinion"], o["motive"]) for o in given],
                                          session and session["session_date"])
        return [published] + ([decided] if decided else []), f"{published.opinion}: {published.motive}"

    return await change_task(pool, command.task_id, actor=command.actor.sub, action="publish_opinion", change=change,
                             correlation_id=correlation_id, now=now)


async def task_opinions(pool: asyncpg.Pool, task_id: UUID) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        if await repository.get_task(conn, task_id) is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        return await repository.opinions(conn, task_id)
