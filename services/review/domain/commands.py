"""Staff commands on a task (imperative names; the handlers carry them out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar
from uuid import UUID


@dataclass(frozen=True)
class Actor:
    """Who acts: the token's subject, whether a supervisor (may act on anyone's task), and roles."""

    sub: str
    supervisor: bool = False
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TaskCommand:
    """A staff member's command on one task; ``ACTION`` names it in the policy (shared/policy.toml)."""

    ACTION: ClassVar[str] = "read"
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
    observations: str


@dataclass(frozen=True)
class DecideTask(TaskCommand):
    ACTION = "decide"
    outcome: str
    text: str
    note: dict[str, Any] | None = None
    preliminary_observations: list[str] | None = None


@dataclass(frozen=True)
class RecordStep(TaskCommand):
    ACTION = "record_step"
    step: str
    note: str | None = None


@dataclass(frozen=True)
class OpenSession:
    actor: Actor
    session_date: date


@dataclass(frozen=True)
class ReferToCommittee(TaskCommand):
    ACTION = "refer"
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
