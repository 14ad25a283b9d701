"""Intake's SQL: filings, their documents, their public timeline, idempotency keys, and the
published committee opinions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.intake.domain.documents import CheckedDocument


async def insert_submission(conn: asyncpg.Connection, *, tracking_number: str, kind: str, status: str,
                            token_hash: bytes, applicant: dict, details: dict, correlation_id: str,
                            received_at: datetime, previous_tracking_number: str | None = None) -> None:
    await conn.execute(
        "INSERT INTO submissions (tracking_number, kind, status, access_token_hash, applicant, details, "
        "correlation_id, received_at, updated_at, previous_tracking_number) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
        tracking_number, kind, status, token_hash, applicant, details, correlation_id, received_at,
        previous_tracking_number,
    )


async def insert_documents(conn: asyncpg.Connection, tracking_number: str, documents: list[CheckedDocument]) -> None:
    await conn.executemany(
        "INSERT INTO documents (tracking_number, name, type, content_type, size, sha256) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        [(tracking_number, d.name, d.type, d.content_type, d.size, d.sha256) for d in documents],
    )


async def add_timeline(conn: asyncpg.Connection, tracking_number: str, *, at: datetime, step: str,
                       status: str | None, detail: dict | None = None, event_id=None) -> None:
    await conn.execute(
        "INSERT INTO timeline (tracking_number, at, step, status, detail, event_id) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (event_id) DO NOTHING",
        tracking_number, at, step, status, detail or {}, event_id,
    )


async def get_submission(conn: asyncpg.Connection, tracking_number: str, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM submissions WHERE tracking_number = $1{lock}", tracking_number)


async def update_submission(conn: asyncpg.Connection, tracking_number: str, **changes: Any) -> None:
    columns = ", ".join(f"{name} = ${i}" for i, name in enumerate(changes, start=2))
    await conn.execute(
        f"UPDATE submissions SET {columns}, updated_at = now() WHERE tracking_number = $1",
        tracking_number, *changes.values(),
    )


async def list_documents(conn: asyncpg.Connection, tracking_number: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT name, type, content_type, size, sha256, added_at FROM documents WHERE tracking_number = $1 "
        "ORDER BY id",
        tracking_number,
    )


async def received_document_count(conn: asyncpg.Connection, tracking_number: str) -> int:
    """How many documents came with the filing itself (later answers add more)."""
    return await conn.fetchval(
        "SELECT coalesce((detail->>'documents')::int, 0) FROM timeline WHERE tracking_number = $1 "
        "AND step = 'received' ORDER BY id LIMIT 1", tracking_number) or 0


async def list_timeline(conn: asyncpg.Connection, tracking_number: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT at, step, status, detail FROM timeline WHERE tracking_number = $1 ORDER BY at, id", tracking_number
    )


async def find_idempotent(conn: asyncpg.Connection, key_id: bytes) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT fingerprint, sealed_answer FROM idempotency_keys WHERE key_id = $1", key_id)


async def claim_idempotency_key(conn: asyncpg.Connection, key_id: bytes, fingerprint: bytes, tracking_number: str,
                                sealed_answer: bytes) -> bool:
    """False if the key was used already (after waiting for a concurrent holder to finish)."""
    return await conn.fetchval(
        "INSERT INTO idempotency_keys (key_id, fingerprint, tracking_number, sealed_answer) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (key_id) DO NOTHING RETURNING true",
        key_id, fingerprint, tracking_number, sealed_answer,
    ) is not None


async def insert_opinion(conn: asyncpg.Connection, *, event_id: UUID, tracking_number: str, kind: str,
                         commune: str | None, project: str | None, opinion: str, motive: str,
                         session_date: date | None, published_at: datetime) -> None:
    await conn.execute(
        "INSERT INTO opinions (event_id, tracking_number, kind, commune, project, opinion, motive, session_date, "
        "published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING",
        event_id, tracking_number, kind, commune, project, opinion, motive, session_date, published_at,
    )


async def list_opinions(conn: asyncpg.Connection, *, kind: str | None, limit: int,
                        offset: int) -> tuple[list[asyncpg.Record], int]:
    """Newest first. Only public columns: no applicant, no member."""
    rows = await conn.fetch(
        "SELECT tracking_number AS reference, kind, commune, project, opinion, motive, session_date, published_at "
        "FROM opinions WHERE $1::text IS NULL OR kind = $1 ORDER BY published_at DESC, id DESC LIMIT $2 OFFSET $3",
        kind, limit, offset,
    )
    total = await conn.fetchval("SELECT count(*) FROM opinions WHERE $1::text IS NULL OR kind = $1", kind)
    return rows, total
