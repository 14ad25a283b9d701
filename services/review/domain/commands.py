"""Staff commands on a task (imperative names; the handlers carry them out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class Actor:
    """Who acts: the token's subject, whether a supervisor (may act on anyone's task), and roles."""

    sub: str
    supervisor: bool = False
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TaskCommand:
    """A staff member's command on one task."""

    task_id: UUID
    actor: Actor


@dataclass(frozen=True)
class ClaimTask(TaskCommand):
    pass


@dataclass(frozen=True)
class IssueObservations(TaskCommand):
    observations: str


@dataclass(frozen=True)
class DecideTask(TaskCommand):
    outcome: str
    text: str
    note: dict[str, Any] | None = None
    preliminary_observations: list[str] | None = None


@dataclass(frozen=True)
class RecordStep(TaskCommand):
    step: str
    note: str | None = None


@dataclass(frozen=True)
class OpenSession:
    actor: Actor
    session_date: date


@dataclass(frozen=True)
class ReferToCommittee(TaskCommand):
    session_id: UUID | None = None


@dataclass(frozen=True)
class RecordOpinion(TaskCommand):
    opinion: str
    motive: str


@dataclass(frozen=True)
class PublishOpinion(TaskCommand):
    pass
