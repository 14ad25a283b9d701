"""Operators' actions on parked messages: look, replay, drop (shared/messaging/parked.py), each
replay and drop recorded in ``ops_actions`` with who did it. Kept apart from the daily report's
modules; the SQL here is this feature's only."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import asyncpg
import structlog

from services.reporting.deps import ReportingDeps
from shared.errors import NotFound
from shared.messaging.parked import ParkedMessage, ReplayStopped, open_parked
from shared.messaging.topology import TOPOLOGY, QueueSpec
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
# What of an event an operator without the right to personal data may see: its envelope and
# these fields of its data (states, codes and identifiers, never an applicant's words or contact).
PUBLIC_DATA = frozenset({
    "task_id", "tracking_number", "kind", "status", "version", "assignee", "outcome", "step", "opinion",
    "committee_opinion", "member", "session_id", "session_date", "deadline", "due_at", "received_at",
    "delivery_id", "cause_event_id", "template", "language", "report_date", "totals", "previous_tracking_number",
})


@dataclass(frozen=True)
class ShowParked:
    queue: str
    limit: int
    personal_data: bool  # may the asker see the events' personal data?


@dataclass(frozen=True)
class MoveParked:
    """Replay or drop the parked messages named by ``ids`` (None: every message parked now)."""

    queue: str
    action: str  # "replay" or "drop"
    ids: Collection[str] | None
    actor: str


@dataclass(frozen=True)
class ListOpsActions:
    limit: int
    offset: int


def work_queue(name: str) -> QueueSpec:
    for spec in TOPOLOGY:
        if name in (spec.name, spec.parked):
            return spec
    raise NotFound(f"There is no work queue {name!r}.")


def redacted(message: ParkedMessage, personal_data: bool) -> dict[str, Any]:
    shown = message.as_dict()
    event = shown["event"]
    if event is not None and not personal_data:
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        shown["event"] = {**{k: v for k, v in event.items() if k != "data"},
                          "data": {k: v for k, v in data.items() if k in PUBLIC_DATA}}
    if not personal_data:  # an error message may quote an address or a name
        shown["error"] = shown["error"].split(":", 1)[0][:120]
    return shown


async def show_parked(query: ShowParked, uow: UnitOfWork, deps: ReportingDeps) -> dict[str, Any]:
    spec = work_queue(query.queue)
    async with open_parked(deps.settings.amqp_url, spec) as parked:
        messages = await parked.peek(query.limit)
        depth = parked.depth
    return {"queue": spec.name, "parked_queue": spec.parked, "parked": depth,
            "messages": [redacted(m, query.personal_data) for m in messages]}


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
    await record(uow.conn, command, spec, moved)
    log.info("parked_messages_moved", action=command.action, queue=spec.name, count=len(moved),
             complete=stopped is None)
    return {"queue": spec.name, "action": command.action, "count": len(moved), "ids": [m.id for m in moved],
            "complete": stopped is None, "error": stopped.detail if stopped else None}


async def record(conn: asyncpg.Connection, command: MoveParked, spec: QueueSpec, moved: list[ParkedMessage]) -> None:
    await conn.executemany(
        "INSERT INTO ops_actions (actor, action, queue, message_id, event_type, subject) VALUES ($1, $2, $3, $4, $5, $6)",
        [(command.actor, command.action, spec.name, m.id, m.type, m.subject) for m in moved],
    )


async def list_ops_actions(query: ListOpsActions, uow: UnitOfWork, deps: ReportingDeps
                           ) -> tuple[list[dict[str, Any]], int]:
    total = await uow.conn.fetchval("SELECT count(*) FROM ops_actions")
    rows = await uow.conn.fetch(
        "SELECT at, actor, action, queue, message_id, event_type, subject FROM ops_actions "
        "ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2", query.limit, query.offset)
    return [dict(row) for row in rows], total
