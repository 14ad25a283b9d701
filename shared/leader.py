"""Leadership of a periodic job across instances of a service: a lease row per job.

At each tick every instance asks for the lease; one statement (``INSERT … ON CONFLICT DO
UPDATE … WHERE``) gives it to the instance that holds it already or, once it has expired, to
the first that asks, and bumps its ``term``. So for any period one instance at most runs the
job, judged by the database's clock alone; the holder renews it at each tick and, when it dies,
another takes over once ``ttl`` has passed. A stopping holder releases it at once. No session
state: it works through a transaction pooler. Used by review's deadline scanner
(``services/review/scheduler.py``); any periodic job joins with ``lead_every``."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable
from uuid import uuid4

import asyncpg
import structlog

log = structlog.get_logger()

_TAKE = """
INSERT INTO leases (name, holder, term, expires_at) VALUES ($1, $2, 1, now() + make_interval(secs => $3))
ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, term = leases.term + 1, expires_at = EXCLUDED.expires_at
WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= now()
RETURNING term
"""


class Lease:
    """One job's lease as seen by this instance (``holder`` names the instance)."""

    def __init__(self, name: str, *, ttl: float, holder: str | None = None):
        self.name, self.ttl = name, ttl
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"
        self.leading = False

    async def acquire(self, pool: asyncpg.Pool) -> int | None:
        """The lease's new term if this instance leads for the next ``ttl`` seconds, else None."""
        term = await pool.fetchval(_TAKE, self.name, self.holder, float(self.ttl))
        if (term is not None) != self.leading:
            self.leading = term is not None
            log.info("lease_acquired" if self.leading else "lease_lost", lease=self.name, holder=self.holder,
                     term=term)
        return term

    async def release(self, pool: asyncpg.Pool) -> None:
        """Let another instance take the lease at its next tick, instead of after ``ttl``."""
        await pool.execute("UPDATE leases SET expires_at = now() WHERE name = $1 AND holder = $2",
                           self.name, self.holder)
        self.leading = False


async def lead_every(interval: float, lease: Lease, pool: asyncpg.Pool, job: Callable[[int], Awaitable[object]],
                     *, what: str) -> None:
    """Every ``interval`` seconds, run ``job(term)`` if this instance holds ``lease``. A failure
    is logged as ``<what>_failed`` and the loop goes on; cancelling it releases the lease."""
    try:
        while True:
            try:
                term = await lease.acquire(pool)
                if term is not None:
                    await job(term)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away: log, and try again next time
                log.exception(f"{what}_failed", lease=lease.name)
            await asyncio.sleep(interval)
    finally:
        if lease.leading:
            try:
                await lease.release(pool)
            except Exception as exc:  # stopping anyway; the lease expires by itself
                log.warning("lease_release_failed", lease=lease.name, error=repr(exc)[:300])
