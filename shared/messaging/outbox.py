"""Transactional outbox and its relay.

``write`` puts events in the caller's transaction and notifies the relay (NOTIFY is delivered
on commit). The relay publishes unpublished rows in order with confirms, marks each one sent,
and backs off while the broker is away, forever; polling covers a lost notification."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import structlog

from shared.db import connect, literal, literals_are_safe
from shared.envelope import Envelope
from shared.messaging.broker import Broker
from shared.metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG
from shared.retrying import forever

log = structlog.get_logger()
BATCH = 100


# The rows and the relay's wake-up in one statement (one round trip). A data-modifying CTE
# runs whether or not the query reads it; NOTIFY is delivered on commit.
_WRITE = """
WITH written AS (
    INSERT INTO outbox (event_id, routing_key, envelope)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]::jsonb[])
)
SELECT pg_notify(current_schema() || '_outbox', '')
"""


async def write(conn: asyncpg.Connection, envelopes: list[Envelope]) -> None:
    """Write events in the caller's transaction and wake the relay. Only the unit of work
    calls this."""
    if not envelopes:
        return
    await conn.execute(_WRITE, [e.id for e in envelopes], [e.type for e in envelopes],
                       [e.model_dump_json() for e in envelopes])


async def write_and_commit(conn: asyncpg.Connection, envelopes: list[Envelope]) -> str:
    """``write``, then COMMIT the transaction the caller started by hand, in one round trip (a
    simple query, the values as literals: shared.db.literal); the COMMIT's command tag."""
    if envelopes and not literals_are_safe(conn):
        await write(conn, envelopes)
        envelopes = []
    if not envelopes:
        return await conn.execute("COMMIT")
    rows = ", ".join(f"({literal(str(e.id))}::uuid, {literal(e.type)}, {literal(e.model_dump_json())}::jsonb)"
                     for e in envelopes)
    return await conn.execute(
        f"WITH written AS (INSERT INTO outbox (event_id, routing_key, envelope) VALUES {rows}) "
        "SELECT pg_notify(current_schema() || '_outbox', ''); COMMIT")


def _mark_sent_and_commit(ids: list[int]) -> str:
    """The UPDATE and the COMMIT as one simple query (which takes no parameters: the ids, read
    from a bigint column, go in as an integer array literal)."""
    if not ids:
        return "COMMIT"
    literal = ",".join(str(int(i)) for i in ids)
    return f"UPDATE outbox SET published_at = now() WHERE id = ANY('{{{literal}}}'::bigint[]); COMMIT"


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        broker: Broker,
        *,
        dsn: str,
        schema: str,
        poll_interval: float = 2.0,
        backoff_max: float = 30.0,
    ):
        """``dsn``: where the LISTEN connection goes; it keeps a session, so straight to PostgreSQL
        when ``pool`` goes through a transaction pooler (LAMADI_DATABASE_DIRECT_URL)."""
        self.pool, self.broker, self.dsn, self.schema = pool, broker, dsn, schema
        self.poll_interval, self.backoff_max = poll_interval, backoff_max
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self._close_listener()

    async def _run(self) -> None:
        while True:
            await self._ensure_listener()
            # Cleared before the drain, not after: a NOTIFY that comes while it runs (a row it
            # did not see) wakes the next drain at once instead of waiting for the poll.
            self._wake.clear()
            async for attempt in forever("outbox_publish", first=0.25, cap=self.backoff_max):
                with attempt:
                    await self.drain()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)
            except asyncio.TimeoutError:
                pass

    async def drain(self) -> int:
        """Publish everything pending; raises on the first row the broker would not take."""
        total = 0
        try:
            while True:
                published, failure = await self._publish_batch()
                total += published
                if failure is not None:
                    raise failure
                if published < BATCH:
                    break
        except Exception:
            # Only a failed drain leaves a backlog worth counting: no count(*) after each wake-up.
            with contextlib.suppress(Exception):
                await self._update_backlog()
            raise
        OUTBOX_BACKLOG.set(0)
        return total

    async def _publish_batch(self) -> tuple[int, Exception | None]:
        async with self.pool.acquire() as conn:
            # Started by hand, not with conn.transaction(): the marking and the COMMIT then go
            # as one simple query, one round trip fewer per batch.
            await conn.execute("BEGIN")
            try:
                # SKIP LOCKED: two relays of the same service share the work instead of doubling it.
                rows = await conn.fetch(
                    "SELECT id, envelope FROM outbox WHERE published_at IS NULL "
                    "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                    BATCH,
                )
                envelopes = [Envelope.model_validate(row["envelope"]) for row in rows]
                # Confirms are awaited together: one round trip per batch instead of one per event.
                # Consumers never rely on order (review events carry versions; the inbox dedups).
                # Rows are marked only after the broker confirmed them (at least once), and
                # stay locked until then.
                results = await asyncio.gather(*(self.broker.publish(e) for e in envelopes),
                                               return_exceptions=True)
                sent = [row["id"] for row, result in zip(rows, results) if not isinstance(result, BaseException)]
                failed = [(row["id"], result) for row, result in zip(rows, results)
                          if isinstance(result, BaseException)]
                for row_id, error in failed:
                    await conn.execute("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                                       row_id, repr(error)[:500])
                await conn.execute(_mark_sent_and_commit(sent))
            except BaseException:
                if not conn.is_closed() and conn.is_in_transaction():
                    with contextlib.suppress(Exception):
                        await conn.execute("ROLLBACK")
                raise
        for envelope, result in zip(envelopes, results):
            if not isinstance(result, BaseException):
                EVENTS_PUBLISHED.labels(envelope.type).inc()
        return len(sent), (failed[0][1] if failed else None)

    async def _update_backlog(self) -> None:
        async with self.pool.acquire() as conn:
            OUTBOX_BACKLOG.set(await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))

    async def _ensure_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        try:
            self._listener = await connect(self.dsn, self.schema)
            await self._listener.add_listener(f"{self.schema}_outbox", lambda *_: self._wake.set())
        except (OSError, asyncpg.PostgresError) as exc:
            self._listener = None  # polling carries on; retry on the next round
            log.warning("outbox_listen_failed", error=repr(exc)[:300])

    async def _close_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            await self._listener.close()
