"""Helpers of the reporting integration tests: events at chosen times, a clock the test moves,
and reporting running in this process."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from services.reporting.bootstrap import build_app
from services.reporting.settings import ReportingSettings
from shared.auth import issue_token
from shared.envelope import Envelope
from shared.events import Applicant, ReviewDecided, ReviewObservationsIssued, SubmissionReceived, SubmissionResubmitted
from shared.lifecycle import Status
from tests.support import running_app, wait_until

CASABLANCA = ZoneInfo("Africa/Casablanca")
PERSONAL = ("Youssef", "El Idrissi", "youssef@example.ma", "+212611111111", "BE998877", "001525879000045")


class MovableClock:
    """The service's clock: the test sets the time."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CASABLANCA)


def token(*roles: str, sub: str = "tester") -> dict[str, str]:
    secret = ReportingSettings().jwt_secret.get_secret_value()
    return {"Authorization": f"Bearer {issue_token(secret, sub=sub, roles=list(roles))}"}


def _at(data, tracking: str, when: datetime, source: str) -> Envelope:
    envelope = Envelope.new(data, source=source, subject=tracking, correlation_id=f"c-{tracking}")
    return envelope.model_copy(update={"time": when})


def received(tracking: str, kind: str, when: datetime, **details) -> Envelope:
    data = SubmissionReceived(
        tracking_number=tracking, kind=kind, received_at=when,
        applicant=Applicant(full_name="Youssef El Idrissi", email="youssef@example.ma", phone="+212611111111",
                            language="fr"),
        details={"cin": "BE998877", "ice": "001525879000045", **details},
    )
    return _at(data, tracking, when, "intake")


def decided(tracking: str, kind: str, when: datetime, outcome: str = "answered") -> Envelope:
    data = ReviewDecided(task_id=uuid4(), tracking_number=tracking, kind=kind, status=Status.DECIDED, version=5,
                         outcome=outcome, text="Réponse à M. El Idrissi")
    return _at(data, tracking, when, "review")


def observations(tracking: str, kind: str, when: datetime) -> Envelope:
    data = ReviewObservationsIssued(task_id=uuid4(), tracking_number=tracking, kind=kind,
                                    status=Status.AWAITING_APPLICANT, version=3, observations="Plan manquant")
    return _at(data, tracking, when, "review")


def resubmitted(tracking: str, kind: str, when: datetime) -> Envelope:
    return _at(SubmissionResubmitted(tracking_number=tracking, kind=kind, message="Voici le plan"), tracking, when,
               "intake")


@asynccontextmanager
async def reporting(clock: MovableClock):
    app = build_app(ReportingSettings(), clock=clock)
    async with running_app(app) as client:
        await wait_until(lambda: _ready(client), message="reporting ready")
        client.deps = app.state.deps
        client.pool = app.state.runtime.pool
        yield client


async def _ready(client) -> bool:
    return (await client.get("/readyz")).status_code == 200


async def entries_count(pool) -> int:
    return await pool.fetchval("SELECT count(*) FROM report_entries")


async def published(pool) -> list[dict]:
    """report.daily_published events in reporting's outbox, oldest first."""
    rows = await pool.fetch("SELECT envelope FROM outbox WHERE routing_key = 'report.daily_published.v1' ORDER BY id")
    return [row["envelope"] for row in rows]
