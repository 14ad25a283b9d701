"""What a consumed event costs the database: the statements of its unit of work and of the relay
batch that publishes what it emitted, counted by an asyncpg query logger on a pool of one
connection (as tests/integration/test_intake_statements.py does for a filing)."""

from __future__ import annotations

import pytest

from shared.envelope import Envelope
from shared.events import SubmissionWithdrawn
from shared.messaging import inbox, outbox
from shared.messaging.consumer import Consumer
from shared.messaging.outbox import OutboxRelay
from shared.messaging.topology import queues_of
from tests.builders import withdrawn
from tests.support import messaging_parts, wait_until


@pytest.fixture
async def one_connection(env):
    """The messaging parts on a pool of one connection, whose statements are logged in order."""
    async with messaging_parts(env, pool_size=1) as (pool, broker, deps):
        statements: list[str] = []
        async with pool.acquire() as conn:
            conn.add_query_logger(lambda logged: statements.append(logged.query))
        yield pool, broker, deps, statements


def transactions(statements: list[str]) -> list[list[str]]:
    """The logged statements cut into transactions, BEGIN (or what starts with it) … COMMIT."""
    found, current = [], None
    for statement in statements:
        if statement.lstrip().upper().startswith("BEGIN"):
            current = []
        if current is not None:
            current.append(statement)
            if "COMMIT" in statement.upper() or "ROLLBACK" in statement.upper():
                found.append(current)
                current = None
    return found


async def test_a_consumed_event_costs_its_handler_statements_and_two_round_trips_more(one_connection):
    pool, broker, deps, statements = one_connection
    spec = queues_of("review")[0]

    async def record(envelope, uow, deps):
        await uow.conn.execute("INSERT INTO seen VALUES ($1, $2)", envelope.id, envelope.subject)
        if envelope.subject != "T-1":  # T-0 also prepares the outbox statement
            uow.emit(SubmissionWithdrawn(tracking_number="T-next", kind="complaint"))

    consumer = Consumer(spec, {SubmissionWithdrawn.TYPE: record}, deps=deps, broker=broker, retry_delays=[0.1],
                        prefetch=1)
    await consumer.start()
    events = [withdrawn(f"T-{n}") for n in range(3)]
    await _consume(broker, statements, events[0])  # also prepares the statements
    quiet = await _consume(broker, statements, events[1])
    emitting = await _consume(broker, statements, events[2])
    duplicate = await _consume(broker, statements, events[1])  # a redelivery
    await consumer.stop(2)
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE envelope->>'subject' = 'T-2'") == 1
    assert await pool.fetchval("SELECT envelope->'data'->>'tracking_number' FROM outbox "
                               "WHERE envelope->>'subject' = 'T-2'") == "T-next"

    # BEGIN with the inbox row; the handler's INSERT; COMMIT. (It was 4: BEGIN, then the inbox.)
    assert len(quiet) == 3, quiet
    assert "BEGIN" in quiet[0] and "INSERT INTO inbox" in quiet[0] and "INSERT INTO seen" in quiet[1]
    # ... the outbox rows and their NOTIFY go with the COMMIT. (It was 5.)
    assert len(emitting) == 3 and "INSERT INTO outbox" in emitting[2] and "pg_notify" in emitting[2], emitting
    # A duplicate: the inbox finds it, the handler is not called.
    assert len(duplicate) == 2 and "INSERT INTO inbox" in duplicate[0], duplicate
    assert await pool.fetchval("SELECT count(*) FROM seen") == 3
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 3

    statements.clear()
    relay = OutboxRelay(pool, broker, dsn="unused: drain() needs no listener", schema="review")
    assert await relay.drain() == 2
    [batch] = transactions(statements)
    # BEGIN; the rows claimed FOR UPDATE; their marking sent with the COMMIT. (It was 4.)
    assert len(batch) == 3 and "FOR UPDATE" in batch[1] and "COMMIT" in batch[2], batch
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_a_swallowed_failure_in_an_event_handler_is_not_acked_as_handled(one_connection):
    pool, broker, deps, statements = one_connection
    spec = queues_of("review")[0]
    calls: list[str] = []

    async def swallow(envelope, uow, deps):
        calls.append(envelope.subject)
        await uow.conn.execute("INSERT INTO seen VALUES ($1, $2)", envelope.id, envelope.subject)
        try:
            await uow.conn.execute("SELECT 1 / 0")
        except Exception:
            pass  # the transaction is aborted all the same: its COMMIT would be a rollback

    consumer = Consumer(spec, {SubmissionWithdrawn.TYPE: swallow}, deps=deps, broker=broker, retry_delays=[0.1])
    await consumer.start()
    await broker.publish(withdrawn("T-7"))
    await wait_until(lambda: len(calls) >= 2, message="the event retried")
    await consumer.stop(2)
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 0
    assert await pool.fetchval("SELECT count(*) FROM seen") == 0


async def _consume(broker, statements, event):
    """Publish one event and return the statements of its unit of work."""
    statements.clear()
    await broker.publish(event)
    await wait_until(lambda: any("COMMIT" in s.upper() for s in statements), message=f"{event.subject} committed")
    [transaction] = transactions(statements)
    return transaction


async def test_values_sent_as_literals_come_back_as_they_were(one_connection):
    pool, _, _, _ = one_connection
    tricky = "O'Brien \\'; DROP TABLE outbox; -- \\\\ é 🏠 \"q\""
    event = Envelope.new(SubmissionWithdrawn(tracking_number=tricky, kind="complaint"), source="test",
                         subject=tricky, correlation_id=tricky)
    async with pool.acquire() as conn:
        assert await inbox.begin_and_record(conn, "q'ueue", event.id, tricky)
        assert await outbox.write_and_commit(conn, [event]) == "COMMIT"
        assert not await inbox.begin_and_record(conn, "q'ueue", event.id, tricky)
        assert await outbox.write_and_commit(conn, []) == "COMMIT"
    row = await pool.fetchrow("SELECT event_id, routing_key, envelope FROM outbox")
    assert (row["event_id"], row["routing_key"]) == (event.id, event.type)
    assert Envelope.model_validate(row["envelope"]) == event
    assert await pool.fetchval("SELECT event_type FROM inbox WHERE consumer = $1", "q'ueue") == tricky
