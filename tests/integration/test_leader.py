"""Leases against the real PostgreSQL: one holder at a time, renewal, expiry, release, and a
periodic job that runs on one instance only until it stops, then on another."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from shared.db import create_pool
from shared.leader import Lease, lead_every
from shared.migrations import migrate
from tests.support import wait_until

NO_MIGRATIONS = Path(__file__).parent / "no_migrations"


@pytest.fixture
async def pool(env):
    await migrate(env["LAMADI_DATABASE_URL"], "review", NO_MIGRATIONS)  # the shared tables, leases included
    pool = await create_pool(env["LAMADI_DATABASE_URL"], "review")
    yield pool
    await pool.close()


async def test_one_holder_at_a_time_renewing_until_it_releases(pool):
    a, b = Lease("job", ttl=60, holder="a"), Lease("job", ttl=60, holder="b")
    assert await a.acquire(pool) == 1
    assert await b.acquire(pool) is None
    assert await a.acquire(pool) == 2  # the holder renews: a new term
    await a.release(pool)
    assert await b.acquire(pool) == 3
    assert await a.acquire(pool) is None
    assert (a.leading, b.leading) == (False, True)


async def test_an_expired_lease_goes_to_the_next_instance_that_asks(pool):
    dead, next_one = Lease("job", ttl=0.2, holder="dead"), Lease("job", ttl=60, holder="next")
    assert await dead.acquire(pool) == 1
    term = await wait_until(lambda: next_one.acquire(pool), timeout=10, message="lease expired and taken")
    assert term == 2
    assert await dead.acquire(pool) is None  # back from a pause, it finds another holder


async def test_instances_asking_at_once_get_one_leader(pool):
    leases = [Lease("job", ttl=60, holder=f"instance-{n}") for n in range(8)]
    terms = await asyncio.gather(*(lease.acquire(pool) for lease in leases))
    assert sorted(terms, key=lambda t: t is None) == [1] + [None] * 7


async def test_a_periodic_job_runs_on_one_instance_then_on_another_once_it_stops(pool):
    runs: list[tuple[str, int]] = []

    def instance(name: str) -> asyncio.Task:
        async def job(term: int) -> None:
            runs.append((name, term))

        return asyncio.create_task(lead_every(0.05, Lease("scan", ttl=5, holder=name), pool, job, what="scan"))

    first = instance("first")
    await wait_until(lambda: len(runs) >= 3, message="first instance leads")
    second = instance("second")
    await wait_until(lambda: len(runs) >= 10, message="more ticks with both running")
    assert {name for name, _ in runs} == {"first"}
    first.cancel()  # a graceful stop releases the lease: no waiting for its 5 s
    await asyncio.gather(first, return_exceptions=True)
    await wait_until(lambda: runs[-1][0] == "second", message="second instance takes over")
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)
    terms = [term for _, term in runs]
    assert terms == sorted(set(terms))  # each term ran once, on one instance
