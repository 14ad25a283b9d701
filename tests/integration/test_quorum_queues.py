"""Retry and park on both queue types against the real RabbitMQ: the retry queues' TTL still
routes back to the work queue, the last failure parks; on quorum queues the delivery limit
parks a message the consumer keeps giving back; a queue cannot silently change type."""

from __future__ import annotations

from urllib.parse import quote

import aio_pika
import httpx
import pytest

from services.review.settings import ReviewSettings
from shared.events import SubmissionWithdrawn
from shared.messaging.broker import declare_topology
from shared.messaging.consumer import Consumer
from shared.messaging.parked import open_parked
from shared.messaging.topology import QueueArguments, queues_of
from tests.builders import withdrawn
from tests.in_process import served
from tests.support import RABBIT_API, RABBIT_AUTH, messaging_parts, wait_until

SPEC = queues_of("review")[0]


async def queue_info(vhost: str, name: str) -> dict:
    async with httpx.AsyncClient(auth=RABBIT_AUTH) as client:
        answer = await client.get(f"{RABBIT_API}/queues/{quote(vhost, safe='')}/{quote(name, safe='')}")
        answer.raise_for_status()
        return answer.json()


async def depth(amqp_url: str, queue: str) -> int:
    """Messages in a queue now: a plain connection's passive declare (a robust channel answers
    it from its cache, with a stale count)."""
    async with await aio_pika.connect(amqp_url) as connection:
        declared = await (await connection.channel()).declare_queue(queue, passive=True)
        return declared.declaration_result.message_count or 0


async def broker_version() -> tuple[int, ...]:
    async with httpx.AsyncClient(auth=RABBIT_AUTH) as client:
        version = (await client.get(f"{RABBIT_API}/overview")).json()["rabbitmq_version"]
    return tuple(int(part) for part in version.split(".")[:2])


@pytest.fixture
async def messaging(env, request):
    """A review-like service on the test vhost whose queues are of the given type."""
    async with messaging_parts(env, queue_arguments=request.param) as parts:
        yield parts


BOTH = [pytest.param(QueueArguments("classic"), id="classic"), pytest.param(QueueArguments("quorum"), id="quorum")]


@pytest.mark.parametrize("messaging", BOTH, indirect=True)
async def test_a_failing_event_goes_through_each_retry_queue_then_is_parked(messaging, env, vhost):
    pool, broker, deps = messaging
    queue_type = broker.queue_arguments.queue_type
    for name in (SPEC.name, SPEC.retry(1), SPEC.parked):
        assert (await queue_info(vhost, name))["type"] == queue_type
    attempts: list[int] = []

    async def flaky(envelope, uow, deps):
        if envelope.subject == "T-poison":
            attempts.append(len(attempts) + 1)
            raise RuntimeError("cannot handle this one")
        await uow.conn.execute("INSERT INTO seen VALUES ($1, $2)", envelope.id, envelope.subject)

    consumer = Consumer(SPEC, {SubmissionWithdrawn.TYPE: flaky}, deps=deps, broker=broker, retry_delays=[0.1, 0.3])
    await consumer.start()
    poison = withdrawn("T-poison")
    await broker.publish(poison)
    await broker.publish(withdrawn("T-healthy"))
    # First try, then once back from each retry queue (their TTL dead-letters to the work queue).
    await wait_until(lambda: len(attempts) == 3, message="three attempts")
    await wait_until(lambda: depth(env["LAMADI_AMQP_URL"], SPEC.parked), message="parked message")
    await consumer.stop(2)
    assert len(attempts) == 3
    assert await pool.fetchval("SELECT subject FROM seen") == "T-healthy"
    # What an operator does with it, on either type: look (each look returns it), then replay.
    async with open_parked(env["LAMADI_AMQP_URL"], SPEC) as parked:
        for _ in range(3):
            seen = await parked.peek()
        assert [m.id for m in seen] == [str(poison.id)]
        assert "cannot handle this one" in seen[0].error
        assert [m.id for m in await parked.replay()] == [str(poison.id)]
    assert (await depth(env["LAMADI_AMQP_URL"], SPEC.name), await depth(env["LAMADI_AMQP_URL"], SPEC.parked)) == (1, 0)


@pytest.mark.parametrize("messaging", [pytest.param(QueueArguments("quorum", delivery_limit=2), id="quorum")],
                         indirect=True)
async def test_a_quorum_queue_parks_what_the_consumer_keeps_giving_back(messaging, env, vhost):
    """The consumer's fallback (``nack(requeue=True)`` when it cannot hand a message on) counts
    toward the delivery limit; past it the broker dead-letters the message to ``.parked``."""
    if await broker_version() >= (4, 3):
        pytest.skip("from RabbitMQ 4.3 basic.nack no longer counts toward the delivery limit")
    pool, broker, deps = messaging
    info = await queue_info(vhost, SPEC.name)
    assert info["arguments"]["x-delivery-limit"] == 2
    assert info["arguments"]["x-dead-letter-routing-key"] == SPEC.parked
    exhausted_calls: list[str] = []

    async def failing(envelope, uow, deps):
        raise RuntimeError("always")

    async def cannot_record(exhausted, uow, deps):  # as when the database is away
        exhausted_calls.append(exhausted.envelope.subject)
        raise ConnectionError("database unavailable")

    consumer = Consumer(SPEC, {SubmissionWithdrawn.TYPE: failing}, deps=deps, broker=broker, retry_delays=[],
                        on_exhausted=cannot_record)
    await consumer.start()
    poison = withdrawn("T-stuck")
    await broker.publish(poison)
    await wait_until(lambda: depth(env["LAMADI_AMQP_URL"], SPEC.parked), timeout=30, message="dead-lettered to parked")
    await consumer.stop(2)
    # The first delivery and the two redeliveries the limit allows, then no more.
    assert exhausted_calls == ["T-stuck"] * 3
    assert await depth(env["LAMADI_AMQP_URL"], SPEC.name) == 0
    async with open_parked(env["LAMADI_AMQP_URL"], SPEC) as parked:
        [seen] = await parked.peek()
    assert seen.id == str(poison.id)
    assert seen.error == "parked by the broker: delivery_limit"


async def test_a_classic_queue_cannot_be_declared_again_as_quorum(env, vhost):
    """Changing the type needs a migration (docs/scale.md#changing-the-type-of-existing-queues): the declaration fails
    loudly instead of the service running on the old type."""
    connection = await aio_pika.connect(env["LAMADI_AMQP_URL"])
    async with connection:
        await declare_topology(await connection.channel(), "lamadi.events", QueueArguments("classic"))
        with pytest.raises(aio_pika.exceptions.ChannelPreconditionFailed, match="x-queue-type|x-dead-letter"):
            await declare_topology(await connection.channel(), "lamadi.events", QueueArguments("quorum"))
    assert (await queue_info(vhost, SPEC.name))["type"] == "classic"


async def test_a_service_declares_as_many_retry_queues_as_it_has_retry_delays(env, vhost, documents_dir):
    """Each retry level is a queue the broker creates (its costliest start-up step): a service
    declares those its delays use (LAMADI_RETRY_DELAYS, two under test), for every work queue."""
    async with served("review", ReviewSettings()):
        async with httpx.AsyncClient(auth=RABBIT_AUTH) as client:
            listed = (await client.get(f"{RABBIT_API}/queues/{quote(vhost, safe='')}",
                                       params={"columns": "name"})).json()
    names = {queue["name"] for queue in listed}
    for spec in queues_of("review") + queues_of("notifier"):
        assert {spec.name, spec.parked, spec.retry(1), spec.retry(2)} <= names
        assert spec.retry(3) not in names
