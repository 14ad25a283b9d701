"""The messaging core against the real RabbitMQ and PostgreSQL: outbox relay, inbox, retry, park."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from shared.db import create_pool
from shared.envelope import Envelope
from shared.events import SubmissionWithdrawn
from shared.messaging.consumer import Consumer
from shared.messaging.outbox import OutboxRelay
from shared.messaging.topology import queues_of
from shared.migrations import migrate
from shared.unit_of_work import UnitOfWork
from tests.builders import withdrawn
from tests.support import messaging_parts, wait_until

EMPTY = Path(__file__).parent / "no_migrations"


@pytest.fixture
async def parts(env):
    async with messaging_parts(env) as parts:
        yield parts


async def test_outbox_rows_reach_a_consumer_once_each_even_when_published_twice(parts):
    pool, broker, deps = parts
    spec = queues_of("review")[0]

    async def record(envelope, uow, deps):
        await uow.conn.execute("INSERT INTO seen VALUES ($1, $2)", envelope.id, envelope.subject)

    consumer = Consumer(spec, {SubmissionWithdrawn.TYPE: record}, deps=deps, broker=broker, retry_delays=[0.1])
    await consumer.start()
    async with UnitOfWork(pool, source="test", correlation_id="corr") as uow:
        events = [uow.emit(SubmissionWithdrawn(tracking_number=f"T-{n}", kind="complaint"), subject=f"T-{n}")
                  for n in range(20)]
    relay = OutboxRelay(pool, broker, dsn="unused: drain() needs no listener", schema="review")
    assert await relay.drain() == 20
    for event in events[:5]:  # a redelivery: same envelope, published again
        await broker.publish(event)
    await wait_until(lambda: pool.fetchval("SELECT count(*) = 20 FROM seen"), message="20 events seen")
    await consumer.stop(2)
    assert await pool.fetchval("SELECT count(DISTINCT event_id) FROM seen") == 20
    assert await pool.fetchval("SELECT count(*) FROM seen") == 20
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_a_handler_that_keeps_failing_is_retried_then_parked_and_others_still_flow(parts):
    pool, broker, deps = parts
    spec = queues_of("review")[0]
    attempts: list[str] = []

    async def flaky(envelope, uow, deps):
        if envelope.subject == "T-poison":
            attempts.append(envelope.subject)
            raise RuntimeError("cannot handle this one")
        await uow.conn.execute("INSERT INTO seen VALUES ($1, $2)", envelope.id, envelope.subject)

    consumer = Consumer(spec, {SubmissionWithdrawn.TYPE: flaky}, deps=deps, broker=broker, retry_delays=[0.1, 0.2])
    await consumer.start()
    poison = Envelope.new(SubmissionWithdrawn(tracking_number="T-poison", kind="complaint"),
                          source="test", subject="T-poison", correlation_id="corr-poison")
    await broker.publish(poison)
    await broker.publish(withdrawn("T-1"))
    await wait_until(lambda: len(attempts) == 3, message="three attempts")
    parked = await broker.channel.declare_queue(spec.parked, durable=True, passive=True)
    message = await wait_until(lambda: parked.get(fail=False), message="parked message")
    assert Envelope.model_validate_json(message.body).id == poison.id
    assert "cannot handle this one" in message.headers["x-lamadi-error"]
    await message.ack()
    assert await pool.fetchval("SELECT subject FROM seen") == "T-1"
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", poison.id) == 0
    await consumer.stop(2)


class HeldBroker:
    """Takes every publish, holding the first until it is let go."""

    def __init__(self):
        self.published: list[Envelope] = []
        self.first_called, self.let_go = asyncio.Event(), asyncio.Event()

    async def publish(self, envelope: Envelope) -> None:
        if not self.published:
            self.first_called.set()
            await self.let_go.wait()
        self.published.append(envelope)


async def test_a_notify_that_comes_during_a_drain_wakes_the_next_one(env):
    dsn = env["LAMADI_DATABASE_URL"]
    await migrate(dsn, "review", EMPTY)
    pool = await create_pool(dsn, "review")
    broker = HeldBroker()
    relay = OutboxRelay(pool, broker, dsn=dsn, schema="review", poll_interval=3600)  # only NOTIFY wakes it
    relay.start()
    try:
        await wait_until(lambda: relay._listener is not None, message="the relay listening")
        async with UnitOfWork(pool, source="test", correlation_id="corr") as uow:
            uow.emit(SubmissionWithdrawn(tracking_number="T-1", kind="complaint"), subject="T-1")
        await asyncio.wait_for(broker.first_called.wait(), 10)  # the drain has read its rows
        async with UnitOfWork(pool, source="test", correlation_id="corr") as uow:
            uow.emit(SubmissionWithdrawn(tracking_number="T-2", kind="complaint"), subject="T-2")
        await asyncio.sleep(0.3)  # let the NOTIFY reach the listener while the drain is held
        broker.let_go.set()
        await wait_until(lambda: len(broker.published) == 2, timeout=10, message="T-2 published, the poll an hour off")
        assert [e.subject for e in broker.published] == ["T-1", "T-2"]
    finally:
        await relay.stop()
        await pool.close()


@pytest.mark.parametrize("pause", [0, 0.001, 0.003, 0.006, 0.01, 0.02])
async def test_a_consumer_stopped_while_it_starts_stops_and_leaves_no_consumer(parts, pause):
    """A service stopped as the broker connects (its consumers still opening their channels)
    used to hang in shutdown; now the start is cancelled and no consumer is left behind."""
    pool, broker, deps = parts
    spec = queues_of("review")[0]

    async def record(envelope, uow, deps):
        await uow.conn.execute("INSERT INTO seen VALUES ($1, $2)", envelope.id, envelope.subject)

    consumer = Consumer(spec, {SubmissionWithdrawn.TYPE: record}, deps=deps, broker=broker, retry_delays=[0.1])
    starting = asyncio.create_task(consumer.start())
    await asyncio.sleep(pause)
    await asyncio.wait_for(consumer.stop(2), 30)  # a guard against the hang, not a timing check
    await asyncio.wait_for(starting, 30)
    assert not consumer.active
    await consumer.start()  # a stopped consumer does not come back (a late on_connected call)
    assert not consumer.active
    queue = await broker.channel.declare_queue(spec.name, passive=True)  # the broker's own count
    assert queue.declaration_result.consumer_count == 0
