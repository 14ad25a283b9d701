"""`lamadi report build|send` against reporting run as deployed (its own process, the real
clock): a sent day is rebuilt only with --force, and the audit trail says who did what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from lamadi_cli.main import main
from services.reporting.domain.agency_days import AgencyDays
from shared.calendar import AGENCY_TZ
from tests.builders import staff_headers
from tests.support import ServiceProcess, run_cli, wait_until

pytestmark = pytest.mark.slow  # starts processes or servers of its own


@pytest.fixture
async def reporting(env, tmp_path):
    service = ServiceProcess("reporting", {**env, "LAMADI_REPORT_FILES_DIR": str(tmp_path / "files")}, tmp_path)
    try:
        await service.wait_ready()
        yield service
    finally:
        service.stop()


async def audit(service: ServiceProcess, day: str) -> list[dict]:
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{service.url}/api/v1/reports/daily/{day}/audit", headers=staff_headers("supervisor"))
    return answer.json()["audit"]


async def test_build_refuses_a_sent_day_without_force_and_records_the_forced_rebuild(reporting):
    yesterday = AgencyDays(AGENCY_TZ).last_closed(datetime.now(UTC)).isoformat()
    # At start-up the service closed yesterday: built and sent by the scheduler.
    await wait_until(lambda: _sent(reporting, yesterday), timeout=30, message="yesterday closed at start-up")

    code, _, err = await run_cli("report", "build", "--date", yesterday, "--url", reporting.url, "--by", "k.amrani")
    assert code == 1 and "409" in err and "force" in err

    code, out, err = await run_cli("report", "build", "--date", yesterday, "--force", "--url", reporting.url,
                               "--by", "k.amrani")
    assert code == 0, err
    assert f"{yesterday}: rebuilt (revision 2" in out and {"pdf", "xlsx", "csv", "json"} <= set(out.split())

    code, out, err = await run_cli("report", "send", "--date", yesterday, "--url", reporting.url, "--by", "k.amrani")
    assert code == 0 and "sent to the Urban Planning Directorate" in out, err

    trail = [(a["action"], a["actor"], a["forced"], a["revision"]) for a in await audit(reporting, yesterday)]
    assert trail == [("built", "scheduler", False, 1), ("sent", "scheduler", False, 1),
                     ("rebuilt", "k.amrani", True, 2), ("sent", "k.amrani", False, 2)]


async def test_build_refuses_a_day_not_over_and_bad_dates(reporting):
    today = AgencyDays(AGENCY_TZ).day_of(datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    code, _, err = await run_cli("report", "build", "--date", today, "--url", reporting.url)
    assert code == 1 and "not over" in err
    with pytest.raises(SystemExit) as exit_:
        main(["report", "send", "--date", "14/03/2026"])
    assert exit_.value.code == 2
    code, _, err = await run_cli("report", "send", "--date", "2001-01-01", "--url", reporting.url)
    assert code == 1 and "404" in err


async def _sent(service: ServiceProcess, day: str) -> bool:
    return [a["action"] for a in await audit(service, day)] == ["built", "sent"]
