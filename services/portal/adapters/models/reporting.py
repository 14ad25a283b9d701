"""What the operations pages use of reporting's answers (services/reporting/api/ops.py and
reports.py): the work queues, the parked messages and who moved them, the daily reports' archive."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.portal.adapters.models import Answer


class QueueState(Answer):
    name: str
    messages_ready: int
    messages_unacknowledged: int
    consumers: int
    retrying: int
    parked: int


class Queues(Answer):
    vhost: str
    queues: list[QueueState]


class ParkedMessage(Answer):
    id: str
    type: str
    subject: str
    parked_at: str | None = None  # as the parking consumer wrote it
    error: str
    event: dict[str, Any] | None = None


class ParkedPage(Answer):
    queue: str
    parked: int
    messages: list[ParkedMessage]


class Moved(Answer):
    """What a replay or a drop moved."""

    queue: str
    count: int


class OpsAction(Answer):
    at: datetime
    actor: str
    action: str
    queue: str
    event_type: str
    subject: str


class OpsActionPage(Answer):
    items: list[OpsAction]


class ReportFile(Answer):
    format: str


class DailyReport(Answer):
    day: date
    revision: int
    sent_at: datetime | None = None
    files: list[ReportFile] = []


class DailyReports(Answer):
    reports: list[DailyReport]
    total: int
