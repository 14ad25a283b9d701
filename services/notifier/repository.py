"""The notifier's SQL: recipients (with the filing's details) and the delivery ledger.
``db`` is a connection or the pool."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

Db = asyncpg.Connection | asyncpg.Pool

# What the API shows: the delivery without its template variables (names and texts).
PUBLIC_COLUMNS = (
    "id, event_id, template, recipient, tracking_number, kind, language, status, attempts, "
    "message_id, last_error, created_at, sent_at"
)


async def upsert_recipient(db: Db, *, tracking_number: str, full_name: str, email: str, language: str,
                           kind: str, details: dict[str, Any], received_at: datetime) -> asyncpg.Record:
    """The recipient as it now stands (one round trip, no SELECT after)."""
    return await db.fetchrow(
        "INSERT INTO recipients (tracking_number, full_name, email, language, kind, details, received_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (tracking_number) DO UPDATE SET full_name = EXCLUDED.full_name, email = EXCLUDED.email, "
        "language = EXCLUDED.language, kind = EXCLUDED.kind, details = EXCLUDED.details, "
        "received_at = EXCLUDED.received_at, updated_at = now() RETURNING *",
        tracking_number, full_name, email, language, kind, details, received_at,
    )


async def get_recipient(db: Db, tracking_number: str) -> asyncpg.Record | None:
    return await db.fetchrow("SELECT * FROM recipients WHERE tracking_number = $1", tracking_number)


async def record_pending(db: Db, *, delivery_id: UUID, event_id: UUID, template: str, recipient: str,
                         tracking_number: str, kind: str | None, language: str, context: dict[str, Any],
                         message_id: str) -> asyncpg.Record:
    """Insert the delivery as pending unless it exists, and return it as it stands: one
    statement, the new row or else the one already there."""
    row = await db.fetchrow(
        "WITH inserted AS (INSERT INTO deliveries (id, event_id, template, recipient, tracking_number, kind, "
        "language, context, message_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING "
        "RETURNING *) "
        "SELECT * FROM inserted UNION ALL "
        "SELECT * FROM deliveries WHERE event_id = $2 AND template = $3 AND recipient = $4 LIMIT 1",
        delivery_id, event_id, template, recipient, tracking_number, kind, language, context, message_id,
    )
    # None only when another instance inserted it meanwhile: its row committed after this
    # statement's snapshot was taken, so a new statement sees it.
    return row or await db.fetchrow(
        "SELECT * FROM deliveries WHERE event_id = $1 AND template = $2 AND recipient = $3",
        event_id, template, recipient,
    )


async def get_delivery(db: Db, delivery_id: UUID) -> asyncpg.Record | None:
    return await db.fetchrow("SELECT * FROM deliveries WHERE id = $1", delivery_id)


async def mark_sent(db: Db, delivery_id: UUID) -> asyncpg.Record | None:
    """After a successful send (first or again): one more attempt, status sent, last send time."""
    return await db.fetchrow(
        "UPDATE deliveries SET status = 'sent', attempts = attempts + 1, sent_at = now(), last_error = NULL "
        f"WHERE id = $1 RETURNING {PUBLIC_COLUMNS}",
        delivery_id,
    )


async def mark_announced(db: Db, delivery_id: UUID) -> bool:
    """True the first time: notification.sent is then emitted in the same transaction."""
    return await db.fetchval(
        "UPDATE deliveries SET announced = true WHERE id = $1 AND NOT announced RETURNING true", delivery_id,
    ) is not None


async def record_attempt_failure(db: Db, delivery_id: UUID, error: str) -> None:
    await db.execute(
        "UPDATE deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1", delivery_id, error[:500]
    )


async def mark_failed_for_event(db: Db, event_id: UUID, error: str) -> list[asyncpg.Record]:
    """Every delivery of this event still pending becomes failed (its retries are exhausted)."""
    return await db.fetch(
        "UPDATE deliveries SET status = 'failed', last_error = COALESCE(last_error, $2) "
        "WHERE event_id = $1 AND status = 'pending' RETURNING *",
        event_id, error[:500],
    )


async def list_deliveries(db: Db, *, tracking_number: str | None, status: str | None, template: str | None,
                          limit: int, offset: int) -> tuple[list[asyncpg.Record], int]:
    conditions, args = [], []
    for column, value in (("tracking_number", tracking_number), ("status", status), ("template", template)):
        if value is not None:
            args.append(value)
            conditions.append(f"{column} = ${len(args)}")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    total = await db.fetchval(f"SELECT count(*) FROM deliveries {where}", *args)
    rows = await db.fetch(
        f"SELECT {PUBLIC_COLUMNS} FROM deliveries {where} ORDER BY created_at DESC, id DESC "
        f"LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
        *args, limit, offset,
    )
    return rows, total


# The register of issued documents (migrations/0004_documents.sql).

async def document_issued_for(db: Db, event_id: UUID, document: str) -> asyncpg.Record | None:
    """The document already issued for this event, if any (an event handled again)."""
    return await db.fetchrow("SELECT * FROM documents WHERE issued_for = $1 AND document = $2", event_id, document)


async def record_document(db: Db, **columns: Any) -> asyncpg.Record:
    """Register a document, unless one was issued for the same event meanwhile: that one is
    returned (one statement, as ``record_pending``)."""
    names = ", ".join(columns)
    places = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    keys = list(columns)
    return await db.fetchrow(
        f"WITH inserted AS (INSERT INTO documents ({names}) VALUES ({places}) ON CONFLICT DO NOTHING RETURNING *) "
        f"SELECT * FROM inserted UNION ALL SELECT * FROM documents WHERE issued_for = ${keys.index('issued_for') + 1} "
        f"AND document = ${keys.index('document') + 1} LIMIT 1",
        *columns.values(),
    )


async def get_document(db: Db, code: str) -> asyncpg.Record | None:
    return await db.fetchrow(
        "SELECT d.*, (SELECT code FROM documents r WHERE r.replaces = d.code) AS replaced_by "
        "FROM documents d WHERE d.code = $1", code)


async def documents_by_sha256(db: Db, sha256: str) -> list[asyncpg.Record]:
    return await db.fetch("SELECT code FROM documents WHERE sha256 = $1", sha256)


async def list_documents(db: Db, reference: str) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT d.*, (SELECT code FROM documents r WHERE r.replaces = d.code) AS replaced_by "
        "FROM documents d WHERE d.reference = $1 ORDER BY d.issued_at, d.code", reference)


async def latest_document(db: Db, reference: str, document: str) -> asyncpg.Record | None:
    """The valid document of this name for this reference that nothing replaced yet."""
    return await db.fetchrow(
        "SELECT * FROM documents d WHERE reference = $1 AND document = $2 AND state = 'valid' "
        "AND NOT EXISTS (SELECT 1 FROM documents r WHERE r.replaces = d.code) ORDER BY issued_at DESC LIMIT 1",
        reference, document)


async def revoke_document(db: Db, code: str, *, reason: str, by: str, at: datetime) -> asyncpg.Record | None:
    """Revoke it; None when it was revoked already (or is unknown)."""
    return await db.fetchrow(
        "UPDATE documents SET state = 'revoked', revoked_reason = $2, revoked_by = $3, revoked_at = $4 "
        "WHERE code = $1 AND state = 'valid' RETURNING code", code, reason, by, at)
