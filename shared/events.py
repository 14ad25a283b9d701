"""Every event Lamadi publishes (DESIGN.md §4). Changes are additive; a breaking change is a new vN."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel

from shared.envelope import EventData
from shared.lifecycle import Status


class Applicant(BaseModel):
    full_name: str
    email: str
    phone: str | None = None
    language: Literal["ar", "fr"]


class DocumentRef(BaseModel):
    name: str
    sha256: str
    size: int
    content_type: str


class SubmissionReceived(EventData):
    TYPE = "submission.received.v1"
    tracking_number: str
    kind: str
    received_at: datetime
    applicant: Applicant
    details: dict[str, Any]
    documents: list[DocumentRef] = []


class SubmissionResubmitted(EventData):
    TYPE = "submission.resubmitted.v1"
    tracking_number: str
    kind: str
    message: str
    documents: list[DocumentRef] = []


class SubmissionWithdrawn(EventData):
    TYPE = "submission.withdrawn.v1"
    tracking_number: str
    kind: str
    reason: str | None = None


class TaskEvent(EventData):
    """Common part of review events: ``version`` grows by one per task change, so a consumer
    that sees events out of order can keep the newest status."""

    task_id: UUID
    tracking_number: str
    kind: str
    status: Status
    version: int


class ReviewTaskQueued(TaskEvent):
    TYPE = "review.task_queued.v1"


class ReviewClaimed(TaskEvent):
    TYPE = "review.claimed.v1"
    assignee: str


class ReviewObservationsIssued(TaskEvent):
    TYPE = "review.observations_issued.v1"
    observations: str


class ReviewDecided(TaskEvent):
    TYPE = "review.decided.v1"
    outcome: str
    text: str


class CommitteeOpinionRecorded(TaskEvent):
    TYPE = "committee.opinion_recorded.v1"
    member: str
    opinion: str
    motive: str


class CommitteeOpinionPublished(TaskEvent):
    TYPE = "committee.opinion_published.v1"
    opinion: str
    motive: str


class ReviewDeadlineApproaching(TaskEvent):
    TYPE = "review.deadline_approaching.v1"
    due_at: datetime


class ReviewDeadlineBreached(TaskEvent):
    TYPE = "review.deadline_breached.v1"
    due_at: datetime


class NotificationSent(EventData):
    TYPE = "notification.sent.v1"
    delivery_id: UUID
    tracking_number: str
    kind: str | None = None
    template: str
    language: str
    cause_event_id: UUID


class NotificationFailed(EventData):
    TYPE = "notification.failed.v1"
    delivery_id: UUID
    tracking_number: str
    kind: str | None = None
    template: str
    language: str
    cause_event_id: UUID
    error: str


class ReportDailyPublished(EventData):
    TYPE = "report.daily_published.v1"
    report_date: date
    totals: dict[str, int]


ALL_EVENTS: tuple[type[EventData], ...] = (
    SubmissionReceived,
    SubmissionResubmitted,
    SubmissionWithdrawn,
    ReviewTaskQueued,
    ReviewClaimed,
    ReviewObservationsIssued,
    ReviewDecided,
    CommitteeOpinionRecorded,
    CommitteeOpinionPublished,
    ReviewDeadlineApproaching,
    ReviewDeadlineBreached,
    NotificationSent,
    NotificationFailed,
    ReportDailyPublished,
)
EVENTS_BY_TYPE = {event.TYPE: event for event in ALL_EVENTS}
