"""Where the daily report goes: `make run` gives the notifier a Directorate address that lands in
the mail catcher, and `lamadi report send` says to whom the notifier emails it (asking the
notifier, which owns LAMADI_DIRECTORATE_EMAILS), or refuses, sending nothing, when nobody would
get it. The notifier and reporting are served in this process on real sockets; the command runs
as people run it, in a process of its own."""

from __future__ import annotations

import asyncio
import sys
from contextlib import asynccontextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn

from deploy import run as make_run
from services.notifier.bootstrap import build_app as build_notifier
from services.notifier.settings import NotifierSettings
from services.reporting.bootstrap import build_app as build_reporting
from services.reporting.settings import ReportingSettings
from shared.auth import issue_token
from shared.settings import ServiceSettings
from tests.support import ROOT, free_port, wait_until

pytestmark = pytest.mark.slow  # runs the command line as a process of its own

DAY = date(2025, 6, 17)  # the day before the services' clock: reporting closes it at start-up
NOON = datetime(2025, 6, 18, 12, tzinfo=ZoneInfo("Africa/Casablanca"))


@asynccontextmanager
async def served(app):
    """The app behind uvicorn on 127.0.0.1 (lifespan included); its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    serving = asyncio.create_task(server.serve())
    try:
        await wait_until(lambda: server.started or serving.done(), timeout=30, message="serving")
        assert not serving.done(), serving
        url = f"http://127.0.0.1:{port}"
        await wait_until(lambda: _ready(url), timeout=30, message=f"{url} ready")
        yield url
    finally:
        server.should_exit = True
        await serving


async def _ready(url: str) -> bool:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"{url}/readyz")).status_code == 200


@pytest.fixture
def report_env(env, monkeypatch, tmp_path):
    monkeypatch.setenv("LAMADI_REPORT_FILES_DIR", str(tmp_path / "report-files"))
    monkeypatch.setenv("LAMADI_REPORT_CHECK_INTERVAL", "3600")
    monkeypatch.delenv("LAMADI_DIRECTORATE_EMAILS", raising=False)
    return monkeypatch


@asynccontextmanager
async def notifier_and_reporting():
    async with served(build_notifier(NotifierSettings())) as notifier, \
            served(build_reporting(ReportingSettings(), clock=lambda: NOON)) as reporting:
        yield notifier, reporting


async def send(reporting: str, notifier: str) -> tuple[int, str, str]:
    """`lamadi report send` in its own process (the services' logs stay out of its output)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "lamadi_cli.main", "report", "send", "--date", DAY.isoformat(), "--url", reporting,
        "--notifier-url", notifier, "--by", "k.amrani", cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode(), err.decode()


def report_mails_to(mailcatcher, address: str) -> list:
    return [m for m in mailcatcher.messages()
            if m["X-Lamadi-Template"] == "report_daily" and m["To"].addresses[0].addr_spec == address]


async def audit(reporting: str) -> list[tuple[str, str]]:
    secret = ServiceSettings().jwt_secret.get_secret_value()
    headers = {"Authorization": f"Bearer {issue_token(secret, sub='ops-1', roles=['ops'])}"}
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{reporting}/api/v1/reports/daily/{DAY}/audit", headers=headers)
    return [(a["action"], a["actor"]) for a in answer.json()["audit"]]


async def test_make_run_emails_the_report_to_a_directorate_address_the_mail_catcher_keeps_and_send_names_it(
        report_env, mailcatcher):
    notifier_env = make_run.service_environment("notifier")
    directorate = notifier_env["LAMADI_DIRECTORATE_EMAILS"]
    assert make_run.DIRECTORATE_EMAIL.endswith(".example")  # reserved (RFC 2606): no real mailbox gets it
    assert notifier_env["LAMADI_SMTP_PORT"] == str(make_run.SMTP_PORT)  # where make run's mail catcher listens
    report_env.setenv("LAMADI_DIRECTORATE_EMAILS", directorate)
    assert NotifierSettings().directorate_emails == [directorate]
    async with notifier_and_reporting() as (notifier, reporting):
        await wait_until(lambda: report_mails_to(mailcatcher, directorate), timeout=30,
                         message="the start-up report in the mail catcher")

        code, out, err = await send(reporting, notifier)
        assert code == 0, err
        assert f"{DAY}: sent to the Urban Planning Directorate" in out
        assert f"emailed by the notifier to {directorate}" in out
        await wait_until(lambda: len(report_mails_to(mailcatcher, directorate)) == 2, timeout=30,
                         message="the report sent again")
        assert await audit(reporting) == [("built", "scheduler"), ("sent", "scheduler"), ("sent", "k.amrani")]


async def test_send_says_no_recipient_is_configured_and_sends_nothing(report_env, mailcatcher):
    async with notifier_and_reporting() as (notifier, reporting):
        await wait_until(lambda: _closed(reporting), timeout=30, message="the day closed at start-up")

        code, out, err = await send(reporting, notifier)
        assert code == 1 and out == ""
        assert "no recipient is configured for the daily report" in err and "LAMADI_DIRECTORATE_EMAILS" in err
        assert "nothing was sent" in err
        assert await audit(reporting) == [("built", "scheduler"), ("sent", "scheduler")]
    assert mailcatcher.messages() == []


async def test_send_goes_ahead_and_says_so_when_the_notifier_cannot_be_asked(report_env):
    async with served(build_reporting(ReportingSettings(), clock=lambda: NOON)) as reporting:
        await wait_until(lambda: _closed(reporting), timeout=30, message="the day closed at start-up")
        nobody = f"http://127.0.0.1:{free_port()}"

        code, out, err = await send(reporting, nobody)
        assert code == 0, err
        assert f"{DAY}: sent to the Urban Planning Directorate" in out
        assert f"cannot reach the notifier service at {nobody}" in err and "LAMADI_DIRECTORATE_EMAILS" in err
        assert await audit(reporting) == [("built", "scheduler"), ("sent", "scheduler"), ("sent", "k.amrani")]


async def _closed(reporting: str) -> bool:
    return await audit(reporting) == [("built", "scheduler"), ("sent", "scheduler")]

