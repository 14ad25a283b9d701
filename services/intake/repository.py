"""Intake's SQL: filings, their documents, their public timeline, idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from services.intake.domain.documents import CheckedDocument


async def insert_submission(conn: asyncpg.Connection, *, tracking_number: str, kind: str, status: str,
                            token_hash: bytes, applicant: dict, details: dict, correlation_id: str,
                            received_at: datetime) -> None:
    await conn.execute(
        "INSERT INTO submissions (tracking_number, kind, status, access_token_hash, applicant, details, "
        "correlation_id, received_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        tracking_number, kind, status, token_hash, applicant, details, correlation_id, received_at,
    )


async def insert_documents(conn: asyncpg.Connection, tracking_number: str, documents: list[CheckedDocument]) -> None:
    await conn.executemany(
        "INSERT INTO documents (tracking_number, name, content_type, size, sha256) VALUES ($1, $2, $3, $4, $5)",
        [(tracking_number, d.name, d.content_type, d.size, d.sha256) for d in documents],
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
        "SELECT name, content_type, size, sha256, added_at FROM documents WHERE tracking_number = $1 ORDER BY id",
        tracking_number,
    )


async def list_timeline(conn: asyncpg.Connection, tracking_number: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT at, step, status, detail FROM timeline WHERE tracking_number = $1 ORDER BY at, id", tracking_number
    )


async def find_idempotent(conn: asyncpg.Connection, key_id: bytes) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT fingerprint, sealed_answer FROM idempotency_keys WHERE key_id = $1", key_id)


async def insert_idempotent(conn: asyncpg.Connection, key_id: bytes, fingerprint: bytes, tracking_number: str,
                            sealed_answer: bytes) -> None:
    await conn.execute(
        "INSERT INTO idempotency_keys (key_id, fingerprint, tracking_number, sealed_answer) VALUES ($1, $2, $3, $4)",
        key_id, fingerprint, tracking_number, sealed_answer,
    )
