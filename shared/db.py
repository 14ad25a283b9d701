"""asyncpg pool per service, with the search path on that service's own schema.

Behind a transaction-mode pooler (PgBouncer, ``pooler="transaction"``) each transaction may run
on another server connection: prepared statements and session settings would not follow it.
There the statement cache is off and the search path comes from the service's database role
(``ALTER ROLE … SET search_path``), which every server connection of the role's pool has."""

from __future__ import annotations

import json

import asyncpg


class SearchPathError(RuntimeError):
    """Behind a transaction pooler, the role's search path does not name the service's schema."""


async def _init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _no_session_state(conn: asyncpg.Connection) -> None:
    """A released connection needs no reset beyond what asyncpg always does (roll back an open
    transaction, drop listener callbacks). Its default adds a round trip per release,
    ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``, for session state
    that pool connections never hold: the code already runs behind a transaction pooler,
    where a session's state would not follow it. Advisory locks are transaction-scoped
    (``pg_advisory_xact_lock``); LISTEN, the migrations' session lock and their ``SET
    search_path`` use connections of their own (``connect``, shared/migrations.py); no
    statement SETs a session variable or declares a held cursor
    (tests/unit/test_session_state.py keeps it so)."""


def _options(schema: str, pooler: str) -> dict:
    settings = {"application_name": f"lamadi-{schema}"}
    if pooler == "transaction":
        # PgBouncer refuses unknown startup parameters such as search_path.
        return {"statement_cache_size": 0, "server_settings": settings}
    return {"server_settings": {**settings, "search_path": schema}}


async def create_pool(dsn: str, schema: str, *, max_size: int = 10, pooler: str = "none") -> asyncpg.Pool:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=max_size, init=_init_connection,
                                     reset=_no_session_state, **_options(schema, pooler))
    if pooler == "transaction":
        try:
            await _check_search_path(pool, schema)
        except BaseException:
            await pool.close()
            raise
    return pool


async def _check_search_path(pool: asyncpg.Pool, schema: str) -> None:
    current, role = await pool.fetchrow("SELECT current_schema(), current_user")
    if current != schema:
        raise SearchPathError(
            f"behind a transaction pooler the search path comes from the database role: run "
            f'ALTER ROLE "{role}" SET search_path = "{schema}" (now it finds schema {current!r})'
        )


def literals_are_safe(conn: asyncpg.Connection) -> bool:
    """Whether ``literal`` quotes safely on this connection: doubling quotes is all it takes
    when backslashes are ordinary characters (standard_conforming_strings, on by default since
    PostgreSQL 9.1 and reported by the server, through PgBouncer too)."""
    return getattr(conn.get_settings(), "standard_conforming_strings", None) == "on"


def literal(text: str) -> str:
    """A string as an SQL literal, for the simple query protocol, which takes no parameters but
    several statements in one round trip. Only where ``literals_are_safe``."""
    if "\x00" in text:
        raise ValueError("PostgreSQL text cannot hold a NUL character")
    return "'" + text.replace("'", "''") + "'"


async def connect(dsn: str, schema: str) -> asyncpg.Connection:
    """One connection with a session of its own (LISTEN): give it a direct URL, not a pooler's."""
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    await _init_connection(conn)
    return conn
