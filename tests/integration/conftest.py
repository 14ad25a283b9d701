"""Fixtures shared by the intake integration tests."""

import pytest

from services.intake.bootstrap import build_app
from services.intake.settings import IntakeSettings
from tests.support import running_app


@pytest.fixture
async def intake(env, tmp_path, monkeypatch):
    """Intake in this process on the test database and broker; documents under tmp_path."""
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path / "documents"))
    app = build_app(IntakeSettings())
    async with running_app(app) as client:
        client.pool = app.state.runtime.pool
        client.blobs = tmp_path / "documents"
        yield client


async def count(pool, table: str) -> int:
    return await pool.fetchval(f"SELECT count(*) FROM {table}")
