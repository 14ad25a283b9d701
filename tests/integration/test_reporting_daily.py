"""Closing the day against the real PostgreSQL and RabbitMQ, with a clock the test moves:
built once under races, missed days caught up after a restart, late events as corrections,
and files that say what the JSON says."""

from __future__ import annotations

import asyncio
import io
import json
import unicodedata
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.reporting.scheduler import close_days
from services.reporting.settings import ReportingSettings
from tests.builders import PERSONAL, MovableClock, by_youssef, decided, local, received, staff_headers
from tests.in_process import served
from tests.support import wait_until

DAY = date(2025, 6, 17)  # a Tuesday, no holiday near
NEXT = DAY + timedelta(days=1)


@pytest.fixture
def reporting_settings(reporting_settings) -> ReportingSettings:
    """The day closer looks at the clock when the service starts, then only when a test calls it."""
    return reporting_settings.model_copy(update={"report_check_interval": 3600})


async def feed_day(broker, pool, events) -> None:
    before = await filing_entries(pool)
    for event in events:
        await broker.publish(event)
    await wait_until(lambda: _count_is(pool, before + len(events)), message="entries recorded")


async def filing_entries(pool) -> int:
    """Entries of the events the test publishes (reporting also records its own report.daily_published)."""
    return await pool.fetchval("SELECT count(*) FROM report_entries WHERE type NOT LIKE 'report.%'")


async def _count_is(pool, expected: int) -> bool:
    return await filing_entries(pool) == expected


async def _no_build_running(pool) -> bool:
    """No transaction waits on or holds the build lock."""
    return not await build_locks(pool)


async def build_locks(pool) -> int:
    """Advisory locks held or awaited in this test's database (other databases are other tests')."""
    return await pool.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                               "(SELECT oid FROM pg_database WHERE datname = current_database())")


async def sent_days(pool) -> list[date]:
    """The days sent so far, once the day closer that ran at start-up is done."""
    return await wait_until(lambda: pool.fetchval("SELECT array_agg(day ORDER BY day) FROM daily_reports "
                                                  "WHERE sent_at IS NOT NULL"), message="start-up closing")


async def test_two_instances_and_two_ticks_build_and_send_a_day_once(reporting_settings, broker):
    clock = MovableClock(local(DAY, 12))
    async with served("reporting", reporting_settings, clock=clock) as first, \
            served("reporting", reporting_settings, clock=clock) as second:
        # Both started at noon on DAY: they raced for the day before, and built it once.
        assert await sent_days(first.pool) == [DAY - timedelta(days=1)]
        await wait_until(lambda: _no_build_running(second.pool), message="second start-up closing done")
        await feed_day(broker, first.pool, [
            received("AU-2025-00001-AAAAA", "complaint", at=local(DAY - timedelta(days=6), 9), **by_youssef()),
            received("AU-2025-00002-AAAAA", "complaint", at=local(DAY, 9), **by_youssef()),
            received("AU-2025-00003-AAAAA", "building_permit", at=local(DAY, 10),
                     **by_youssef(project_size="small")),
            decided("AU-2025-00001-AAAAA", "complaint", at=local(DAY, 15)),
        ])
        clock.now = local(NEXT, 0, 5)
        results = await asyncio.gather(close_days(first.deps, clock()), close_days(first.deps, clock()),
                                       close_days(second.deps, clock()), close_days(second.deps, clock()))
        assert sorted(day for days in results for day in days) == [DAY]
        events = [e for e in await first.published() if e["data"]["report_date"] == DAY.isoformat()]
        assert len(events) == 1
        audit = (await first.client.get(f"/api/v1/reports/daily/{DAY}/audit",
                                        headers=staff_headers("ops"))).json()["audit"]
        assert [(a["action"], a["actor"]) for a in audit] == [("built", "scheduler"), ("sent", "scheduler")]

        figures = (await first.client.get("/api/v1/reports/daily", params={"date": str(DAY)},
                                          headers=staff_headers("supervisor"))).json()
        kinds = {line["kind"]: line for line in figures["kinds"]}
        assert (kinds["complaint"]["received"], kinds["complaint"]["decided"], kinds["complaint"]["pending"]) == (1, 1, 1)
        assert kinds["complaint"]["decided_by_outcome"] == {"answered": 1}
        assert kinds["complaint"]["processing"]["decided"] == 1
        assert kinds["complaint"]["processing"]["median_days"] == 4.0  # Wednesday 11 to Tuesday 17: Thu, Fri, Mon, Tue
        assert kinds["complaint"]["processing"]["on_time_share"] == 1.0
        assert kinds["building_permit"]["pending"] == 1 and figures["totals"]["received"] == 2
        assert len(figures["trend"]) == 30 and figures["trend"][-1] == {"date": str(DAY), "received": 2, "decided": 1}
        assert events[0]["data"]["totals"]["received"] == 2

        listed = (await first.client.get("/api/v1/reports/daily", headers=staff_headers("ops"))).json()
        assert [r["day"] for r in listed["reports"]] == [str(DAY), str(DAY - timedelta(days=1))]
        hashes = {f["format"]: f["sha256"] for f in listed["reports"][0]["files"]}
        assert set(hashes) == {"pdf", "xlsx", "csv", "json"}
        assert {f["format"]: f["sha256"] for f in events[0]["data"]["files"]} == {
            k: v for k, v in hashes.items() if k != "json"}


async def test_a_missed_day_is_caught_up_oldest_first_after_a_restart(reporting_settings, broker):
    clock = MovableClock(local(NEXT, 0, 10))
    async with served("reporting", reporting_settings, clock=clock) as service:
        assert await sent_days(service.pool) == [DAY]
        await feed_day(broker, service.pool, [received("AU-2025-00010-AAAAA", "pre_study", at=local(NEXT, 11), **by_youssef())])
    clock.now = local(NEXT + timedelta(days=3), 8)  # down for three closings
    async with served("reporting", reporting_settings, clock=clock) as restarted:
        await wait_until(lambda: restarted.pool.fetchval("SELECT count(*) = 4 FROM daily_reports WHERE sent_at "
                                                         "IS NOT NULL"), message="missed days closed")
        built = await restarted.pool.fetch("SELECT day FROM daily_reports ORDER BY built_at, day")
        assert [row["day"] for row in built] == [DAY + timedelta(days=n) for n in range(4)]
        order = await restarted.pool.fetch("SELECT day FROM daily_report_audit WHERE action = 'built' ORDER BY id")
        assert [row["day"] for row in order] == [DAY + timedelta(days=n) for n in range(4)]
        days = [e["data"]["report_date"] for e in await restarted.published()]
        assert days == [str(DAY + timedelta(days=n)) for n in range(4)]
        caught = (await restarted.client.get("/api/v1/reports/daily", params={"date": str(NEXT)},
                                             headers=staff_headers("ops"))).json()
        assert caught["totals"]["received"] == 1


async def test_a_build_stopped_midway_leaves_nothing_and_the_next_look_builds_it_once(reporting_settings, broker):
    clock = MovableClock(local(DAY, 18))
    async with served("reporting", reporting_settings, clock=clock) as service:
        await sent_days(service.pool)
        await feed_day(broker, service.pool, [received("AU-2025-00025-AAAAA", "complaint", at=local(DAY, 9), **by_youssef())])
        clock.now = local(NEXT, 0, 1)
        interrupted = asyncio.create_task(close_days(service.deps, clock()))
        await wait_until(lambda: build_locks(service.pool), interval=0.01, message="the build under way")
        interrupted.cancel()  # as a stopped process: its transaction is rolled back
        with pytest.raises(asyncio.CancelledError):
            await interrupted
        assert await service.pool.fetchval("SELECT count(*) FROM daily_reports WHERE day = $1", DAY) == 0
        assert await service.pool.fetchval("SELECT count(*) FROM report_entries WHERE reported_in = $1", DAY) == 0
        assert await close_days(service.deps, clock()) == [DAY]
        audit = await service.pool.fetch("SELECT action FROM daily_report_audit WHERE day = $1 ORDER BY id", DAY)
        assert [row["action"] for row in audit] == ["built", "sent"]
        assert len([e for e in await service.published() if e["data"]["report_date"] == str(DAY)]) == 1


async def test_a_late_event_is_a_correction_of_the_next_report_and_the_sent_day_is_unchanged(reporting_settings,
                                                                                              broker):
    clock = MovableClock(local(DAY, 18))
    async with served("reporting", reporting_settings, clock=clock) as service:
        await sent_days(service.pool)
        await feed_day(broker, service.pool, [received("AU-2025-00020-AAAAA", "complaint", at=local(DAY, 9), **by_youssef())])
        clock.now = local(NEXT, 0, 1)
        assert await close_days(service.deps, clock()) == [DAY]
        sent = await service.client.get("/api/v1/reports/daily", params={"date": str(DAY), "format": "pdf"},
                                        headers=staff_headers("ops"))
        sent_json = (await service.client.get("/api/v1/reports/daily", params={"date": str(DAY)},
                                              headers=staff_headers("ops"))).content

        # Two events of DAY arrive after its report was sent, one of NEXT on time.
        await feed_day(broker, service.pool, [
            received("AU-2025-00021-AAAAA", "complaint", at=local(DAY, 16), **by_youssef()),
            decided("AU-2025-00020-AAAAA", "complaint", at=local(DAY, 17)),
            received("AU-2025-00022-AAAAA", "pre_study", at=local(NEXT, 10), **by_youssef()),
        ])
        clock.now = local(NEXT + timedelta(days=1), 0, 1)
        assert await close_days(service.deps, clock()) == [NEXT]

        again = await service.client.get("/api/v1/reports/daily", params={"date": str(DAY), "format": "pdf"},
                                         headers=staff_headers("ops"))
        assert again.content == sent.content and again.headers["x-content-sha256"] == sent.headers["x-content-sha256"]
        assert (await service.client.get("/api/v1/reports/daily", params={"date": str(DAY)},
                                         headers=staff_headers("ops"))).content == sent_json
        next_day = (await service.client.get("/api/v1/reports/daily", params={"date": str(NEXT)},
                                             headers=staff_headers("ops"))).json()
        assert next_day["corrections"] == [{"date": str(DAY), "kind": "complaint", "received": 1, "decided": 1,
                                            "withdrawn": 0, "emails_sent": 0, "emails_failed": 0,
                                            "deadlines_approaching": 0, "deadlines_breached": 0,
                                            "opinions_published": 0}]
        assert next_day["totals"]["received"] == 1  # its own day only
        # Pending at the end of NEXT knows of the late decision and reception.
        complaint = next(line for line in next_day["kinds"] if line["kind"] == "complaint")
        assert complaint["pending"] == 1
        assert (await service.published())[-1]["data"]["corrections"] == 1


async def test_the_files_say_what_the_json_says(reporting_settings, broker):
    clock = MovableClock(local(DAY, 18))
    async with served("reporting", reporting_settings, clock=clock) as service:
        await sent_days(service.pool)
        await feed_day(broker, service.pool, [
            received("AU-2025-00030-AAAAA", "complaint", at=local(DAY - timedelta(days=7), 9), **by_youssef()),
            received("AU-2025-00031-AAAAA", "information_note", at=local(DAY, 9), **by_youssef()),
            received("AU-2025-00032-AAAAA", "information_note", at=local(DAY, 10), **by_youssef()),
            decided("AU-2025-00030-AAAAA", "complaint", at=local(DAY, 11)),
        ])
        clock.now = local(NEXT, 0, 1)
        await close_days(service.deps, clock())
        figures = (await service.client.get("/api/v1/reports/daily", params={"date": str(DAY)},
                                            headers=staff_headers("ops"))).json()
        xlsx = await service.client.get("/api/v1/reports/daily", params={"date": str(DAY), "format": "xlsx"},
                                        headers=staff_headers("ops"))
        pdf = await service.client.get("/api/v1/reports/daily", params={"date": str(DAY)},
                                       headers={**staff_headers("ops"), "Accept": "application/pdf"})
        csv = await service.client.get("/api/v1/reports/daily", params={"date": str(DAY), "format": "csv"},
                                       headers=staff_headers("ops"))

    assert pdf.headers["content-type"] == "application/pdf"
    workbook = load_workbook(io.BytesIO(xlsx.content))
    sheets = workbook.worksheets
    kinds_sheet, processing_sheet, trend_sheet = sheets[0], sheets[1], sheets[4]
    assert kinds_sheet.sheet_view.rightToLeft and kinds_sheet.freeze_panes == "A2"
    rows = [row for row in kinds_sheet.iter_rows(min_row=2, values_only=True)]
    lines = [*figures["kinds"], figures["totals"]]
    assert [row[1:] for row in rows] == [
        (line["received"], line["decided"], line["withdrawn"], line["pending"], line["overdue"],
         line["opinions_published"]) for line in lines]
    processing = [row[1:] for row in processing_sheet.iter_rows(min_row=2, values_only=True)]
    assert processing == [(line["processing"]["decided"], line["processing"]["on_time_share"],
                           line["processing"]["median_days"], line["processing"]["p90_days"]) for line in lines]
    trend = [row for row in trend_sheet.iter_rows(min_row=2, values_only=True)]
    assert trend == [(p["date"], p["received"], p["decided"]) for p in figures["trend"]]
    assert trend_sheet._charts and kinds_sheet._charts  # native charts

    reader = PdfReader(io.BytesIO(pdf.content))
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))
    for label in ("مذكرة المعلومات التعميرية", "شكاية أو ملاحظة أو اقتراح", "التقرير اليومي للخدمات المقدمة"):
        assert label in text, label
    note_line = next(line for line in text.splitlines() if "مذكرة المعلومات التعميرية" in line)
    assert note_line.split()[:6] == ["0", "0", "2", "0", "0", "2"]  # read right to left: pending 2, received 2
    assert sum(len(page.images) for page in reader.pages) == 2  # the two charts

    for personal in (*PERSONAL, "AU-2025"):  # no person, and no filing named, in any file
        assert personal not in csv.text and personal not in json.dumps(figures, ensure_ascii=False)
        assert personal not in text
    assert csv.text.splitlines()[0].startswith("date,kind,received,decided,withdrawn,pending")
    assert any(line.startswith(f"{DAY},information_note,2,0,0,2") for line in csv.text.splitlines())
    assert json.loads(json.dumps(figures))["date"] == str(DAY)
