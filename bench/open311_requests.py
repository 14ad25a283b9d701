"""Open311 GET requests: the price of a full page (1,000 complaints) in XML and JSON, against its
baseline measured in the same run, the database query alone; and that query with and without
the partial index on complaints (migration 0004).

    .venv/bin/python -m bench.open311_requests [--complaints 20000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.intake import repository as repo
from services.intake.api.open311_render import answer
from services.intake.domain.open311.requests import PAGE_SIZE_MAX, public_request, requests_query
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.db import create_pool
from shared.migrations import migrate
from tests.support import create_database, drop_database

MIGRATIONS = Path(__file__).resolve().parents[1] / "services" / "intake" / "migrations"
STATUSES = ["received", "queued", "in_review", "awaiting_applicant", "closed", "withdrawn"]
KINDS = ["complaint"] * 3 + ["building_permit", "information_note"]  # other kinds share the table


def rows(count: int, now: datetime) -> list[tuple]:
    pick = random.Random(311)
    return [(f"AU-2026-{n:05d}-BENCH", kind, pick.choice(STATUSES), b"\0" * 32,
             {"full_name": "Bench Mark", "email": "bench@example.ma", "language": "fr"},
             {"subtype": pick.choice(["complaint", "observation", "suggestion"]), "subject": "Chantier",
              "message": "Un chantier sans panneau.", "topic": "building_site",
              "location": {"lat": 32.9 + pick.random() / 10, "long": -5.7 + pick.random() / 10}},
             "bench", now - timedelta(days=pick.uniform(0, 180)))
            for n, kind in ((n, pick.choice(KINDS)) for n in range(count))]


async def timed(rounds: int, page: int, work) -> tuple[float, float]:
    """Wall ms per page, CPU ms per item."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        await work()
    return ((time.perf_counter() - wall) * 1000 / rounds, (time.process_time() - cpu) * 1000 / (rounds * page))


async def run(count: int, rounds: int) -> None:
    database = await create_database()
    dsn = f"postgresql://postgres@127.0.0.1:5432/{database}"
    try:
        await migrate(dsn, "intake", MIGRATIONS)
        pool = await create_pool(dsn, "intake")
        now = datetime.now(UTC)
        await pool.executemany(
            "INSERT INTO submissions (tracking_number, kind, status, access_token_hash, applicant, details, "
            "correlation_id, received_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)", rows(count, now))
        await pool.execute("ANALYZE submissions")
        catalogue, calendar = default_catalogue(), WorkingCalendar()
        query = requests_query(ids=None, codes=None, statuses=None, start=None, end=None, page=1,
                               page_size=PAGE_SIZE_MAX, now=now)

        async def fetch():
            async with pool.acquire() as conn:
                return await repo.list_public_complaints(
                    conn, numbers=None, subtypes=None, statuses=None, since=query.since, until=query.until,
                    limit=query.limit, offset=0)

        page = len(await fetch())

        def page_in(fmt: str):
            async def work():
                shaped = [public_request(row, catalogue=catalogue, calendar=calendar, language="fr",
                                         agency="Agence urbaine") for row in await fetch()]
                answer(fmt, "service_requests", shaped)
            return work

        figures = {"query alone (baseline)": await timed(rounds, page, fetch)}
        figures["GET requests.json"] = await timed(rounds, page, page_in("json"))
        figures["GET requests.xml"] = await timed(rounds, page, page_in("xml"))
        await pool.execute("DROP INDEX submissions_complaints_newest_first")
        figures["query alone, no partial index"] = await timed(rounds, page, fetch)
        await pool.close()
    finally:
        await drop_database(database)
    baseline = figures["query alone (baseline)"][0]
    print(f"{count} filings, {page} complaints a page, {rounds} rounds")
    for name, (wall, cpu) in figures.items():
        print(f"  {name:32} {wall:8.1f} ms a page  ×{wall / baseline:5.2f}  {cpu:6.3f} CPU ms an item")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=20000, help="filings in the table (3 in 5 complaints)")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(run(args.complaints, args.rounds))


if __name__ == "__main__":
    main()
