"""Every event Lamadi publishes (docs/architecture.md#the-events). Changes are additive; a breaking one is a new vN."""

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


class Contact(BaseModel):
    """Whom the applicant's email about this step goes to. Every event that makes the notifier
    write to the applicant carries it, so the email never waits for (nor depends on the order
    of) the filing's submission.received. Reporting keeps none of it."""

    full_name: str
    email: str
    language: Literal["ar", "fr"]


class DocumentRef(BaseModel):
    name: str
    type: str | None = None  # a document type of the catalogue (cin_copy, situation_plan…)
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
    previous_tracking_number: str | None = None  # a pre-study filed again links its history


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
    contact: Contact | None = None


class SubmissionContested(EventData):
    """The applicant contests an unfavourable committee decision; allowed once per filing."""

    TYPE = "submission.contested.v1"
    tracking_number: str
    kind: str
    motive: str
    contact: Contact | None = None


class DraftSaved(EventData):
    """An applicant saved a filing to finish later: the notifier emails the link that resumes it.
    The link holds the draft's secret, so only the notifier is bound to this event (not
    reporting, which is bound to every other one)."""

    TYPE = "submission.draft_saved.v1"
    draft_id: UUID
    kind: str
    language: Literal["ar", "fr"]
    email: str
    resume_url: str
    expires_at: datetime


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
    reason: Literal["new", "resubmitted", "contested"] | None = None
    due_at: datetime | None = None  # the nearest open deadline


class ReviewReferredToCommittee(TaskEvent):
    TYPE = "review.referred_to_committee.v1"
    session_id: UUID | None = None
    session_date: date | None = None


class ReviewStepRecorded(TaskEvent):
    """A step short of the decision, e.g. a supplier invoice verified or approved for payment."""

    TYPE = "review.step_recorded.v1"
    step: str
    note: str | None = None
    contact: Contact | None = None


class ReviewClaimed(TaskEvent):
    TYPE = "review.claimed.v1"
    assignee: str


class ReviewObservationsIssued(TaskEvent):
    TYPE = "review.observations_issued.v1"
    observations: str
    contact: Contact | None = None


class ReviewDecided(TaskEvent):
    TYPE = "review.decided.v1"
    outcome: str
    text: str
    note: dict[str, Any] | None = None  # information note: the urban-planning facts
    preliminary_observations: list[str] = []  # pre-study
    committee_opinion: str | None = None  # permits: the aggregated (most severe) opinion
    contact: Contact | None = None
    parcel: dict[str, Any] | None = None  # information note: the parcel as filed, for the note's PDF


class CommitteeOpinionRecorded(TaskEvent):
    TYPE = "committee.opinion_recorded.v1"
    member: str
    opinion: str
    motive: str


class CommitteeOpinionPublished(TaskEvent):
    """Public: no member names, no applicant data (so no contact: the notifier writes to the
    applicant only for an adjournment, long after the filing's receipt)."""

    TYPE = "committee.opinion_published.v1"
    opinion: str
    motive: str
    session_date: date | None = None


class ReviewDeadlineApproaching(TaskEvent):
    TYPE = "review.deadline_approaching.v1"
    deadline: str  # the rule's name in the catalogue: decision, to_committee…
    due_at: datetime


class ReviewDeadlineBreached(TaskEvent):
    TYPE = "review.deadline_breached.v1"
    deadline: str
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


class ReportFileRef(BaseModel):
    """One file of a daily report, kept under its sha256 in the report-files blob store."""

    format: str  # pdf, xlsx, csv
    filename: str
    content_type: str
    sha256: str
    size: int
    # The PDF's: the code its QR code opens (shared/verification.py). The notifier registers
    # the PDF as an issued document under it.
    verification_code: str | None = None


class DocumentIssued(EventData):
    """The notifier issued (drew, sealed and kept) a document: a filing's receipt, information
    note or decision letter, or a day's report. Intake keeps the filing's to serve them. No
    personal data: the document's bytes stay in the issued-documents store."""

    TYPE = "document.issued.v1"
    code: str  # the verification code
    document: Literal["receipt", "information_note", "decision_letter", "daily_report"]
    reference: str  # the filing's tracking number, or the report's day (YYYY-MM-DD)
    language: Literal["ar", "fr"]
    sha256: str
    filename: str
    issued_at: datetime
    replaces: str | None = None  # the code of the document this one corrects


class ReportDailyPublished(EventData):
    """The day's report to the Urban Planning Directorate is built: email it. No personal data."""

    TYPE = "report.daily_published.v1"
    report_date: date
    totals: dict[str, int]
    language: Literal["ar", "fr"] = "ar"  # the Directorate's
    revision: int = 1  # grows when a sent day is rebuilt (forced)
    files: list[ReportFileRef] = []  # the files to attach, each checked against its sha256
    corrections: int = 0  # late events of earlier days that this report counts


ALL_EVENTS: tuple[type[EventData], ...] = (
    DocumentIssued,
    SubmissionReceived,
    SubmissionResubmitted,
    SubmissionWithdrawn,
    SubmissionContested,
    DraftSaved,
    ReviewTaskQueued,
    ReviewReferredToCommittee,
    ReviewStepRecorded,
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
