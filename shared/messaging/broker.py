"""One robust broker connection per process: connects in the background (a service starts
while RabbitMQ is down), reconnects by itself, and publishes with confirms and ``mandatory``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aio_pika
import structlog
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection

from shared.envelope import Envelope
from shared.messaging.topology import TOPOLOGY, QueueArguments
from shared.retrying import forever

log = structlog.get_logger()
PUBLISH_TIMEOUT = 10.0


def envelope_message(envelope: Envelope, *, headers: dict | None = None) -> aio_pika.Message:
    return aio_pika.Message(
        body=envelope.model_dump_json().encode(),
        message_id=str(envelope.id),
        correlation_id=envelope.correlation_id,
        type=envelope.type,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        timestamp=envelope.time,
        headers=headers or {},
    )


class Broker:
    def __init__(self, url: str, exchange_name: str, *, reconnect_interval: float = 2.0,
                 queue_arguments: QueueArguments | None = None):
        self.url, self.exchange_name, self.reconnect_interval = url, exchange_name, reconnect_interval
        self.queue_arguments = queue_arguments or QueueArguments()
        self.connection: AbstractRobustConnection | None = None
        self.channel: AbstractChannel | None = None
        self.exchange: AbstractExchange | None = None
        self._on_connected: list[Callable[[], Awaitable[None]]] = []
        self._task: asyncio.Task | None = None

    def on_connected(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run once, after the first successful connection (robust objects restore themselves after)."""
        self._on_connected.append(callback)

    def start(self) -> None:
        self._task = asyncio.create_task(self._connect_until_up(), name="broker-connect")

    async def _connect_until_up(self) -> None:
        async for attempt in forever("broker_connect", first=self.reconnect_interval, cap=15,
                                     on=(OSError, aio_pika.exceptions.AMQPError, asyncio.TimeoutError)):
            with attempt:
                await self._connect_and_declare()
        assert self.connection is not None
        self.connection.reconnect_callbacks.add(lambda *_: log.info("broker_reconnected"))
        self.connection.close_callbacks.add(lambda *_: log.warning("broker_connection_lost"))
        log.info("broker_connected", queue_type=self.queue_arguments.queue_type)
        for callback in self._on_connected:
            await callback()

    async def _connect_and_declare(self) -> None:
        connection = await aio_pika.connect_robust(self.url, reconnect_interval=self.reconnect_interval)
        self.connection = connection  # kept at once, so close() closes it even mid-declaration
        try:
            channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            self.exchange = await declare_topology(channel, self.exchange_name, self.queue_arguments)
        except BaseException as exc:
            if isinstance(exc, aio_pika.exceptions.ChannelPreconditionFailed):
                # A queue exists with other arguments, e.g. classic while LAMADI_QUEUE_TYPE says
                # quorum: a queue cannot change type (docs/scale.md#changing-the-type-of-existing-queues).
                log.error("broker_topology_mismatch", queue_type=self.queue_arguments.queue_type, error=str(exc)[:300])
            self.connection = self.exchange = None
            await connection.close()
            raise
        self.channel = channel

    @property
    def is_connected(self) -> bool:
        return (
            self.connection is not None
            and not self.connection.is_closed
            and self.connection.connected.is_set()
            and self.channel is not None
            and not self.channel.is_closed
        )

    async def publish(self, envelope: Envelope) -> None:
        """Returns once the broker confirmed; raises if it is unreachable, nacks, or cannot route."""
        if self.exchange is None or not self.is_connected:
            raise ConnectionError("broker not connected")
        await self.exchange.publish(
            envelope_message(envelope), routing_key=envelope.type, mandatory=True, timeout=PUBLISH_TIMEOUT
        )

    async def send_to_queue(self, queue: str, message: aio_pika.Message) -> None:
        """Publish straight to one queue (retry, parked, replay) through the default exchange."""
        if self.channel is None or not self.is_connected:
            raise ConnectionError("broker not connected")
        await self.channel.default_exchange.publish(message, routing_key=queue, mandatory=True, timeout=PUBLISH_TIMEOUT)

    async def close(self) -> None:
        if self._task and not self._task.done():
            self._task.cancel()
        if self.connection is not None:
            await self.connection.close()


async def declare_topology(channel: AbstractChannel, exchange_name: str,
                           arguments: QueueArguments | None = None) -> AbstractExchange:
    arguments = arguments or QueueArguments()
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
    for spec in TOPOLOGY:
        # The parked queue first: a quorum work queue dead-letters to it.
        await channel.declare_queue(spec.parked, durable=True, arguments=arguments.for_parked())
        queue = await channel.declare_queue(spec.name, durable=True, arguments=arguments.for_work(spec))
        for key in spec.routing_keys:
            await queue.bind(exchange, routing_key=key)
        for level in range(1, arguments.retry_levels + 1):
            await channel.declare_queue(spec.retry(level), durable=True, arguments=arguments.for_retry(spec))
    return exchange
