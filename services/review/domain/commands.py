"""Staff commands on a task (imperative names; the handlers carry them out)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.review.domain.task import Outcome


@dataclass(frozen=True)
class Actor:
    """Who acts: the token's subject, and whether a supervisor (may act on anyone's task)."""

    sub: str
    supervisor: bool = False


@dataclass(frozen=True)
class ClaimTask:
    task_id: UUID
    actor: Actor


@dataclass(frozen=True)
class IssueObservations:
    task_id: UUID
    actor: Actor
    observations: str


@dataclass(frozen=True)
class DecideTask:
    task_id: UUID
    actor: Actor
    outcome: Outcome
    text: str
