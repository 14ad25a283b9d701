"""The daily report reaches the Directorate: reporting builds and publishes it, the notifier
emails each configured address through the real SMTP server with the PDF, XLSX and CSV, the
sha256 in the body match the attached bytes, and a resend sends the same bytes. Intake sees
the report's notification.sent and takes it as being about no filing."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

from services.intake.settings import IntakeSettings
from services.notifier.settings import NotifierSettings
from services.reporting.scheduler import close_days
from services.reporting.settings import ReportingSettings
from tests.builders import MovableClock, by_youssef, decided, local, received, staff_headers
from tests.in_process import served
from tests.support import wait_until

DAY = date(2025, 6, 17)
DIRECTORATE = ("urbanisme@mhpv.gov.ma", "dgu.rapports@mhpv.gov.ma")


@pytest.fixture
def shared_files(env, monkeypatch, tmp_path):
    monkeypatch.setenv("LAMADI_REPORT_CHECK_INTERVAL", "3600")
    monkeypatch.setenv("LAMADI_REPORT_FILES_DIR", str(tmp_path / "report-files"))
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("LAMADI_DIRECTORATE_EMAILS", ",".join(DIRECTORATE))
    monkeypatch.setenv("LAMADI_DIRECTORATE_LANGUAGE", "ar")


def report_mails(mailcatcher) -> list:
    return [m for m in mailcatcher.messages() if m["X-Lamadi-Template"] == "report_daily"]


async def test_the_report_is_emailed_with_its_three_files_and_their_sha256(shared_files, broker, mailcatcher):
    clock = MovableClock(local(DAY, 12))
    async with served("intake", IntakeSettings()) as intake, served("notifier", NotifierSettings()) as notifier, \
            served("reporting", ReportingSettings(), clock=clock) as service:
        # A supervisor: ops see delivery states but not addresses (shared/policy.toml).
        ops = notifier.auth("supervisor", sub="supervisor-1")
        await wait_until(lambda: len(report_mails(mailcatcher)) == 2, timeout=30,
                         message="the start-up report of the day before")
        for event in (received("AU-2025-00040-AAAAA", "complaint", at=local(DAY - timedelta(days=2), 9),
                               **by_youssef()),
                      decided("AU-2025-00040-AAAAA", "complaint", at=local(DAY, 9))):
            await broker.publish(event)
        await wait_until(lambda: _entries_at_least(service, 3), message="entries")
        clock.now = local(DAY + timedelta(days=1), 0, 2)
        assert await close_days(service.deps, clock()) == [DAY]
        await wait_until(lambda: len(report_mails(mailcatcher)) == 4, timeout=30, message="the day's report emailed")

        archived = (await service.client.get("/api/v1/reports/daily",
                                             headers=staff_headers("ops"))).json()["reports"][0]
        assert archived["day"] == str(DAY)
        hashes = {f["filename"]: f["sha256"] for f in archived["files"] if f["format"] != "json"}
        mails = [m for m in report_mails(mailcatcher) if "17/06/2025" in str(m["Subject"])]
        assert sorted(m["To"].addresses[0].addr_spec for m in mails) == sorted(DIRECTORATE)
        for mail in mails:
            attached = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
            assert set(attached) == set(hashes)
            assert {name.rsplit(".", 1)[1] for name in attached} == {"pdf", "xlsx", "csv"}
            body = mail.get_body(("plain",)).get_content()
            for name, content in attached.items():
                digest = hashlib.sha256(content if isinstance(content, bytes) else content.encode()).hexdigest()
                assert digest == hashes[name] and digest in body
            assert mail["Content-Language"] == "ar" and "التقرير اليومي" in str(mail["Subject"])

        listed = (await notifier.client.get("/api/v1/deliveries", params={"template": "report_daily"}, headers=ops)).json()
        day_deliveries = [d for d in listed["items"] if d["tracking_number"] == f"daily-report-{DAY}"]
        assert len(day_deliveries) == 2 and {d["status"] for d in day_deliveries} == {"sent"}
        first = next(m for m in mails if m["To"].addresses[0].addr_spec == day_deliveries[0]["recipient"])
        resent = await notifier.client.post(f"/api/v1/deliveries/{day_deliveries[0]['id']}/resend", headers=ops)
        assert resent.status_code == 200, resent.text
        await wait_until(lambda: len(report_mails(mailcatcher)) == 5, message="resent")
        again = [m for m in report_mails(mailcatcher) if m["Message-ID"] == first["Message-ID"]]
        assert len(again) == 2
        assert [p.get_content() for p in again[0].iter_attachments()] == \
            [p.get_content() for p in again[1].iter_attachments()]

        # Intake consumed the report's notification.sent (about no filing) instead of retrying it.
        await wait_until(lambda: intake.pool.fetchval(
            "SELECT count(*) >= 4 FROM inbox WHERE event_type = 'notification.sent.v1'"), message="intake inbox")


async def _entries_at_least(reporting, count: int) -> bool:
    return await reporting.entries_count() >= count
