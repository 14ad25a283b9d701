"""Migration runner: numbered SQL files, applied once each, every service in its own schema.

The shared messaging tables (outbox, inbox) come first, then the service's own files."""

from __future__ import annotations

import zlib
from pathlib import Path

import asyncpg
import structlog

SHARED_MIGRATIONS = Path(__file__).parent / "migrations"
log = structlog.get_logger()


def _files(directory: Path, prefix: str) -> list[tuple[str, Path]]:
    return [(f"{prefix}:{path.name}", path) for path in sorted(directory.glob("[0-9]*.sql"))]


async def migrate(dsn: str, schema: str, directory: Path) -> list[str]:
    """Apply what is not applied yet; returns the names applied now. Safe to run concurrently."""
    conn = await asyncpg.connect(dsn)
    try:
        # Two processes starting together must not apply the same file twice.
        await conn.execute("SELECT pg_advisory_lock($1)", zlib.crc32(schema.encode()))
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        await conn.execute(f'SET search_path TO "{schema}"')
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row["name"] for row in await conn.fetch("SELECT name FROM schema_migrations")}
        applied = []
        for name, path in _files(SHARED_MIGRATIONS, "shared") + _files(directory, schema):
            if name in done:
                continue
            async with conn.transaction():
                await conn.execute(path.read_text())
                await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
            applied.append(name)
            log.info("migration_applied", schema=schema, migration=name)
        return applied
    finally:
        await conn.close()
