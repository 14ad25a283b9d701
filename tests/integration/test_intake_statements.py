"""What a filing costs the database: its statements, counted by an asyncpg query logger on the
pool's only connection, and the NOTIFY in the outbox statement that wakes the relay."""

from __future__ import annotations

import pytest

from services.intake.settings import IntakeSettings
from tests.files import complaint, filing, multipart
from tests.in_process import served
from tests.support import wait_until


@pytest.fixture
async def intake_one_connection(env, documents_dir):
    """Intake on a pool of one connection, whose statements are logged in order from its start
    on (so not waiting until it is ready); the relay polls once an hour, so only a NOTIFY wakes it."""
    settings = IntakeSettings(database_pool_max=1, outbox_poll_interval=3600)
    async with served("intake", settings, wait_ready=False) as intake:
        intake.statements = []
        async with intake.pool.acquire() as conn:
            conn.add_query_logger(lambda logged: intake.statements.append(logged.query))
        yield intake


def filing_statements(statements: list[str]) -> list[str]:
    """The statements of the last filing's transaction: BEGIN … COMMIT around its submission."""
    insert = max(i for i, s in enumerate(statements) if "INSERT INTO submissions" in s)
    begin = max(i for i in range(insert) if statements[i].strip().upper().startswith("BEGIN"))
    commit = next(i for i in range(insert, len(statements)) if statements[i].strip().upper().startswith("COMMIT"))
    return statements[begin:commit + 1]


async def test_a_filing_with_documents_and_a_key_is_four_statements_and_no_reset(intake_one_connection):
    intake = intake_one_connection
    payload = filing("information_note")
    for key in ("warm-up-key-0001", "the-filing-key-0002"):  # the first also prepares the statements
        answer = await intake.client.post("/api/v1/submissions", headers={"Idempotency-Key": key}, **multipart(payload))
        assert answer.status_code == 202, answer.text
    statements = filing_statements(intake.statements)
    # BEGIN; the claim, the submission, its 3 documents and timeline entry; the outbox row and
    # its NOTIFY; COMMIT. (It was 8, and a reset query on each release.)
    assert len(statements) == 4, statements
    assert "pg_notify" in statements[2] and "INSERT INTO outbox" in statements[2]
    assert not any("pg_advisory_unlock_all" in s or "RESET ALL" in s for s in intake.statements)
    documents = await intake.pool.fetch(
        "SELECT type FROM documents WHERE tracking_number = $1 ORDER BY id", answer.json()["tracking_number"])
    assert [d["type"] for d in documents] == ["cin_copy", "property_proof", "situation_plan"]
    replay = await intake.client.post("/api/v1/submissions", headers={"Idempotency-Key": "the-filing-key-0002"},
                                      **multipart(payload))
    assert replay.json()["tracking_number"] == answer.json()["tracking_number"] and replay.json()["replayed"]
    assert await intake.pool.fetchval("SELECT count(*) FROM submissions") == 2


async def test_the_outbox_notify_wakes_the_relay(intake_one_connection):
    intake = intake_one_connection
    await wait_until(lambda: any("FOR UPDATE SKIP LOCKED" in s for s in intake.statements),
                     message="the relay's first drain at start")
    answer = await intake.client.post("/api/v1/submissions", json=complaint())
    assert answer.status_code == 202, answer.text
    # Polling is an hour away: only the NOTIFY delivered on commit can have woken the relay.
    await wait_until(lambda: _published(intake.pool), timeout=10, message="the filing's event published")


async def _published(pool) -> bool:
    return await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL") == 1
