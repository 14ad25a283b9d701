"""The reporting service against the real PostgreSQL and RabbitMQ (and its management API)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from prometheus_client import REGISTRY

from services.reporting.settings import ReportingSettings
from shared.calendar import AGENCY_TZ
from shared.events import (
    CommitteeOpinionPublished,
    ReviewDeadlineApproaching,
    ReviewDeadlineBreached,
    ReviewDecided,
    SubmissionReceived,
)
from shared.lifecycle import Status
from shared.messaging.broker import envelope_message
from shared.messaging.topology import queues_of
from tests.builders import (
    YOUSSEF,
    YOUSSEF_IDS,
    decided,
    local,
    notification_sent,
    received,
    review_event,
    staff_headers,
    withdrawn,
)
from tests.in_process import served
from tests.support import free_port, wait_until

ENTRIES_QUEUE = "lamadi.reporting.entries"
# Entries of the events these tests publish (at start-up the service also closes yesterday).
FILINGS = "type NOT LIKE 'report.%'"
COUNTS = ("received", "decided", "withdrawn", "pending", "emails_sent", "emails_failed", "deadlines_approaching",
          "deadlines_breached", "opinions_published")
# Filings by someone whose personal data must never reach the report.
BY_YOUSSEF = {"applicant": YOUSSEF, "details": {"cin": YOUSSEF_IDS["cin"], "message": "Plainte concernant un chantier"}}


def duplicates_seen() -> float:
    return REGISTRY.get_sample_value(
        "lamadi_events_consumed_total",
        {"queue": ENTRIES_QUEUE, "type": SubmissionReceived.TYPE, "outcome": "duplicate"},
    ) or 0.0


async def test_daily_report_counts_each_event_once_on_its_agency_day(reporting, broker):
    app, client = reporting.app, reporting.client
    pool = app.state.runtime.pool
    day = date(2025, 6, 10)  # Casablanca is UTC+1 then
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    r3 = received("AU-3", "complaint", at=local(day, 11), **BY_YOUSSEF)
    events = [
        received("AU-1", "complaint", at=local(before, 10), **BY_YOUSSEF),
        received("AU-2", "complaint", at=local(day, 0, 30), **BY_YOUSSEF),  # 23:30 UTC the day before
        r3,
        r3,  # the same event delivered twice
        received("AU-4", "pre_study", at=local(day, 12), **BY_YOUSSEF),
        decided("AU-1", "complaint", at=local(day, 15), version=3),
        withdrawn("AU-2", "complaint", reason="je déménage", at=local(day, 16)),
        notification_sent("AU-3", "complaint", at=local(day, 11, 5)),
        notification_sent("AU-9", None, at=local(day, 11, 6)),
        received("AU-5", "complaint", at=local(after, 0, 10), **BY_YOUSSEF),
    ]
    duplicates_before = duplicates_seen()
    for event in events:
        await broker.publish(event)

    await wait_until(lambda: pool.fetchval(f"SELECT count(*) = 9 FROM report_entries WHERE {FILINGS}"),
                     message="9 entries")
    await wait_until(lambda: duplicates_seen() == duplicates_before + 1, message="duplicate consumed")
    assert await pool.fetchval(f"SELECT count(*) FROM report_entries WHERE {FILINGS}") == 9

    response = await client.get("/api/v1/reports/daily", params={"date": day.isoformat()},
                                headers=staff_headers("supervisor"))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["date"] == "2025-06-10" and report["timezone"] == "Africa/Casablanca"
    assert report["provisional"] is True  # never built: counted from the entries so far
    kinds = {line["kind"]: line for line in report["kinds"]}
    assert {k: v for k, v in kinds["complaint"].items() if k in COUNTS} == {
        "received": 2, "decided": 1, "withdrawn": 1, "pending": 1, "emails_sent": 1, "emails_failed": 0,
        "deadlines_approaching": 0, "deadlines_breached": 0, "opinions_published": 0}
    assert kinds["pre_study"]["received"] == 1 and kinds["pre_study"]["pending"] == 1
    assert kinds["other"]["emails_sent"] == 1
    assert {k: v for k, v in report["totals"].items() if k in COUNTS} == {
        "received": 3, "decided": 1, "withdrawn": 1, "pending": 2, "emails_sent": 2, "emails_failed": 0,
        "deadlines_approaching": 0, "deadlines_breached": 0, "opinions_published": 0}

    previous = (await client.get("/api/v1/reports/daily", params={"date": before.isoformat()},
                                 headers=staff_headers("ops"))).json()
    assert previous["totals"]["received"] == 1 and previous["totals"]["pending"] == 1

    # What is stored is free of personal data.
    rows = await pool.fetch("SELECT type, tracking_number, kind, status, details::text AS details FROM report_entries")
    stored = repr([dict(r) for r in rows])
    for personal in ("Youssef", "youssef@example.ma", "+212611111111", "BE998877", "chantier", "déménage"):
        assert personal not in stored
    decision = await pool.fetchrow("SELECT status, details FROM report_entries WHERE type = $1", ReviewDecided.TYPE)
    assert decision["status"] == "decided" and decision["details"] == {"outcome": "answered", "version": 3}


async def test_daily_report_counts_deadline_alerts_and_published_opinions(reporting, broker):
    app, client = reporting.app, reporting.client
    pool = app.state.runtime.pool
    day = date(2025, 6, 10)
    due = local(day, 23, 59)
    events = [
        received("AU-30", "building_permit", at=local(day - timedelta(days=3), 9), **BY_YOUSSEF),
        review_event(ReviewDeadlineApproaching, "AU-30", "building_permit", version=4, at=local(day, 8),
                     status=Status.IN_REVIEW, deadline="to_committee", due_at=due),
        review_event(ReviewDeadlineBreached, "AU-30", "building_permit", version=4, at=local(day, 23, 59),
                     status=Status.IN_REVIEW, deadline="to_committee", due_at=due),
        review_event(ReviewDeadlineBreached, "AU-31", "complaint", version=4, at=local(day, 10), status=Status.QUEUED,
                     deadline="decision", due_at=due),
        review_event(CommitteeOpinionPublished, "AU-30", "building_permit", version=4, at=local(day, 11),
                     status=Status.IN_COMMITTEE, opinion="adjourned", motive="Plans incomplets", session_date=day),
        review_event(CommitteeOpinionPublished, "AU-32", "subdivision_permit", version=4, at=local(day, 12),
                     status=Status.DECIDED, opinion="favourable", motive="Conforme", session_date=day),
        review_event(ReviewDeadlineApproaching, "AU-33", "pre_study", version=4, at=local(day + timedelta(days=1), 8),
                     status=Status.QUEUED, deadline="decision", due_at=due),  # the next day: not counted
    ]
    for event in events:
        await broker.publish(event)
    await wait_until(lambda: pool.fetchval(f"SELECT count(*) = 7 FROM report_entries WHERE {FILINGS}"),
                     message="7 entries")
    types = {r["type"] for r in await pool.fetch("SELECT type FROM report_entries")}
    assert {ReviewDeadlineApproaching.TYPE, ReviewDeadlineBreached.TYPE, CommitteeOpinionPublished.TYPE} <= types

    report = (await client.get("/api/v1/reports/daily", params={"date": day.isoformat()},
                               headers=staff_headers("supervisor"))).json()
    kinds = {line["kind"]: line for line in report["kinds"]}
    permit = kinds["building_permit"]
    assert (permit["deadlines_approaching"], permit["deadlines_breached"], permit["opinions_published"]) == (1, 1, 1)
    assert permit["pending"] == 1 and permit["decided"] == 0  # an adjournment decides nothing
    assert (kinds["complaint"]["deadlines_breached"], kinds["complaint"]["deadlines_approaching"]) == (1, 0)
    assert kinds["subdivision_permit"]["opinions_published"] == 1
    assert kinds["pre_study"]["deadlines_approaching"] == 0
    assert (report["totals"]["deadlines_approaching"], report["totals"]["deadlines_breached"],
            report["totals"]["opinions_published"]) == (1, 2, 2)

    csv_lines = (await client.get("/api/v1/reports/daily", params={"date": day.isoformat(), "format": "csv"},
                                  headers=staff_headers("ops"))).text.splitlines()
    assert ",deadlines_approaching,deadlines_breached,opinions_published,overdue," in csv_lines[0]
    assert csv_lines[-1].startswith("2025-06-10,total,0,0,0,1,0,0,1,2,2,")
    opinion = await pool.fetchrow("SELECT details::text AS details FROM report_entries WHERE type = $1 AND "
                                  "tracking_number = 'AU-30'", CommitteeOpinionPublished.TYPE)
    assert "adjourned" in opinion["details"] and "Plans incomplets" not in opinion["details"]


async def test_today_so_far_as_csv_and_no_pdf_before_the_day_is_built(reporting, broker):
    app, client = reporting.app, reporting.client
    now = datetime.now(UTC)
    await broker.publish(received("AU-10", "information_note", at=now, **BY_YOUSSEF))
    await broker.publish(notification_sent("AU-10", "information_note", at=now))
    await wait_until(lambda: app.state.runtime.pool.fetchval(f"SELECT count(*) = 2 FROM report_entries WHERE {FILINGS}"),
                     message="2 entries")

    today = now.astimezone(AGENCY_TZ).date().isoformat()
    by_format = await client.get("/api/v1/reports/daily", params={"date": today, "format": "csv"},
                                 headers=staff_headers("admin"))
    by_accept = await client.get("/api/v1/reports/daily", params={"date": today},
                                 headers={**staff_headers("ops"), "Accept": "text/csv"})
    for response in (by_format, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        lines = response.text.splitlines()
        assert lines[0].startswith("date,kind,received,decided,withdrawn,pending,emails_sent,emails_failed,"
                                   "deadlines_approaching,deadlines_breached,opinions_published,overdue")
        assert lines[1].startswith(f"{today},information_note,1,0,0,1,1,0,0,0,0,0,")
        assert lines[-1].startswith(f"{today},total,1,0,0,1,1,0,0,0,0,0,")
    as_json = await client.get("/api/v1/reports/daily", params={"date": today}, headers=staff_headers("ops"))
    assert as_json.json()["totals"]["received"] == 1
    pdf = await client.get("/api/v1/reports/daily", params={"date": today, "format": "pdf"}, headers=staff_headers("ops"))
    assert pdf.status_code == 404 and pdf.headers["content-type"].startswith("application/problem+json")


async def test_daily_report_refuses_missing_tokens_wrong_roles_and_bad_dates(reporting):
    client = reporting.client
    path = "/api/v1/reports/daily"
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers={"Authorization": "Bearer not-a-token"})).status_code == 401
    forbidden = await client.get(path, headers=staff_headers("reviewer"))
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"].startswith("application/problem+json")
    for bad in ("2025-13-01", "10/06/2025", "20250610", "yesterday"):
        answer = await client.get(path, params={"date": bad}, headers=staff_headers("supervisor"))
        assert answer.status_code == 422, bad
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["errors"][0]["field"] == "query.date"
    assert (await client.get(path, params={"format": "docx"}, headers=staff_headers("supervisor"))).status_code == 422
    assert (await client.get("/api/v1/ops/queues", headers=staff_headers("supervisor"))).status_code == 403
    assert (await client.get("/api/v1/ops/queues")).status_code == 401


async def test_ops_queues_shows_parked_and_retrying_messages_and_consumers(reporting, broker):
    client = reporting.client
    spec = queues_of("review")[0]
    stray = received("AU-20", "complaint", at=datetime.now(UTC), **BY_YOUSSEF)
    await broker.send_to_queue(spec.parked, envelope_message(stray, headers={"x-lamadi-error": "boom"}))
    waiting = envelope_message(stray)
    waiting.expiration = 120  # stays in the retry queue for the length of the test
    await broker.send_to_queue(spec.retry(1), waiting)

    async def queues():
        answer = await client.get("/api/v1/ops/queues", headers=staff_headers("ops"))
        assert answer.status_code == 200, answer.text
        states = {state["name"]: state for state in answer.json()["queues"]}
        review, entries = states[spec.name], states[ENTRIES_QUEUE]
        return states if review["parked"] == 1 and review["retrying"] == 1 and entries["consumers"] >= 1 else None

    states = await wait_until(queues, timeout=30, interval=1, message="parked message visible")
    assert states[spec.name]["messages_ready"] == 0
    assert states["lamadi.notifier.applicant-emails"]["parked"] == 0
    assert {"messages_ready", "messages_unacknowledged", "consumers", "parked", "retrying"} <= set(states[spec.name])


async def test_ops_queues_answers_503_when_the_management_api_is_unreachable(env, monkeypatch):
    port = free_port()
    monkeypatch.setenv("LAMADI_RABBIT_API_URL", f"http://127.0.0.1:{port}/api")
    async with served("reporting", ReportingSettings(), wait_ready=False) as reporting:
        answer = await reporting.client.get("/api/v1/ops/queues", headers=staff_headers("ops"))
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert f"127.0.0.1:{port}" in answer.json()["detail"]
    assert "cannot be reached" in answer.json()["detail"]
