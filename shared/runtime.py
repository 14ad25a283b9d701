"""A service process: migrations, database pool, broker, outbox relay, consumers and background
jobs, with readiness and a graceful stop. Each service's bootstrap builds one around its
dependencies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import structlog

from shared.container import Dependencies
from shared.db import create_pool
from shared.messaging.broker import Broker
from shared.messaging.consumer import Consumer, Handler
from shared.messaging.outbox import OutboxRelay
from shared.messaging.topology import MAX_RETRY_LEVELS, QueueArguments, queues_of
from shared.migrations import migrate
from shared.settings import ServiceSettings

log = structlog.get_logger()
BackgroundJob = Callable[[Dependencies], Awaitable[None]]
ReadinessCheck = Callable[[], Awaitable[bool]]
Closer = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """What one of this service's work queues does with each event type (its handler table)."""

    purpose: str
    handlers: Mapping[str, Handler]
    on_exhausted: Handler | None = None


@dataclass
class Runtime:
    """``uses_broker=False``: a service that publishes and consumes no event (the portal) runs
    without broker, relay or consumers, so a broker outage never takes it down; everything else
    (migrations past any pooler, the pool with its pooler settings, background jobs, readiness,
    the graceful stop) is the same. ``checks``: more readiness checks by name (a service it
    cannot work without); ``closers``: what to close at the end (its HTTP clients)."""

    deps: Dependencies
    migrations: Path
    subscriptions: Sequence[Subscription] = ()
    background: Sequence[BackgroundJob] = ()
    uses_broker: bool = True
    checks: Mapping[str, ReadinessCheck] = field(default_factory=dict)
    closers: Sequence[Closer] = ()
    broker: Broker | None = None
    relay: OutboxRelay | None = None
    consumers: list[Consumer] = field(default_factory=list)
    _tasks: list[asyncio.Task] = field(default_factory=list)

    @property
    def service(self) -> str:
        return self.deps.service

    @property
    def settings(self) -> ServiceSettings:
        return self.deps.settings

    @property
    def pool(self) -> asyncpg.Pool:
        return self.deps.pool

    async def start(self) -> None:
        s = self.settings
        # Migrations and the relay's LISTEN need a session: straight to PostgreSQL, past any pooler.
        await migrate(s.session_database_url, self.service, self.migrations)
        self.deps.attach_pool(await create_pool(s.database_url, self.service, max_size=s.database_pool_max,
                                                pooler=s.database_pooler))
        if self.uses_broker:
            self._start_messaging()
        self._tasks = [asyncio.create_task(job(self.deps)) for job in self.background]
        log.info("service_started", port=s.port)

    def _start_messaging(self) -> None:
        s = self.settings
        self.broker = Broker(s.amqp_url, s.exchange, reconnect_interval=s.broker_reconnect_interval,
                             queue_arguments=QueueArguments(s.queue_type, s.queue_delivery_limit,
                                                             min(max(len(s.retry_delays), 1), MAX_RETRY_LEVELS)))
        specs = {spec.purpose: spec for spec in queues_of(self.service)}
        self.consumers = [
            Consumer(specs[sub.purpose], sub.handlers, deps=self.deps, broker=self.broker,
                     retry_delays=s.retry_delays, prefetch=s.prefetch, on_exhausted=sub.on_exhausted)
            for sub in self.subscriptions
        ]
        for consumer in self.consumers:
            self.broker.on_connected(consumer.start)
        self.broker.start()
        self.relay = OutboxRelay(self.pool, self.broker, dsn=s.session_database_url, schema=self.service,
                                 poll_interval=s.outbox_poll_interval, backoff_max=s.outbox_backoff_max)
        self.relay.start()

    async def stop(self) -> None:
        log.info("service_stopping")
        for consumer in self.consumers:
            await consumer.stop(self.settings.shutdown_grace)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.relay is not None:
            await self.relay.stop()
        if self.broker is not None:
            await self.broker.close()
        for close in self.closers:
            await close()
        if self.deps.started:
            await self.deps.pool.close()
            self.deps.attach_pool(None)
        log.info("service_stopped")

    async def readiness(self) -> dict[str, bool]:
        checks = {"database": False}
        if self.uses_broker:
            checks["broker"] = bool(self.broker and self.broker.is_connected)
        if self.deps.started:
            try:
                async with self.pool.acquire(timeout=2) as conn:
                    checks["database"] = await conn.fetchval("SELECT true", timeout=2)
            except (OSError, asyncpg.PostgresError, asyncio.TimeoutError):
                pass
        for consumer in self.consumers:
            checks[f"consumer:{consumer.spec.name}"] = consumer.active
        for name, check in self.checks.items():
            checks[name] = await check()
        return checks
