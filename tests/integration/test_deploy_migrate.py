"""deploy/migrate.py, the Kubernetes migration Job's command, on a fresh database: every
service's schema is migrated without starting a service, and a second run applies nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import asyncpg
import pytest

from deploy.migrate import service_migrations
from shared.migrations import SHARED_MIGRATIONS
from tests.support import PG_ADMIN_DSN, ROOT

pytestmark = pytest.mark.slow  # starts processes or servers of its own

SHARED_FILES = len(list(SHARED_MIGRATIONS.glob("[0-9]*.sql")))


def run_migrate(database: str, **env: str) -> subprocess.CompletedProcess:
    dsn = PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{database}"
    # No broker and no JWT secret in the environment: the Job needs the database alone.
    environment = {"PATH": os.environ["PATH"], "LAMADI_DATABASE_URL": dsn, "LAMADI_LOG_JSON": "true",
                   "LAMADI_ENV": "production", **env}
    return subprocess.run([sys.executable, "-m", "deploy.migrate"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def done_line(result: subprocess.CompletedProcess) -> dict:
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return next(line for line in lines if line["event"] == "migrations_done")


def test_finds_every_service_with_migrations():
    assert {"intake", "review", "notifier", "reporting"} <= set(service_migrations())


@pytest.mark.empty_database
async def test_migrates_every_schema_once(database):
    first = run_migrate(database)
    assert first.returncode == 0, first.stdout + first.stderr
    applied = done_line(first)["applied"]
    for schema, directory in service_migrations().items():
        own_files = len(list(directory.glob("[0-9]*.sql")))
        assert applied[schema] == own_files + SHARED_FILES  # + the shared ones (outbox, inbox, leases)

    conn = await asyncpg.connect(PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{database}")
    try:
        for schema in service_migrations():
            rows = await conn.fetchval(f'SELECT count(*) FROM "{schema}".schema_migrations')
            assert rows == applied[schema]
    finally:
        await conn.close()

    again = run_migrate(database)
    assert again.returncode == 0
    assert set(done_line(again)["applied"].values()) == {0}


def test_an_unreachable_database_fails_without_printing_the_url():
    result = run_migrate("nowhere", LAMADI_DATABASE_URL="postgresql://lamadi:s3cret-pw@127.0.0.1:1/lamadi")
    assert result.returncode == 1
    assert "migrations_failed" in result.stdout
    assert "s3cret-pw" not in result.stdout + result.stderr
