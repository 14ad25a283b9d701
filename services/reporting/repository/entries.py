"""Report entries: one non-personal row per event, and the slices the reports read.

``claimed_only``: read only entries some report has claimed (a build reads what it claimed in
its own transaction, so an entry committed meanwhile waits for the next report); the
provisional view of a day not built yet reads every entry."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import asyncpg

from services.reporting.domain.agency_days import AgencyDays
from services.reporting.domain.entries import ReportEntry, event_name
from services.reporting.domain.timelines import Step

Db = asyncpg.Connection | asyncpg.Pool
# Events that open or close a filing: the ones that say whether it is still pending.
LIFECYCLE = r"^(submission\.(received|contested|withdrawn)|review\.decided)\."
OPENING = r"^submission\.(received|contested)\."
CLOSING = r"^(submission\.withdrawn|review\.decided)\."
STEP_COLUMNS = "tracking_number, type, kind, status, occurred_at, details"


async def insert_entry(conn: asyncpg.Connection, entry: ReportEntry) -> bool:
    """False if the event was already recorded (the inbox already stops redeliveries; this is the backstop)."""
    status = await conn.execute(
        """
        INSERT INTO report_entries (event_id, type, tracking_number, kind, status, occurred_at, details)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (event_id) DO NOTHING
        """,
        entry.event_id,
        entry.type,
        entry.tracking_number,
        entry.kind,
        entry.status,
        entry.occurred_at,
        entry.details,
    )
    return status.endswith(" 1")


async def claim(conn: asyncpg.Connection, day: date, days: AgencyDays) -> int:
    """Claim for ``day``'s report every unclaimed entry before its end; an entry whose own day
    already has a report is marked late (a correction). Returns how many were claimed."""
    status = await conn.execute(
        """
        UPDATE report_entries e
           SET reported_in = $1,
               late = EXISTS (SELECT 1 FROM daily_reports r
                               WHERE r.day = ((e.occurred_at AT TIME ZONE $3) - make_interval(secs => $4))::date)
         WHERE reported_in IS NULL AND occurred_at < $2
        """,
        day,
        days.end(day),
        days.zone.key,
        days.shift.total_seconds(),
    )
    return int(status.split()[-1])


def _step(row: asyncpg.Record) -> Step:
    return Step(name=event_name(row["type"]), kind=row["kind"], status=row["status"], at=row["occurred_at"],
                details=row["details"])


async def steps_between(db: Db, start: datetime, end: datetime, *, claimed_only: bool,
                        pattern: str = ".") -> list[Step]:
    """Entries in [start, end) whose type matches ``pattern``, in time order."""
    rows = await db.fetch(
        f"SELECT {STEP_COLUMNS} FROM report_entries WHERE occurred_at >= $1 AND occurred_at < $2 "
        "AND type ~ $3 AND (reported_in IS NOT NULL OR NOT $4) ORDER BY occurred_at, event_id",
        start, end, pattern, claimed_only,
    )
    return [_step(row) for row in rows]


async def live_filings(db: Db, start: datetime, end: datetime, *, claimed_only: bool) -> dict[str, list[Step]]:
    """The timelines, up to ``end``, of the filings opened or closed in [start, end) or still
    open at ``end``."""
    rows = await db.fetch(
        f"""
        WITH live AS (
            SELECT tracking_number FROM report_entries
             WHERE occurred_at < $2 AND tracking_number IS NOT NULL AND type ~ $3
               AND (reported_in IS NOT NULL OR NOT $6)
             GROUP BY tracking_number
            HAVING max(occurred_at) >= $1
                OR count(*) FILTER (WHERE type ~ $4) > count(*) FILTER (WHERE type ~ $5)
        )
        SELECT {STEP_COLUMNS} FROM report_entries JOIN live USING (tracking_number)
         WHERE occurred_at < $2 AND (reported_in IS NOT NULL OR NOT $6)
         ORDER BY tracking_number, occurred_at, event_id
        """,
        start, end, LIFECYCLE, OPENING, CLOSING, claimed_only,
    )
    return _by_filing(rows)


async def decided_filings(db: Db, start: datetime, end: datetime) -> dict[str, list[Step]]:
    """The timelines, up to ``end``, of the filings decided in [start, end)."""
    rows = await db.fetch(
        f"""
        SELECT {STEP_COLUMNS} FROM report_entries
         WHERE occurred_at < $2 AND tracking_number IN (
               SELECT tracking_number FROM report_entries
                WHERE occurred_at >= $1 AND occurred_at < $2 AND type ~ '^review\\.decided\\.')
         ORDER BY tracking_number, occurred_at, event_id
        """,
        start, end,
    )
    return _by_filing(rows)


async def late_steps(db: Db, day: date, start: datetime) -> list[Step]:
    """Entries this day's report claimed although their own day had a report already."""
    rows = await db.fetch(
        f"SELECT {STEP_COLUMNS} FROM report_entries WHERE reported_in = $1 AND late AND occurred_at < $2 "
        "ORDER BY occurred_at, event_id",
        day, start,
    )
    return [_step(row) for row in rows]


def _by_filing(rows: list[asyncpg.Record]) -> dict[str, list[Step]]:
    filings: dict[str, list[Step]] = defaultdict(list)
    for row in rows:
        filings[row["tracking_number"]].append(_step(row))
    return dict(filings)
