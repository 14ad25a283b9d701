"""The portal's own SQL (schema ``portal``): the staff directory, its sessions and audit trail,
and the standard replies. Nothing else's."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.portal.domain.staff import Account

_ACCOUNT = "email, full_name, roles, password_hash, disabled, failed_attempts, locked_until, created_at, updated_at"


def _account(row: asyncpg.Record | None) -> Account | None:
    return Account(**{**dict(row), "roles": list(row["roles"])}) if row else None


async def get_account(conn: asyncpg.Connection, email: str, *, for_update: bool = False) -> Account | None:
    lock = " FOR UPDATE" if for_update else ""
    return _account(await conn.fetchrow(f"SELECT {_ACCOUNT} FROM staff_members WHERE email = $1{lock}", email))


async def insert_account(conn: asyncpg.Connection, account: Account) -> bool:
    """False if the email is taken (nothing written then)."""
    return bool(await conn.fetchval(
        "INSERT INTO staff_members (email, full_name, roles, password_hash) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (email) DO NOTHING RETURNING true",
        account.email, account.full_name, account.roles, account.password_hash))


async def save_account(conn: asyncpg.Connection, account: Account) -> None:
    await conn.execute(
        "UPDATE staff_members SET full_name = $2, roles = $3, password_hash = $4, disabled = $5, "
        "failed_attempts = $6, locked_until = $7, updated_at = now() WHERE email = $1",
        account.email, account.full_name, account.roles, account.password_hash, account.disabled,
        account.failed_attempts, account.locked_until)


async def list_accounts(conn: asyncpg.Connection) -> list[Account]:
    return [_account(row) for row in await conn.fetch(f"SELECT {_ACCOUNT} FROM staff_members ORDER BY full_name, email")]


async def insert_session(conn: asyncpg.Connection, id_hash: bytes, email: str, expires_at: datetime) -> None:
    await conn.execute("INSERT INTO staff_sessions (id_hash, email, expires_at) VALUES ($1, $2, $3)",
                       id_hash, email, expires_at)


async def session_account(conn: asyncpg.Connection, id_hash: bytes, now: datetime, idle_since: datetime
                          ) -> tuple[Account, datetime] | None:
    """The account of an open session (not ended, expired or idle too long, account enabled)
    and when the session was last seen."""
    row = await conn.fetchrow(
        f"SELECT {', '.join('m.' + c.strip() for c in _ACCOUNT.split(','))}, s.last_seen_at FROM staff_sessions s "
        "JOIN staff_members m ON m.email = s.email WHERE s.id_hash = $1 AND s.ended_at IS NULL "
        "AND s.expires_at > $2 AND s.last_seen_at > $3 AND NOT m.disabled",
        id_hash, now, idle_since)
    if row is None:
        return None
    values = dict(row)
    last_seen = values.pop("last_seen_at")
    return Account(**{**values, "roles": list(values["roles"])}), last_seen


async def touch_session(conn: asyncpg.Connection, id_hash: bytes, now: datetime) -> None:
    await conn.execute("UPDATE staff_sessions SET last_seen_at = $2 WHERE id_hash = $1", id_hash, now)


async def end_session(conn: asyncpg.Connection, id_hash: bytes, now: datetime) -> str | None:
    """Ends one session; the email it was for, or None if it was not open."""
    return await conn.fetchval(
        "UPDATE staff_sessions SET ended_at = $2 WHERE id_hash = $1 AND ended_at IS NULL RETURNING email",
        id_hash, now)


async def end_sessions_of(conn: asyncpg.Connection, email: str, now: datetime) -> int:
    status = await conn.execute("UPDATE staff_sessions SET ended_at = $2 WHERE email = $1 AND ended_at IS NULL",
                                email, now)
    return int(status.split()[-1])


async def audit(conn: asyncpg.Connection, *, actor: str, action: str, subject: str | None = None,
                client: str | None = None, details: dict[str, Any] | None = None) -> None:
    await conn.execute(
        "INSERT INTO staff_audit (actor, action, subject, client, details) VALUES ($1, $2, $3, $4, $5)",
        actor, action, subject, client, details or {})


async def audit_trail(conn: asyncpg.Connection, *, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    rows = await conn.fetch("SELECT at, actor, action, subject, client, details FROM staff_audit "
                            "ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2", limit, offset)
    return [dict(row) for row in rows]


_REPLY = "id, kind, title, body, updated_by, updated_at"


async def list_replies(conn: asyncpg.Connection, kinds: list[str] | None = None) -> list[dict[str, Any]]:
    rows = await conn.fetch(f"SELECT {_REPLY} FROM standard_replies WHERE $1::text[] IS NULL OR kind = ANY($1) "
                            "ORDER BY kind, title", kinds)
    return [dict(row) for row in rows]


async def get_reply(conn: asyncpg.Connection, reply_id: UUID) -> dict[str, Any] | None:
    row = await conn.fetchrow(f"SELECT {_REPLY} FROM standard_replies WHERE id = $1", reply_id)
    return dict(row) if row else None


async def upsert_reply(conn: asyncpg.Connection, reply_id: UUID, kind: str, title: str, body: str, by: str) -> bool:
    """Insert or update; False if another reply of the kind already has this title."""
    try:
        async with conn.transaction():  # a savepoint: the unit of work goes on after a refusal
            await conn.execute(
                "INSERT INTO standard_replies (id, kind, title, body, updated_by) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, "
                "body = EXCLUDED.body, updated_by = EXCLUDED.updated_by, updated_at = now()",
                reply_id, kind, title, body, by)
    except asyncpg.UniqueViolationError:
        return False
    return True


async def delete_reply(conn: asyncpg.Connection, reply_id: UUID) -> dict[str, Any] | None:
    row = await conn.fetchrow(f"DELETE FROM standard_replies WHERE id = $1 RETURNING {_REPLY}", reply_id)
    return dict(row) if row else None
