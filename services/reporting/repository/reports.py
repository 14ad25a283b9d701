"""The built daily reports, their files and their audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from services.reporting.adapters.documents import ReportFile

Db = asyncpg.Connection | asyncpg.Pool
# Every builder of every reporting instance takes this lock for its transaction: builds of
# daily reports happen one at a time, and each sees what the previous one committed.
BUILD_LOCK = 0x4C414D_5250  # "LAM" "RP"
LISTED = "day, language, revision, built_at, built_by, sent_at, times_sent"


async def lock_builds(conn: asyncpg.Connection) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock($1)", BUILD_LOCK)


async def get_report(db: Db, day: date) -> asyncpg.Record | None:
    return await db.fetchrow(f"SELECT {LISTED}, figures FROM daily_reports WHERE day = $1", day)


async def last_sent_day(db: Db) -> date | None:
    return await db.fetchval("SELECT max(day) FROM daily_reports WHERE sent_at IS NOT NULL")


async def save_report(conn: asyncpg.Connection, *, day: date, language: str, figures: dict[str, Any],
                      built_at: datetime, built_by: str) -> int:
    """Insert the day's report, or replace a rebuilt one (revision + 1); returns the revision."""
    return await conn.fetchval(
        """
        INSERT INTO daily_reports (day, language, figures, built_at, built_by) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (day) DO UPDATE SET language = EXCLUDED.language, figures = EXCLUDED.figures,
               built_at = EXCLUDED.built_at, built_by = EXCLUDED.built_by, revision = daily_reports.revision + 1
        RETURNING revision
        """,
        day, language, figures, built_at, built_by,
    )


async def save_files(conn: asyncpg.Connection, day: date, files: Sequence[ReportFile]) -> None:
    await conn.execute("DELETE FROM daily_report_files WHERE day = $1", day)
    await conn.executemany(
        "INSERT INTO daily_report_files (day, format, filename, content_type, sha256, size, content, "
        "verification_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [(day, f.format, f.filename, f.content_type, f.sha256, len(f.content), f.content, f.verification_code)
         for f in files],
    )


async def get_files(db: Db, day: date, *, with_content: bool = True) -> list[ReportFile]:
    content = "content" if with_content else "''::bytea AS content"
    rows = await db.fetch(
        f"SELECT format, filename, content_type, sha256, size, {content}, verification_code FROM daily_report_files "
        "WHERE day = $1 "
        "ORDER BY array_position(ARRAY['pdf', 'xlsx', 'csv', 'json'], format)",
        day,
    )
    return [ReportFile(format=r["format"], filename=r["filename"], content_type=r["content_type"],
                       content=bytes(r["content"]), sha256=r["sha256"], size=r["size"],
                       verification_code=r["verification_code"]) for r in rows]


async def get_file(db: Db, day: date, format_: str) -> ReportFile | None:
    rows = [f for f in await get_files(db, day) if f.format == format_]
    return rows[0] if rows else None


async def mark_sent(conn: asyncpg.Connection, day: date, at: datetime) -> None:
    await conn.execute("UPDATE daily_reports SET sent_at = $2, times_sent = times_sent + 1 WHERE day = $1", day, at)


async def list_reports(db: Db, *, limit: int, offset: int) -> tuple[list[asyncpg.Record], int]:
    total = await db.fetchval("SELECT count(*) FROM daily_reports")
    rows = await db.fetch(f"SELECT {LISTED} FROM daily_reports ORDER BY day DESC LIMIT $1 OFFSET $2", limit, offset)
    return rows, total


async def file_summaries(db: Db, days: Sequence[date]) -> dict[date, list[dict[str, Any]]]:
    rows = await db.fetch("SELECT day, format, filename, sha256, size FROM daily_report_files WHERE day = ANY($1) "
                          "ORDER BY day, format", list(days))
    summaries: dict[date, list[dict[str, Any]]] = {}
    for row in rows:
        summaries.setdefault(row["day"], []).append({k: row[k] for k in ("format", "filename", "sha256", "size")})
    return summaries


async def audit(conn: asyncpg.Connection, *, day: date, action: str, actor: str, revision: int,
                forced: bool = False, details: dict[str, Any] | None = None) -> None:
    await conn.execute(
        "INSERT INTO daily_report_audit (day, action, actor, forced, revision, details) VALUES ($1, $2, $3, $4, $5, $6)",
        day, action, actor, forced, revision, details or {},
    )


async def audit_of(db: Db, day: date) -> list[asyncpg.Record]:
    return await db.fetch("SELECT action, actor, forced, revision, at, details FROM daily_report_audit "
                          "WHERE day = $1 ORDER BY id", day)
