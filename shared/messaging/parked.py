"""Parked messages (a work queue's ``….parked``): looked at, replayed to the work queue or
dropped, over AMQP. One core for `lamadi ops parked` and reporting's operations API.

Only what is parked when the action starts is taken (the queue's depth then), so a replayed
message that fails and is parked again never loops back into the same action. Messages are
held unacknowledged while an action decides, so the broker keeps them if this process dies;
those left alone go back with ``nack(requeue=True)``, to their place in the queue."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue

from shared.errors import Unavailable, UpstreamFailure
from shared.messaging.consumer import ATTEMPT_HEADER, copy_message
from shared.messaging.topology import QueueSpec

ERROR_HEADER, PARKED_AT_HEADER, REPLAYED_AT_HEADER = "x-lamadi-error", "x-lamadi-parked-at", "x-lamadi-replayed-at"
TAKE_TIMEOUT = 10.0


class BrokerUnreachable(Unavailable):
    title = "Broker unavailable"


class QueueNotDeclared(Unavailable):
    title = "Queue not declared yet"


class ReplayStopped(UpstreamFailure):
    """The broker did not confirm a replayed message: it and the rest stay parked."""

    title = "Replay stopped"

    def __init__(self, detail: str, done: list[ParkedMessage]):
        super().__init__(detail)
        self.done = done


@dataclass(frozen=True)
class ParkedMessage:
    """What an operator sees of one parked message: the event's id and type, the filing it is
    about (subject), when and why it was parked, and the event itself (None if unreadable)."""

    id: str
    type: str
    subject: str
    parked_at: str
    error: str
    event: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "subject": self.subject, "parked_at": self.parked_at,
                "error": self.error, "event": self.event}


def _header(message: AbstractIncomingMessage, name: str) -> str:
    value = (message.headers or {}).get(name)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def describe(message: AbstractIncomingMessage) -> ParkedMessage:
    try:
        event = json.loads(message.body)
        event = event if isinstance(event, dict) else None
    except ValueError:
        event = None
    return ParkedMessage(id=message.message_id or "", type=message.type or "",
                         subject=str((event or {}).get("subject") or ""), parked_at=_header(message, PARKED_AT_HEADER),
                         error=" ".join((_header(message, ERROR_HEADER) or _broker_reason(message)).split()),
                         event=event)


def _broker_reason(message: AbstractIncomingMessage) -> str:
    """Why the broker itself dead-lettered a message (a quorum queue's delivery limit)."""
    reason = _header(message, "x-first-death-reason")
    return f"parked by the broker: {reason}" if reason else ""


class ParkedQueue:
    """One look at a parked queue on its own channel (``open_parked``)."""

    def __init__(self, spec: QueueSpec, channel: AbstractChannel, queue: AbstractQueue, depth: int):
        self.spec, self.channel, self.queue, self.depth = spec, channel, queue, depth

    async def take(self, limit: int | None = None) -> list[AbstractIncomingMessage]:
        """Up to ``limit`` (default: every message parked when the look started), unacknowledged."""
        wanted = self.depth if limit is None else min(limit, self.depth)
        taken: list[AbstractIncomingMessage] = []
        while len(taken) < wanted:
            message = await self.queue.get(no_ack=False, fail=False, timeout=TAKE_TIMEOUT)
            if message is None:
                break
            taken.append(message)
        return taken

    async def peek(self, limit: int | None = None) -> list[ParkedMessage]:
        """The parked messages, left in place."""
        taken = await self.take(limit)
        await _give_back(taken)
        return [describe(message) for message in taken]

    async def drop(self, ids: Collection[str] | None = None, count: int | None = None) -> list[ParkedMessage]:
        """Remove for good those named by ``ids`` (default: the first ``count``, or all)."""
        chosen, others = _choose(await self.take(None if ids else count), ids)
        for message in chosen:
            await message.ack()
        await _give_back(others)
        return [describe(message) for message in chosen]

    async def replay(self, ids: Collection[str] | None = None, count: int | None = None) -> list[ParkedMessage]:
        """Back to the work queue with their attempt count reset, each confirmed before it
        leaves the parked queue. Raises ReplayStopped, leaving the rest parked, on a failure."""
        chosen, others = _choose(await self.take(None if ids else count), ids)
        await _give_back(others)
        done: list[ParkedMessage] = []
        for index, message in enumerate(chosen):
            copy = copy_message(message, {REPLAYED_AT_HEADER: datetime.now(UTC).isoformat()}, without=(ATTEMPT_HEADER,))
            try:
                await self.channel.default_exchange.publish(copy, routing_key=self.spec.name, mandatory=True,
                                                            timeout=TAKE_TIMEOUT)
            except Exception as exc:  # not confirmed: this one and the rest stay parked
                await _give_back(chosen[index:])
                raise ReplayStopped(f"replay stopped after {len(done)} message(s): {type(exc).__name__} {exc}",
                                    done) from None
            await message.ack()
            done.append(describe(message))
        return done


def _choose(taken: list[AbstractIncomingMessage], ids: Collection[str] | None
            ) -> tuple[list[AbstractIncomingMessage], list[AbstractIncomingMessage]]:
    if not ids:
        return taken, []
    wanted = set(ids)
    return [m for m in taken if m.message_id in wanted], [m for m in taken if m.message_id not in wanted]


async def _give_back(messages: list[AbstractIncomingMessage]) -> None:
    for message in messages:
        await message.nack(requeue=True)


@asynccontextmanager
async def open_parked(amqp_url: str, spec: QueueSpec) -> AsyncIterator[ParkedQueue]:
    """A connection of its own for one operator's action (rare, short), closed after it."""
    try:
        connection = await aio_pika.connect(amqp_url, timeout=10)
    except (OSError, aio_pika.exceptions.AMQPError, asyncio.TimeoutError) as exc:
        raise BrokerUnreachable(f"Cannot connect to the broker: {type(exc).__name__} {exc}") from None
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        try:
            # Passive: the queue as the services declared it, classic or quorum (LAMADI_QUEUE_TYPE).
            queue = await channel.declare_queue(spec.parked, passive=True)
        except aio_pika.exceptions.ChannelNotFoundEntity:
            raise QueueNotDeclared(f"{spec.parked} does not exist yet: no service has declared the queues") from None
        yield ParkedQueue(spec, channel, queue, queue.declaration_result.message_count or 0)
