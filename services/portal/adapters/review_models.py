"""What the staff pages use of review's answers (services/review/api/models.py): tasks with
what the person may do on each (``allowed_actions``, each with the fields its form asks), where
each stands against its deadlines, its finance stage and committee round; the detail's
timeline; the audit trail; committee sessions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, RootModel


class ReviewAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Deadline(ReviewAnswer):
    name: str
    unit: str
    days: int
    due_at: datetime
    days_used: int
    days_left: int
    paused: bool
    met_at: datetime | None = None
    overdue: bool


class InputField(ReviewAnswer):
    """One field of an action's JSON body (``note.zoning`` is ``zoning`` inside ``note``): a
    choice, a text, a number or lines; ``outcome``: taken only when deciding with that outcome."""

    name: str
    type: str
    required: bool
    outcome: str | None = None


class AllowedAction(ReviewAnswer):
    """Something the person may do on the task now, where to post it and what it takes."""

    action: str
    path: str
    outcomes: list[str] = []
    steps: list[str] = []
    opinions: list[str] = []
    assignable_roles: list[str] = []
    fields: list[InputField] = []


class Opinion(ReviewAnswer):
    round: int
    member: str
    opinion: str
    motive: str
    at: datetime


class CommitteeRound(ReviewAnswer):
    """The task's current round: its opinions and their aggregate, as review computes it."""

    round: int
    opinions: list[Opinion]
    aggregate: str | None = None


class Document(ReviewAnswer):
    sha256: str
    type: str | None = None
    name: str | None = None  # absent for roles that do not see the applicant's personal data
    content_type: str | None = None
    size: int | None = None


class Dated(ReviewAnswer):
    """What the applicant sent back, or an observation sent to them."""

    text: str
    at: datetime


class Decision(ReviewAnswer):
    outcome: str
    text: str


class FinanceStep(ReviewAnswer):
    step: str
    note: str | None = None
    at: datetime


class Contest(ReviewAnswer):
    motive: str
    at: datetime


class Task(ReviewAnswer):
    id: UUID
    tracking_number: str
    kind: str
    status: str
    assignee: str | None = None
    applicant: dict[str, Any] = {}
    details: dict[str, Any] = {}
    documents: list[Document] = []
    messages: list[Dated] = []
    observations: list[Dated] = []
    decision: Decision | None = None
    received_at: datetime | None = None
    deadlines: list[Deadline] = []
    steps: list[FinanceStep] = []
    session_id: UUID | None = None
    contested: bool = False
    contest: Contest | None = None
    updated_at: datetime
    deadline_state: str
    due_at: datetime | None = None
    allowed_actions: list[AllowedAction] = []
    finance_stage: str | None = None
    committee: CommitteeRound | None = None

    def offered(self, action: str) -> AllowedAction | None:
        """The action as review offers it to this person now; None if it does not."""
        return next((offer for offer in self.allowed_actions if offer.action == action), None)


class HistoryEntry(ReviewAnswer):
    at: datetime
    actor: str
    action: str
    to_status: str
    note: str | None = None


class TaskDetail(Task):
    timeline: list[HistoryEntry] = []


class TaskPage(ReviewAnswer):
    items: list[Task]
    total: int


class AuditTrail(RootModel[list[HistoryEntry]]):
    pass


class Session(ReviewAnswer):
    id: UUID
    session_date: date
    created_by: str


class Sessions(RootModel[list[Session]]):
    pass
