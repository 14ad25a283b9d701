"""Paging past PostgreSQL's 64-bit OFFSET is bad input: a 422 naming the parameter, never the
500 the database's overflow gave (reporting's archive of daily reports, the operators' trail,
the notifier's deliveries)."""

from __future__ import annotations

import pytest

from services.notifier.bootstrap import build_app as build_notifier
from services.notifier.settings import NotifierSettings
from services.reporting.bootstrap import build_app as build_reporting
from services.reporting.settings import ReportingSettings
from shared.auth import issue_token
from shared.settings import ServiceSettings
from tests.support import running_app, wait_until

TOO_FAR = "51797038407458775040"  # > 2**63 - 1


def ops() -> dict[str, str]:
    secret = ServiceSettings().jwt_secret.get_secret_value()
    return {"Authorization": f"Bearer {issue_token(secret, sub='ops-1', roles=['ops'])}"}


@pytest.fixture
async def reporting(env, monkeypatch, tmp_path):
    monkeypatch.setenv("LAMADI_REPORT_FILES_DIR", str(tmp_path / "report-files"))
    monkeypatch.setenv("LAMADI_REPORT_CHECK_INTERVAL", "3600")
    async with running_app(build_reporting(ReportingSettings())) as client:
        await wait_until(lambda: _ready(client), message="reporting ready")
        yield client


@pytest.fixture
async def notifier(env):
    async with running_app(build_notifier(NotifierSettings())) as client:
        await wait_until(lambda: _ready(client), message="notifier ready")
        yield client


async def _ready(client) -> bool:
    return (await client.get("/readyz")).status_code == 200


def refused_offset(answer) -> bool:
    return answer.status_code == 422 and [e["field"] for e in answer.json()["errors"]] == ["query.offset"]


async def test_reporting_refuses_an_offset_past_64_bits_on_every_list(reporting):
    daily = await reporting.get(f"/api/v1/reports/daily?limit=33&format=xlsx&offset={TOO_FAR}", headers=ops())
    assert refused_offset(daily), daily.text
    actions = await reporting.get("/api/v1/ops/actions", params={"offset": TOO_FAR}, headers=ops())
    assert refused_offset(actions), actions.text
    largest = await reporting.get("/api/v1/reports/daily", params={"offset": 2**63 - 1}, headers=ops())
    assert largest.status_code == 200 and largest.json()["reports"] == []


async def test_the_notifier_refuses_an_offset_past_64_bits(notifier):
    answer = await notifier.get("/api/v1/deliveries", params={"offset": TOO_FAR}, headers=ops())
    assert refused_offset(answer), answer.text
