"""The unit of work: one transaction around one handler.

It opens the transaction, records the inbox row when the message is an event (a redelivery
then finds ``duplicate`` set and the handler is not called), collects the events the handler
emits and writes them to the outbox before the commit. So a state change, its outgoing events
and the consumed event's inbox row commit together, or not at all (docs/architecture.md#reliability-rules). Events
are never published here: the outbox relay does that after the commit.

An event's transaction opens with its inbox row in one round trip (``inbox.begin_and_record``),
so it is started by hand, not by asyncpg's ``Connection.transaction()``: an event handler
cannot open a savepoint with ``conn.transaction()`` (asyncpg refuses it in a transaction it did
not start); a command's unit of work, which has no inbox row, still can. An event's outbox rows go
with its COMMIT (``outbox.write_and_commit``): an event that emits nothing costs its handler's
statements and two round trips, one that emits no more."""

from __future__ import annotations

import uuid
from types import TracebackType

import asyncpg

from shared.envelope import Envelope, EventData
from shared.logging import current_correlation_id
from shared.messaging import inbox, outbox


class UnitOfWork:
    def __init__(self, pool: asyncpg.Pool, *, source: str, correlation_id: str | None = None,
                 cause: Envelope | None = None, inbox_consumer: str | None = None):
        """``cause``: the event being handled (emitted events follow from it); ``inbox_consumer``:
        the queue whose inbox records it; ``correlation_id``: by default the one of the request
        or event being handled (or a new one)."""
        correlation_id = correlation_id or current_correlation_id() or str(uuid.uuid4())
        self.pool, self.source, self.correlation_id = pool, source, correlation_id
        self.cause, self.inbox_consumer = cause, inbox_consumer
        self.duplicate = False
        self._events: list[Envelope] = []
        self._conn: asyncpg.Connection | None = None
        self._transaction = None  # asyncpg's, for a command; None for an event (started by hand)

    @classmethod
    def for_event(cls, pool: asyncpg.Pool, envelope: Envelope, *, source: str, consumer: str) -> "UnitOfWork":
        return cls(pool, source=source, correlation_id=envelope.correlation_id, cause=envelope,
                   inbox_consumer=consumer)

    @property
    def conn(self) -> asyncpg.Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open: use `async with`")
        return self._conn

    def emit(self, data: EventData, *, subject: str | None = None) -> Envelope:
        """Add an event to publish if, and only if, the transaction commits. ``subject`` (the
        tracking number) defaults to the handled event's."""
        if subject is None:
            if self.cause is None:
                raise ValueError(f"{data.TYPE}: a command's event needs its subject")
            subject = self.cause.subject
        envelope = Envelope.new(data, source=self.source, subject=subject, correlation_id=self.correlation_id,
                                causation_id=self.cause.id if self.cause else None)
        self._events.append(envelope)
        return envelope

    @property
    def emitted(self) -> list[Envelope]:
        return list(self._events)

    async def __aenter__(self) -> "UnitOfWork":
        self._conn = await self.pool.acquire()
        try:
            if self.cause is not None and self.inbox_consumer is not None:
                self.duplicate = not await inbox.begin_and_record(self._conn, self.inbox_consumer, self.cause.id,
                                                                  self.cause.type)
            else:
                self._transaction = self._conn.transaction()
                await self._transaction.start()
        except BaseException:
            await self._release(rollback=True)
            raise
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        failed = exc_type is not None
        try:
            if not failed:
                await self._commit()
        except BaseException:
            failed = True
            raise
        finally:
            await self._release(rollback=failed)

    async def _commit(self) -> None:
        if self._transaction is not None:
            await outbox.write(self.conn, self._events)
            await self._transaction.commit()
            return
        # Started by hand: the outbox rows go with the COMMIT. A COMMIT of a transaction in
        # error (a failed statement the handler swallowed) is a rollback without an error: the
        # event would be acked with nothing of it written.
        if await outbox.write_and_commit(self.conn, self._events) != "COMMIT":
            raise RuntimeError("the unit of work's transaction was rolled back: a statement in it failed")

    async def _release(self, *, rollback: bool) -> None:
        conn, self._conn = self._conn, None
        try:
            if rollback and not conn.is_closed():
                if self._transaction is not None:
                    await self._transaction.rollback()
                elif conn.is_in_transaction():
                    await conn.execute("ROLLBACK")
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
            pass  # the connection is going back broken: the pool resets or drops it
        finally:
            self._transaction = None
            await self.pool.release(conn)


async def run(handler, message, deps, *, correlation_id: str | None = None):
    """Handle one command in its own unit of work (background jobs, the command line, a page that
    must not hold a connection while it calls other services). Without ``correlation_id``, the
    one of the request or event being handled."""
    async with UnitOfWork(deps.pool, source=deps.service, correlation_id=correlation_id) as uow:
        return await handler(message, uow, deps)
