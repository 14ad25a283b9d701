"""Outbox relay throughput against its baseline, measured in the same run.

Baselines: publishing the same envelopes straight to RabbitMQ with confirms (what a service
would do with no outbox), one by one and 100 at a time. Measured: writing them to the outbox in one transaction, then the
relay publishing them with confirms and marking each row sent. The ratio is the price of
never losing an event between the database and the broker.

    make bench          # or: .venv/bin/python -m bench.outbox_relay [--events 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from urllib.parse import quote

from shared.db import create_pool
from shared.envelope import Envelope
from shared.events import SubmissionWithdrawn
from shared.messaging import outbox
from shared.messaging.broker import Broker
from shared.messaging.outbox import OutboxRelay
from shared.migrations import migrate
from tests.support import create_database, create_vhost, delete_vhost, drop_database

NO_MIGRATIONS = Path(__file__).parent / "no_migrations"


def envelopes(count: int) -> list[Envelope]:
    return [
        Envelope.new(SubmissionWithdrawn(tracking_number=f"AU-B-{n}", kind="complaint"), source="bench",
                     subject=f"AU-B-{n}", correlation_id=f"bench-{n}")
        for n in range(count)
    ]


async def run(count: int) -> None:
    database, vhost = await create_database(), await create_vhost()
    dsn = f"postgresql://postgres@127.0.0.1:5432/{database}"
    broker = Broker(f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}", "lamadi.events")
    try:
        NO_MIGRATIONS.mkdir(exist_ok=True)
        await migrate(dsn, "review", NO_MIGRATIONS)
        pool = await create_pool(dsn, "review")
        broker.start()
        while not broker.is_connected:
            await asyncio.sleep(0.05)

        started = time.perf_counter()
        for envelope in envelopes(count):
            await broker.publish(envelope)
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        batch = envelopes(count)
        for first in range(0, count, 100):
            await asyncio.gather(*(broker.publish(e) for e in batch[first:first + 100]))
        batched = time.perf_counter() - started

        started = time.perf_counter()
        async with pool.acquire() as conn, conn.transaction():
            await outbox.write(conn, envelopes(count))
        written = time.perf_counter() - started
        relay = OutboxRelay(pool, broker, dsn=dsn, schema="review")
        started = time.perf_counter()
        published = await relay.drain()
        relayed = time.perf_counter() - started
        assert published == count
        await pool.close()
    finally:
        await broker.close()
        await delete_vhost(vhost)
        await drop_database(database)

    print(f"events                          {count}")
    print(f"baseline: direct confirmed publish   {count / baseline:8.0f} events/s  ({baseline:.2f} s)")
    print(f"baseline: confirmed, 100 at a time   {count / batched:8.0f} events/s  ({batched:.2f} s)")
    print(f"outbox write (one transaction)       {count / written:8.0f} events/s  ({written:.2f} s)")
    print(f"outbox relay publish + mark sent     {count / relayed:8.0f} events/s  ({relayed:.2f} s)")
    print(f"relay / one-by-one baseline ratio    {relayed / baseline:8.2f}x")
    print(f"relay / batched baseline ratio       {relayed / batched:8.2f}x")
    print(f"write + relay / baseline time ratio  {(written + relayed) / baseline:8.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=2000)
    asyncio.run(run(parser.parse_args().events))


if __name__ == "__main__":
    main()
