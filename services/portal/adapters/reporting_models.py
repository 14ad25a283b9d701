"""What the operations pages use of reporting's answers (services/reporting/api/ops.py and
reports.py): the work queues, the parked messages and who moved them, the daily reports' archive."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ReportingAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class QueueState(ReportingAnswer):
    name: str
    messages_ready: int
    messages_unacknowledged: int
    consumers: int
    retrying: int
    parked: int


class Queues(ReportingAnswer):
    vhost: str
    queues: list[QueueState]


class ParkedMessage(ReportingAnswer):
    id: str
    type: str
    subject: str
    parked_at: str | None = None  # as the parking consumer wrote it
    error: str
    event: dict[str, Any] | None = None


class ParkedPage(ReportingAnswer):
    queue: str
    parked: int
    messages: list[ParkedMessage]


class Moved(ReportingAnswer):
    """What a replay or a drop moved."""

    queue: str
    count: int


class OpsAction(ReportingAnswer):
    at: datetime
    actor: str
    action: str
    queue: str
    event_type: str
    subject: str


class OpsActionPage(ReportingAnswer):
    items: list[OpsAction]


class ReportFile(ReportingAnswer):
    format: str


class DailyReport(ReportingAnswer):
    day: date
    revision: int
    sent_at: datetime | None = None
    files: list[ReportFile] = []


class DailyReports(ReportingAnswer):
    reports: list[DailyReport]
    total: int
