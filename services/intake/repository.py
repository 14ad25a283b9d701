"""Intake's SQL: filings, their documents, their public timeline, idempotency keys, and the
published committee opinions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.intake.domain.documents import CheckedDocument

# A filing in one statement (one round trip): the Idempotency-Key claimed first, and the
# submission, its documents and its "received" timeline entry inserted only if the claim held.
# ON CONFLICT waits for a concurrent holder of the key to finish, as a separate claim would.
# Sibling CTEs do not see each other's rows, but the foreign keys are checked at the end of
# the statement, when they do.
_FILE = """
WITH claim AS (
    INSERT INTO idempotency_keys (key_id, fingerprint, tracking_number, sealed_answer)
    SELECT $10::bytea, $11::bytea, $1::text, $12::bytea WHERE $10::bytea IS NOT NULL
    ON CONFLICT (key_id) DO NOTHING RETURNING 1
), submission AS (
    INSERT INTO submissions (tracking_number, kind, status, access_token_hash, applicant, details,
                             correlation_id, received_at, updated_at, previous_tracking_number)
    SELECT $1::text, $2::text, $3::text, $4::bytea, $5::jsonb, $6::jsonb, $7::text, $8::timestamptz, $8, $9::text
    WHERE $10::bytea IS NULL OR EXISTS (SELECT 1 FROM claim)
    RETURNING tracking_number
), filed AS (
    INSERT INTO documents (tracking_number, name, type, content_type, size, sha256)
    SELECT submission.tracking_number, d.name, d.type, d.content_type, d.size, d.sha256
    FROM submission, unnest($13::text[], $14::text[], $15::text[], $16::integer[], $17::text[])
         WITH ORDINALITY AS d(name, type, content_type, size, sha256, position)
    ORDER BY d.position
), received AS (
    INSERT INTO timeline (tracking_number, at, step, status, detail)
    SELECT tracking_number, $8, 'received', $3, $18::jsonb FROM submission
)
SELECT EXISTS (SELECT 1 FROM submission)
"""


async def file_submission(conn: asyncpg.Connection, *, tracking_number: str, kind: str, status: str,
                          token_hash: bytes, applicant: dict, details: dict, correlation_id: str,
                          received_at: datetime, previous_tracking_number: str | None,
                          documents: list[CheckedDocument], claim: tuple[bytes, bytes, bytes] | None) -> bool:
    """Insert a filing with its documents and "received" timeline entry. ``claim``: the
    Idempotency-Key's (key id, fingerprint, sealed answer); False, and nothing inserted, if
    that key was used already."""
    key_id, fingerprint, sealed = claim or (None, None, None)
    return await conn.fetchval(
        _FILE, tracking_number, kind, status, token_hash, applicant, details, correlation_id, received_at,
        previous_tracking_number, key_id, fingerprint, sealed,
        [d.name for d in documents], [d.type for d in documents], [d.content_type for d in documents],
        [d.size for d in documents], [d.sha256 for d in documents], {"documents": len(documents)},
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


async def latest_step_at(conn: asyncpg.Connection, tracking_number: str) -> datetime | None:
    return await conn.fetchval("SELECT max(at) FROM timeline WHERE tracking_number = $1", tracking_number)


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


async def list_opinions(conn: asyncpg.Connection, *, kind: str | None, since: datetime | None,
                        before: datetime | None, limit: int, offset: int) -> tuple[list[asyncpg.Record], int]:
    """Newest first, published in [since, before). Only public columns: no applicant, no member."""
    where = ("($1::text IS NULL OR kind = $1) AND ($2::timestamptz IS NULL OR published_at >= $2) "
             "AND ($3::timestamptz IS NULL OR published_at < $3)")
    # The page and its total from one snapshot: a page never holds fewer rows than its total says.
    rows = await conn.fetch(
        "SELECT tracking_number AS reference, kind, commune, project, opinion, motive, session_date, published_at, "
        f"count(*) OVER () AS total FROM opinions WHERE {where} ORDER BY published_at DESC, id DESC "
        "LIMIT $4 OFFSET $5",
        kind, since, before, limit, offset,
    )
    if rows:
        return [{k: v for k, v in row.items() if k != "total"} for row in rows], rows[0]["total"]
    return [], await conn.fetchval(f"SELECT count(*) FROM opinions WHERE {where}", kind, since, before)


# --- drafts ------------------------------------------------------------------------------------

async def insert_draft(conn: asyncpg.Connection, *, draft_id: UUID, token_hash: bytes, kind: str, language: str,
                       email: str, data: dict, expires_at: datetime) -> None:
    await conn.execute(
        "INSERT INTO drafts (id, token_hash, kind, language, email, data, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)", draft_id, token_hash, kind, language, email, data, expires_at)


async def get_draft(conn: asyncpg.Connection, draft_id: UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM drafts WHERE id = $1{lock}", draft_id)


async def update_draft(conn: asyncpg.Connection, draft_id: UUID, **changes: Any) -> None:
    columns = ", ".join(f"{name} = ${i}" for i, name in enumerate(changes, start=2))
    await conn.execute(f"UPDATE drafts SET {columns}, updated_at = now() WHERE id = $1", draft_id, *changes.values())


async def list_draft_documents(conn: asyncpg.Connection, draft_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT type, name, content_type, size, sha256, added_at FROM draft_documents "
                            "WHERE draft_id = $1 ORDER BY id", draft_id)


async def replace_draft_documents(conn: asyncpg.Connection, draft_id: UUID, replaced: set[str],
                                  documents: list[CheckedDocument]) -> None:
    await conn.execute("DELETE FROM draft_documents WHERE draft_id = $1 AND type = ANY($2::text[])",
                       draft_id, sorted(replaced))
    await conn.executemany(
        "INSERT INTO draft_documents (draft_id, type, name, content_type, size, sha256) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        [(draft_id, d.type, d.name, d.content_type, d.size, d.sha256) for d in documents])


async def delete_expired_drafts(conn: asyncpg.Connection, now: datetime) -> list[str]:
    """Delete drafts past their expiry and their documents' rows; the sha256 of those files that
    no filing and no other draft still needs (the caller removes them from the blob store)."""
    files = await conn.fetch("DELETE FROM draft_documents WHERE draft_id IN "
                             "(SELECT id FROM drafts WHERE expires_at < $1) RETURNING sha256", now)
    await conn.execute("DELETE FROM drafts WHERE expires_at < $1", now)
    return [row["sha256"] for row in await conn.fetch(
        "SELECT DISTINCT sha256 FROM unnest($1::text[]) AS f(sha256) "
        "WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = f.sha256) "
        "AND NOT EXISTS (SELECT 1 FROM draft_documents o WHERE o.sha256 = f.sha256)",
        [row["sha256"] for row in files])]


async def forget_published_draft_links(conn: asyncpg.Connection) -> None:
    """The outbox keeps published events; a draft's link holds its secret, so once sent it goes."""
    await conn.execute("DELETE FROM outbox WHERE routing_key = 'submission.draft_saved.v1' "
                       "AND published_at < now() - interval '1 hour'")


# --- Open311 client keys and the public view of complaints ---------------------------------------

async def add_open311_key(conn: asyncpg.Connection, name: str, key_hash: bytes) -> bool:
    """False if ``name`` holds a key not revoked; a revoked name gets the new key."""
    return await conn.fetchval(
        "INSERT INTO open311_keys (name, key_hash) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE "
        "SET key_hash = EXCLUDED.key_hash, created_at = now(), revoked_at = NULL "
        "WHERE open311_keys.revoked_at IS NOT NULL RETURNING true",
        name, key_hash,
    ) is not None


async def revoke_open311_key(conn: asyncpg.Connection, name: str) -> bool:
    return await conn.fetchval(
        "UPDATE open311_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING true", name,
    ) is not None


async def list_open311_keys(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT name, created_at, revoked_at FROM open311_keys ORDER BY name")


async def open311_client(conn: asyncpg.Connection, key_hash: bytes) -> str | None:
    """The client application holding this key, if the key is known and not revoked."""
    return await conn.fetchval("SELECT name FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL", key_hash)


# Only what may be public: never the applicant, the subject or the message.
_PUBLIC_COMPLAINT = ("tracking_number, status, details->>'subtype' AS subtype, details->>'topic' AS topic, "
                     "details->'location' AS location, details->'media_urls'->>0 AS media_url, received_at, updated_at")
_COMPLAINTS_WHERE = ("kind = 'complaint' AND ($1::text[] IS NULL OR tracking_number = ANY($1)) "
                     "AND ($2::text[] IS NULL OR details->>'subtype' = ANY($2)) "
                     "AND ($3::text[] IS NULL OR status = ANY($3)) "
                     "AND ($4::timestamptz IS NULL OR received_at >= $4) AND ($5::timestamptz IS NULL OR received_at <= $5)")


async def list_public_complaints(conn: asyncpg.Connection, *, numbers: list[str] | None = None,
                                 subtypes: list[str] | None = None, statuses: list[str] | None = None,
                                 since: datetime | None = None, until: datetime | None = None, limit: int,
                                 offset: int = 0) -> list[asyncpg.Record]:
    """Complaints, newest first, with their public columns only; a None filter filters nothing."""
    return await conn.fetch(
        f"SELECT {_PUBLIC_COMPLAINT} FROM submissions WHERE {_COMPLAINTS_WHERE} "
        "ORDER BY received_at DESC, tracking_number LIMIT $6 OFFSET $7",
        numbers, subtypes, statuses, since, until, limit, offset,
    )


async def count_public_complaints(conn: asyncpg.Connection, *, statuses: list[str] | None = None) -> int:
    return await conn.fetchval(f"SELECT count(*) FROM submissions WHERE {_COMPLAINTS_WHERE}",
                               None, None, statuses, None, None)


async def record_issued_document(conn: asyncpg.Connection, **columns: Any) -> None:
    """Once per code: the notifier tells it again whenever it handles the event again."""
    names = ", ".join(columns)
    places = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    await conn.execute(f"INSERT INTO issued_documents ({names}) VALUES ({places}) ON CONFLICT (code) DO NOTHING",
                       *columns.values())


async def list_issued_documents(conn: asyncpg.Connection, tracking_number: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT code, document, language, sha256, filename, issued_at, replaces FROM issued_documents "
        "WHERE tracking_number = $1 ORDER BY issued_at, code", tracking_number)
