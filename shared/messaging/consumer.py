"""A work-queue consumer: one unit of work per message (inbox row + the handler's writes,
outbox rows included), ack only after commit; failures go through the retry queues, then park."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aio_pika
import structlog
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage
from pydantic import ValidationError

from shared.container import Dependencies
from shared.envelope import Envelope
from shared.messaging.broker import Broker
from shared.messaging.topology import MAX_RETRY_LEVELS, QueueSpec
from shared.metrics import EVENTS_CONSUMED
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()

# Every handler of every service: (message, unit of work, the service's dependencies).
Handler = Callable[[Any, UnitOfWork, Any], Awaitable[Any]]


@dataclass(frozen=True)
class Exhausted:
    """The message handed to a queue's ``on_exhausted`` handler, in its own unit of work, when
    an event has used up its retries and is about to be parked (e.g. to record a failure)."""

    envelope: Envelope
    error: str

ATTEMPT_HEADER = "x-lamadi-attempt"
# Set by a quorum queue on each delivery; a copy published again starts from zero.
BROKER_HEADERS = ("x-delivery-count",)


class Consumer:
    def __init__(
        self,
        spec: QueueSpec,
        handlers: Mapping[str, Handler],
        *,
        deps: Dependencies,
        broker: Broker,
        retry_delays: list[float],
        prefetch: int = 16,
        on_exhausted: Handler | None = None,
    ):
        self.spec, self.handlers, self.deps, self.broker = spec, dict(handlers), deps, broker
        self.retry_delays = retry_delays[:MAX_RETRY_LEVELS]
        self.prefetch, self.on_exhausted = prefetch, on_exhausted
        self._channel: AbstractChannel | None = None
        self._tag: str | None = None
        self._queue = None
        self._inflight: set[asyncio.Task] = set()
        self._starting: asyncio.Task | None = None
        self._stopping = False

    async def start(self) -> None:
        """Open the channel and consume (the broker calls it once connected). A stop that comes
        while this is under way cancels it, instead of racing it for the same channel."""
        if self._stopping:
            return
        self._starting = asyncio.create_task(self._open(), name=f"consumer-start:{self.spec.name}")
        try:
            await self._starting
        except asyncio.CancelledError:
            if not self._stopping:
                raise
        finally:
            self._starting = None

    async def _open(self) -> None:
        assert self.broker.connection is not None
        self._channel = await self.broker.connection.channel()
        await self._channel.set_qos(prefetch_count=self.prefetch)
        self._queue = await self._channel.declare_queue(
            self.spec.name, durable=True, arguments=self.broker.queue_arguments.for_work(self.spec))
        self._tag = await self._queue.consume(self._on_message)
        log.info("consumer_started", queue=self.spec.name)

    @property
    def active(self) -> bool:
        return self._tag is not None and self._channel is not None and not self._channel.is_closed

    async def stop(self, grace: float) -> None:
        """Stop taking messages, let the ones in flight finish, then close the channel. Each step
        is bounded by ``grace``: a broker that no longer answers must not hold the shutdown (the
        connection's close, after this, ends whatever is left)."""
        self._stopping = True
        if self._starting is not None:
            self._starting.cancel()
            await asyncio.wait({self._starting}, timeout=grace)
        try:
            async with asyncio.timeout(grace):
                await self._cancel_consuming()
            if self._inflight:
                await asyncio.wait(self._inflight, timeout=grace)
            async with asyncio.timeout(grace):
                if self._channel is not None and not self._channel.is_closed:
                    await self._channel.close()
        except TimeoutError:
            log.warning("consumer_stop_timed_out", queue=self.spec.name)

    async def _cancel_consuming(self) -> None:
        if self._queue is not None and self._tag is not None and self.active:
            try:
                await self._queue.cancel(self._tag)
            except Exception as exc:  # the broker may already be gone
                log.warning("consumer_cancel_failed", queue=self.spec.name, error=str(exc))
        self._tag = None

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            await self._process(message)
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def _process(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as exc:
            # Retrying cannot fix a malformed message: park it at once for an operator.
            await self._park(message, None, f"invalid envelope: {exc.error_count()} errors")
            return
        with structlog.contextvars.bound_contextvars(
            correlation_id=envelope.correlation_id, event_id=str(envelope.id), event_type=envelope.type
        ):
            try:
                outcome = await self._handle(envelope)
                await message.ack()
                EVENTS_CONSUMED.labels(self.spec.name, envelope.type, outcome).inc()
            except Exception as exc:
                log.warning("event_failed", queue=self.spec.name, error=repr(exc)[:300])
                await self._retry_or_park(message, envelope, repr(exc))

    async def _handle(self, envelope: Envelope) -> str:
        handler = self.handlers.get(envelope.type)
        async with UnitOfWork.for_event(self.deps.pool, envelope, source=self.deps.service,
                                        consumer=self.spec.name) as uow:
            if uow.duplicate:
                log.info("event_duplicate_ignored", queue=self.spec.name)
                return "duplicate"
            if handler is None:
                return "ignored"  # an event type newer than this consumer (bound by a wildcard)
            await handler(envelope, uow, self.deps)
        log.info("event_handled", queue=self.spec.name)
        return "handled"

    async def _retry_or_park(self, message: AbstractIncomingMessage, envelope: Envelope, error: str) -> None:
        attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 0))
        try:
            if attempt < len(self.retry_delays):
                delay_ms = int(self.retry_delays[attempt] * 1000)
                await self.broker.send_to_queue(
                    self.spec.retry(attempt + 1),
                    copy_message(message, {ATTEMPT_HEADER: attempt + 1}, expiration=delay_ms / 1000),
                )
                EVENTS_CONSUMED.labels(self.spec.name, envelope.type, "retried").inc()
                await message.ack()
                return
            if self.on_exhausted is not None:
                async with UnitOfWork(self.deps.pool, source=self.deps.service, correlation_id=envelope.correlation_id,
                                      cause=envelope) as uow:
                    await self.on_exhausted(Exhausted(envelope, error), uow, self.deps)
            await self._park(message, envelope, error)
        except Exception as exc:
            # Could not hand the message on (broker or database trouble): give it back to the
            # broker after a pause rather than ack it away or spin on it. On a quorum queue each
            # such return counts toward its delivery limit, past which the broker parks it.
            log.error("event_retry_failed", queue=self.spec.name, error=repr(exc)[:300])
            await asyncio.sleep(1.0)
            await message.nack(requeue=True)

    async def _park(self, message: AbstractIncomingMessage, envelope: Envelope | None, error: str) -> None:
        headers = {"x-lamadi-error": error[:1000], "x-lamadi-parked-at": datetime.now(UTC).isoformat()}
        await self.broker.send_to_queue(self.spec.parked, copy_message(message, headers))
        await message.ack()
        EVENTS_CONSUMED.labels(self.spec.name, envelope.type if envelope else "invalid", "parked").inc()
        log.error("event_parked", queue=self.spec.parked, error=error[:300])


def copy_message(message: AbstractIncomingMessage, extra_headers: dict, *, without: tuple[str, ...] = (),
                 expiration: float | None = None) -> aio_pika.Message:
    """The same message to publish again (retry, park, replay), its headers amended."""
    headers = {k: v for k, v in (message.headers or {}).items() if k not in without and k not in BROKER_HEADERS}
    return aio_pika.Message(
        body=message.body,
        headers={**headers, **extra_headers},
        message_id=message.message_id,
        correlation_id=message.correlation_id,
        type=message.type,
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        timestamp=message.timestamp,
        expiration=expiration,
    )
