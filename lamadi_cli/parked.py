"""`lamadi ops parked list|replay|drop`: parked messages, read over AMQP."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from lamadi_cli.common import CliError, load_settings, render_table
from shared.messaging.consumer import ATTEMPT_HEADER, copy_message
from shared.messaging.topology import QueueArguments, QueueSpec


def _header(message: AbstractIncomingMessage, name: str) -> str:
    value = (message.headers or {}).get(name)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return "-" if value is None else str(value)


def _subject(message: AbstractIncomingMessage) -> str:
    try:
        return str(json.loads(message.body).get("subject") or "-")
    except (ValueError, AttributeError):
        return "-"


def _describe(message: AbstractIncomingMessage) -> list[str]:
    error = " ".join(_header(message, "x-lamadi-error").split())
    return [
        message.message_id or "-",
        message.type or "-",
        _subject(message),
        _header(message, "x-lamadi-parked-at"),
        error if len(error) <= 100 else error[:99] + "…",
    ]


PARKED_HEADERS = ("id", "type", "subject", "parked at", "error")


def _replay_copy(message: AbstractIncomingMessage) -> aio_pika.Message:
    """Back to the work queue as new: the attempt count starts again."""
    return copy_message(message, {"x-lamadi-replayed-at": datetime.now(UTC).isoformat()}, without=(ATTEMPT_HEADER,))


async def _take(queue: aio_pika.abc.AbstractQueue, limit: int) -> list[AbstractIncomingMessage]:
    """Up to ``limit`` messages, unacknowledged (so they stay the broker's until we decide)."""
    taken = []
    while len(taken) < limit:
        message = await queue.get(no_ack=False, fail=False, timeout=10)
        if message is None:
            break
        taken.append(message)
    return taken


async def run_parked(action: str, spec: QueueSpec, count: int | None, amqp_url: str) -> int:
    try:
        connection = await aio_pika.connect(amqp_url, timeout=10)
    except (OSError, aio_pika.exceptions.AMQPError, asyncio.TimeoutError) as exc:
        raise CliError(f"cannot connect to the broker (LAMADI_AMQP_URL): {type(exc).__name__} {exc}") from None
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        settings = load_settings()  # the queue type: a quorum queue must be declared as one
        queues = QueueArguments(settings.queue_type, settings.queue_delivery_limit)
        parked = await channel.declare_queue(spec.parked, durable=True, arguments=queues.for_parked())
        # Only what is parked now: a replayed message that fails again must not loop back in.
        depth = parked.declaration_result.message_count or 0
        limit = depth if count is None else min(count, depth)
        messages = await _take(parked, limit)
        if not messages:
            print(f"{spec.parked}: no parked messages")
            return 0
        if action == "list":
            print(f"{spec.parked}: {depth} parked message(s)")
            print(render_table(PARKED_HEADERS, [_describe(m) for m in messages]))
            for message in messages:
                await message.nack(requeue=True)
            return 0
        if action == "drop":
            print(render_table(PARKED_HEADERS, [_describe(m) for m in messages]))
            for message in messages:
                await message.ack()
            print(f"dropped {len(messages)} message(s) from {spec.parked}")
            return 0
        replayed = 0
        for message in messages:
            try:
                await channel.default_exchange.publish(_replay_copy(message), routing_key=spec.name,
                                                       mandatory=True, timeout=10)
            except Exception as exc:  # not confirmed: leave this one and the rest parked
                for left in messages[replayed:]:
                    await left.nack(requeue=True)
                raise CliError(f"replay stopped after {replayed} message(s): {type(exc).__name__} {exc}") from None
            await message.ack()
            replayed += 1
            print(f"replayed {message.message_id or '-'} {message.type or '-'} {_subject(message)}")
        print(f"replayed {replayed} message(s) from {spec.parked} to {spec.name}")
        return 0
