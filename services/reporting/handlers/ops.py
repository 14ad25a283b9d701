"""Operators' actions on parked messages: look, replay, drop (shared/messaging/parked.py), each
replay and drop recorded in the operators' trail with who did it; and that trail."""

from __future__ import annotations

from typing import Any

import structlog

from services.reporting.deps import ReportingDeps
from services.reporting.domain.commands import ListOpsActions, MoveParked, ShowParked
from services.reporting.domain.parked import redacted, work_queue
from services.reporting.repository import ops
from shared.messaging.parked import ReplayStopped, open_parked
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def show_parked(query: ShowParked, uow: UnitOfWork, deps: ReportingDeps) -> dict[str, Any]:
    spec = work_queue(query.queue)
    async with open_parked(deps.settings.amqp_url, spec) as parked:
        messages = await parked.peek(query.limit)
        depth = parked.depth
    return {"queue": spec.name, "parked_queue": spec.parked, "parked": depth,
            "messages": [redacted(m.as_dict(), deps.policy.sees_personal_data(query.roles)) for m in messages]}


async def move_parked(command: MoveParked, uow: UnitOfWork, deps: ReportingDeps) -> dict[str, Any]:
    """The broker acts first; the audit rows commit with the unit of work. A replay the broker
    stops midway answers what it moved (``complete`` false, the error), so that is audited too."""
    spec = work_queue(command.queue)
    stopped: ReplayStopped | None = None
    async with open_parked(deps.settings.amqp_url, spec) as parked:
        try:
            moved = await (parked.replay(command.ids) if command.action == "replay" else parked.drop(command.ids))
        except ReplayStopped as exc:
            moved, stopped = exc.done, exc
    await ops.record_moves(uow.conn, actor=command.actor, action=command.action, queue=spec.name, moved=moved)
    log.info("parked_messages_moved", action=command.action, queue=spec.name, count=len(moved),
             complete=stopped is None)
    return {"queue": spec.name, "action": command.action, "count": len(moved), "ids": [m.id for m in moved],
            "complete": stopped is None, "error": stopped.detail if stopped else None}


async def list_ops_actions(query: ListOpsActions, uow: UnitOfWork, deps: ReportingDeps
                           ) -> tuple[list[dict[str, Any]], int]:
    return await ops.list_actions(uow.conn, limit=query.limit, offset=query.offset)
