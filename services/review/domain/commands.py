"""Staff commands and queries (imperative names; the handlers carry them out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from services.review.domain.deadlines import DueAlert
from services.review.domain.finance import Stage
from shared.lifecycle import Status


@dataclass(frozen=True)
class Actor:
    """Who acts: the token's subject, whether they may act on a task assigned to someone else
    (the policy's ``acts_for_others``), and their roles."""

    sub: str
    acts_for_others: bool = False
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TaskCommand:
    """A staff member's command on one task; ``ACTION`` names it in the policy (shared/policy.toml).
    ``ASSIGNEE_ONLY``: only the task's assignee, or someone who acts for others, may give it."""

    ACTION: ClassVar[str] = "read"
    ASSIGNEE_ONLY: ClassVar[bool] = False
    task_id: UUID
    actor: Actor


@dataclass(frozen=True)
class ClaimTask(TaskCommand):
    ACTION = "claim"


@dataclass(frozen=True)
class AssignTask(TaskCommand):
    ACTION = "assign"
    assignee: str


@dataclass(frozen=True)
class IssueObservations(TaskCommand):
    ACTION = "observe"
    ASSIGNEE_ONLY = True
    observations: str


@dataclass(frozen=True)
class DecideTask(TaskCommand):
    ACTION = "decide"
    ASSIGNEE_ONLY = True
    outcome: str
    text: str
    note: dict[str, Any] | None = None
    preliminary_observations: list[str] | None = None


@dataclass(frozen=True)
class RecordStep(TaskCommand):
    ACTION = "record_step"
    ASSIGNEE_ONLY = True
    step: str
    note: str | None = None


@dataclass(frozen=True)
class OpenSession:
    actor: Actor
    session_date: date


@dataclass(frozen=True)
class ReferToCommittee(TaskCommand):
    ACTION = "refer"
    ASSIGNEE_ONLY = True
    session_id: UUID | None = None


@dataclass(frozen=True)
class RecordOpinion(TaskCommand):
    ACTION = "record_opinion"
    opinion: str
    motive: str


@dataclass(frozen=True)
class PublishOpinion(TaskCommand):
    ACTION = "publish"


@dataclass(frozen=True)
class ShowTask(TaskCommand):
    """Read one task (its detail, audit trail or opinions); ``ACTION`` says which right it needs."""


@dataclass(frozen=True)
class ShowAuditTrail(TaskCommand):
    ACTION = "audit"


@dataclass(frozen=True)
class OpenDocument(TaskCommand):
    ACTION = "download"
    sha256: str


# The commands that change a task, in the order a task's page offers them.
TASK_COMMANDS: tuple[type[TaskCommand], ...] = (
    ClaimTask, AssignTask, IssueObservations, DecideTask, ReferToCommittee, RecordStep, RecordOpinion, PublishOpinion)


@dataclass(frozen=True)
class ListSessions:
    pass


@dataclass(frozen=True)
class TaskFilter:
    status: Status | None = None
    kind: str | None = None
    assignee: str | None = None
    tracking_number: str | None = None
    overdue_on: date | None = None  # only open tasks with an unmet deadline due before this day
    due_by: date | None = None  # only open tasks with an unmet deadline due on or before this day
    session_id: UUID | None = None  # a committee session's agenda
    last_step: str | None = None  # finance: the last step recorded ("none": no step yet)
    finance_stage: Stage | None = None  # finance: what the invoice waits for (domain/finance.py)
    by_due: bool = False  # nearest open deadline first (tasks without one last)
    kinds: frozenset[str] | None = None  # only these kinds (the reader's policy); None: every kind


@dataclass(frozen=True)
class FindTasks:
    where: TaskFilter
    limit: int
    offset: int
    actor: Actor


@dataclass(frozen=True)
class FindDueAlerts:
    now: datetime
    margin_days: int


@dataclass(frozen=True)
class EmitDeadlineAlert:
    due: DueAlert
    now: datetime
    margin_days: int
