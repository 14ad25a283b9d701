"""The reporting service against the real PostgreSQL and RabbitMQ (and its management API)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from prometheus_client import REGISTRY

from services.reporting.bootstrap import build_app
from services.reporting.settings import ReportingSettings
from shared.auth import issue_token
from shared.envelope import Envelope
from shared.events import (
    Applicant,
    CommitteeOpinionPublished,
    NotificationSent,
    ReviewDeadlineApproaching,
    ReviewDeadlineBreached,
    ReviewDecided,
    SubmissionReceived,
    SubmissionWithdrawn,
)
from shared.lifecycle import Status
from shared.messaging.broker import envelope_message
from shared.messaging.topology import queues_of
from tests.support import free_port, running_app, wait_until

CASABLANCA = ZoneInfo("Africa/Casablanca")
ENTRIES_QUEUE = "lamadi.reporting.entries"
# Entries of the events these tests publish (at start-up the service also closes yesterday).
FILINGS = "type NOT LIKE 'report.%'"
COUNTS = ("received", "decided", "withdrawn", "pending", "emails_sent", "emails_failed", "deadlines_approaching",
          "deadlines_breached", "opinions_published")


def token(*roles: str) -> dict[str, str]:
    secret = ReportingSettings().jwt_secret.get_secret_value()
    return {"Authorization": f"Bearer {issue_token(secret, sub='tester', roles=list(roles))}"}


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CASABLANCA)


def at(envelope: Envelope, when: datetime) -> Envelope:
    return envelope.model_copy(update={"time": when})


def received(tracking: str, kind: str, when: datetime) -> Envelope:
    data = SubmissionReceived(
        tracking_number=tracking, kind=kind, received_at=when,
        applicant=Applicant(full_name="Youssef El Idrissi", email="youssef@example.ma", phone="+212611111111",
                            language="fr"),
        details={"cin": "BE998877", "message": "Plainte concernant un chantier"},
    )
    return at(Envelope.new(data, source="intake", subject=tracking, correlation_id=f"c-{tracking}"), when)


def decided(tracking: str, kind: str, when: datetime) -> Envelope:
    data = ReviewDecided(task_id=uuid4(), tracking_number=tracking, kind=kind, status=Status.DECIDED, version=3,
                         outcome="answered", text="Réponse à M. El Idrissi")
    return at(Envelope.new(data, source="review", subject=tracking, correlation_id=f"c-{tracking}"), when)


def withdrawn(tracking: str, kind: str, when: datetime) -> Envelope:
    data = SubmissionWithdrawn(tracking_number=tracking, kind=kind, reason="je déménage")
    return at(Envelope.new(data, source="intake", subject=tracking, correlation_id=f"c-{tracking}"), when)


def sent(tracking: str, kind: str | None, when: datetime) -> Envelope:
    data = NotificationSent(delivery_id=uuid4(), tracking_number=tracking, kind=kind, template="receipt",
                            language="fr", cause_event_id=uuid4())
    return at(Envelope.new(data, source="notifier", subject=tracking, correlation_id=f"c-{tracking}"), when)


def duplicates_seen() -> float:
    return REGISTRY.get_sample_value(
        "lamadi_events_consumed_total",
        {"queue": ENTRIES_QUEUE, "type": SubmissionReceived.TYPE, "outcome": "duplicate"},
    ) or 0.0



@pytest.fixture
async def service(env):
    app = build_app(ReportingSettings())
    async with running_app(app) as client:
        await wait_until(lambda: _ready(client), message="reporting ready")
        yield app, client


async def _ready(client) -> bool:
    return (await client.get("/readyz")).status_code == 200


async def test_daily_report_counts_each_event_once_on_its_agency_day(service, broker):
    app, client = service
    pool = app.state.runtime.pool
    day = date(2025, 6, 10)  # Casablanca is UTC+1 then
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    r3 = received("AU-3", "complaint", local(day, 11))
    events = [
        received("AU-1", "complaint", local(before, 10)),
        received("AU-2", "complaint", local(day, 0, 30)),  # 23:30 UTC the day before
        r3,
        r3,  # the same event delivered twice
        received("AU-4", "pre_study", local(day, 12)),
        decided("AU-1", "complaint", local(day, 15)),
        withdrawn("AU-2", "complaint", local(day, 16)),
        sent("AU-3", "complaint", local(day, 11, 5)),
        sent("AU-9", None, local(day, 11, 6)),
        received("AU-5", "complaint", local(after, 0, 10)),
    ]
    duplicates_before = duplicates_seen()
    for event in events:
        await broker.publish(event)

    await wait_until(lambda: pool.fetchval(f"SELECT count(*) = 9 FROM report_entries WHERE {FILINGS}"),
                     message="9 entries")
    await wait_until(lambda: duplicates_seen() == duplicates_before + 1, message="duplicate consumed")
    assert await pool.fetchval(f"SELECT count(*) FROM report_entries WHERE {FILINGS}") == 9

    response = await client.get("/api/v1/reports/daily", params={"date": day.isoformat()},
                                headers=token("supervisor"))
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
                                 headers=token("ops"))).json()
    assert previous["totals"]["received"] == 1 and previous["totals"]["pending"] == 1

    # What is stored is free of personal data.
    rows = await pool.fetch("SELECT type, tracking_number, kind, status, details::text AS details FROM report_entries")
    stored = repr([dict(r) for r in rows])
    for personal in ("Youssef", "youssef@example.ma", "+212611111111", "BE998877", "chantier", "déménage"):
        assert personal not in stored
    decision = await pool.fetchrow("SELECT status, details FROM report_entries WHERE type = $1", ReviewDecided.TYPE)
    assert decision["status"] == "decided" and decision["details"] == {"outcome": "answered", "version": 3}


def task_event(model, tracking: str, kind: str, when: datetime, **fields) -> Envelope:
    data = model(task_id=uuid4(), tracking_number=tracking, kind=kind, version=4, **fields)
    return at(Envelope.new(data, source="review", subject=tracking, correlation_id=f"c-{tracking}"), when)


async def test_daily_report_counts_deadline_alerts_and_published_opinions(service, broker):
    app, client = service
    pool = app.state.runtime.pool
    day = date(2025, 6, 10)
    due = local(day, 23, 59)
    events = [
        received("AU-30", "building_permit", local(day - timedelta(days=3), 9)),
        task_event(ReviewDeadlineApproaching, "AU-30", "building_permit", local(day, 8), status=Status.IN_REVIEW,
                   deadline="to_committee", due_at=due),
        task_event(ReviewDeadlineBreached, "AU-30", "building_permit", local(day, 23, 59), status=Status.IN_REVIEW,
                   deadline="to_committee", due_at=due),
        task_event(ReviewDeadlineBreached, "AU-31", "complaint", local(day, 10), status=Status.QUEUED,
                   deadline="decision", due_at=due),
        task_event(CommitteeOpinionPublished, "AU-30", "building_permit", local(day, 11), status=Status.IN_COMMITTEE,
                   opinion="adjourned", motive="Plans incomplets", session_date=day),
        task_event(CommitteeOpinionPublished, "AU-32", "subdivision_permit", local(day, 12), status=Status.DECIDED,
                   opinion="favourable", motive="Conforme", session_date=day),
        task_event(ReviewDeadlineApproaching, "AU-33", "pre_study", local(day + timedelta(days=1), 8),
                   status=Status.QUEUED, deadline="decision", due_at=due),  # the next day: not counted
    ]
    for event in events:
        await broker.publish(event)
    await wait_until(lambda: pool.fetchval(f"SELECT count(*) = 7 FROM report_entries WHERE {FILINGS}"),
                     message="7 entries")
    types = {r["type"] for r in await pool.fetch("SELECT type FROM report_entries")}
    assert {ReviewDeadlineApproaching.TYPE, ReviewDeadlineBreached.TYPE, CommitteeOpinionPublished.TYPE} <= types

    report = (await client.get("/api/v1/reports/daily", params={"date": day.isoformat()},
                               headers=token("supervisor"))).json()
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
                                  headers=token("ops"))).text.splitlines()
    assert ",deadlines_approaching,deadlines_breached,opinions_published,overdue," in csv_lines[0]
    assert csv_lines[-1].startswith("2025-06-10,total,0,0,0,1,0,0,1,2,2,")
    opinion = await pool.fetchrow("SELECT details::text AS details FROM report_entries WHERE type = $1 AND "
                                  "tracking_number = 'AU-30'", CommitteeOpinionPublished.TYPE)
    assert "adjourned" in opinion["details"] and "Plans incomplets" not in opinion["details"]


async def test_today_so_far_as_csv_and_no_pdf_before_the_day_is_built(service, broker):
    app, client = service
    now = datetime.now(UTC)
    await broker.publish(received("AU-10", "information_note", now))
    await broker.publish(sent("AU-10", "information_note", now))
    await wait_until(lambda: app.state.runtime.pool.fetchval(f"SELECT count(*) = 2 FROM report_entries WHERE {FILINGS}"),
                     message="2 entries")

    today = now.astimezone(CASABLANCA).date().isoformat()
    by_format = await client.get("/api/v1/reports/daily", params={"date": today, "format": "csv"},
                                 headers=token("admin"))
    by_accept = await client.get("/api/v1/reports/daily", params={"date": today},
                                 headers={**token("ops"), "Accept": "text/csv"})
    for response in (by_format, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        lines = response.text.splitlines()
        assert lines[0].startswith("date,kind,received,decided,withdrawn,pending,emails_sent,emails_failed,"
                                   "deadlines_approaching,deadlines_breached,opinions_published,overdue")
        assert lines[1].startswith(f"{today},information_note,1,0,0,1,1,0,0,0,0,0,")
        assert lines[-1].startswith(f"{today},total,1,0,0,1,1,0,0,0,0,0,")
    as_json = await client.get("/api/v1/reports/daily", params={"date": today}, headers=token("ops"))
    assert as_json.json()["totals"]["received"] == 1
    pdf = await client.get("/api/v1/reports/daily", params={"date": today, "format": "pdf"}, headers=token("ops"))
    assert pdf.status_code == 404 and pdf.headers["content-type"].startswith("application/problem+json")


async def test_daily_report_refuses_missing_tokens_wrong_roles_and_bad_dates(service):
    _, client = service
    path = "/api/v1/reports/daily"
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers={"Authorization": "Bearer not-a-token"})).status_code == 401
    forbidden = await client.get(path, headers=token("reviewer"))
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"].startswith("application/problem+json")
    for bad in ("2025-13-01", "10/06/2025", "20250610", "yesterday"):
        answer = await client.get(path, params={"date": bad}, headers=token("supervisor"))
        assert answer.status_code == 422, bad
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["errors"][0]["field"] == "query.date"
    assert (await client.get(path, params={"format": "docx"}, headers=token("supervisor"))).status_code == 422
    assert (await client.get("/api/v1/ops/queues", headers=token("supervisor"))).status_code == 403
    assert (await client.get("/api/v1/ops/queues")).status_code == 401


async def test_ops_queues_shows_parked_and_retrying_messages_and_consumers(service, broker):
    _, client = service
    spec = queues_of("review")[0]
    stray = received("AU-20", "complaint", datetime.now(UTC))
    await broker.send_to_queue(spec.parked, envelope_message(stray, headers={"x-lamadi-error": "boom"}))
    waiting = envelope_message(stray)
    waiting.expiration = 120  # stays in the retry queue for the length of the test
    await broker.send_to_queue(spec.retry(1), waiting)

    async def queues():
        answer = await client.get("/api/v1/ops/queues", headers=token("ops"))
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
    async with running_app(build_app(ReportingSettings())) as client:
        answer = await client.get("/api/v1/ops/queues", headers=token("ops"))
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert f"127.0.0.1:{port}" in answer.json()["detail"]
    assert "cannot be reached" in answer.json()["detail"]
