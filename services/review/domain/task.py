"""The review Task aggregate.

Every change goes through ``shared.lifecycle.next_status`` (an illegal one raises
``IllegalTransition``), bumps ``version`` by one and returns the event data to publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from shared.events import ReviewClaimed, ReviewDecided, ReviewObservationsIssued, ReviewTaskQueued
from shared.lifecycle import OPEN_STATES, Action, Status, next_status


class Outcome(StrEnum):
    """What a decision says, across the catalogue (DESIGN.md §1)."""

    APPROVED = "approved"  # permits; supplier invoice approved for payment
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REJECTED = "rejected"
    ANSWERED = "answered"  # complaint
    NOTE_ISSUED = "note_issued"  # information note
    OBSERVATIONS_ISSUED = "observations_issued"  # pre-study: preliminary observations
    PAID = "paid"  # supplier invoice


class DomainError(Exception):
    """A command the aggregate refuses for a reason other than the lifecycle."""


class InvalidInput(DomainError):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class NotAssignee(DomainError):
    pass


class TaskNotFound(DomainError):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


def _required_text(field_name: str, text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(field_name, "must not be empty")
    return text


@dataclass
class Task:
    tracking_number: str
    kind: str
    applicant: dict[str, Any]
    details: dict[str, Any]
    documents: list[dict[str, Any]] = field(default_factory=list)
    id: UUID = field(default_factory=uuid4)
    status: Status = Status.QUEUED
    version: int = 1
    assignee: str | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)  # the applicant's answers
    observations: list[dict[str, Any]] = field(default_factory=list)
    decision: dict[str, Any] | None = None
    created_at: datetime = field(default_factory=_now)
    updated_at: datetime = field(default_factory=_now)

    @classmethod
    def open(
        cls,
        *,
        tracking_number: str,
        kind: str,
        applicant: dict[str, Any],
        details: dict[str, Any],
        documents: list[dict[str, Any]],
    ) -> tuple["Task", ReviewTaskQueued]:
        """A received filing becomes a queued task (version 1)."""
        task = cls(
            tracking_number=tracking_number,
            kind=kind,
            applicant=applicant,
            details=details,
            documents=list(documents),
            status=next_status(Status.RECEIVED, Action.ENQUEUE),
        )
        return task, ReviewTaskQueued(**task._event_fields())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def may_act(self, by: str, *, supervisor: bool) -> bool:
        """Only the assignee, or a supervisor, may issue observations or decide."""
        return supervisor or (self.assignee is not None and self.assignee == by)

    def ensure_may_act(self, by: str, *, supervisor: bool) -> None:
        if not self.may_act(by, supervisor=supervisor):
            whose = f"assigned to {self.assignee}" if self.assignee else "not assigned to anyone"
            raise NotAssignee(f"This task is {whose}; only its assignee or a supervisor may act on it.")

    def claim(self, by: str) -> ReviewClaimed:
        self._move(Action.CLAIM)
        self.assignee = by
        return ReviewClaimed(**self._event_fields(), assignee=by)

    def issue_observations(self, by: str, text: str) -> ReviewObservationsIssued:
        text = _required_text("observations", text)
        self._move(Action.ISSUE_OBSERVATIONS)
        self.observations.append({"at": self.updated_at.isoformat(), "by": by, "text": text})
        return ReviewObservationsIssued(**self._event_fields(), observations=text)

    def decide(self, by: str, outcome: Outcome | str, text: str) -> ReviewDecided:
        try:
            outcome = Outcome(outcome)
        except ValueError:
            raise InvalidInput("outcome", f"must be one of: {', '.join(o.value for o in Outcome)}") from None
        text = _required_text("text", text)
        self._move(Action.DECIDE)
        self.decision = {"outcome": outcome.value, "text": text, "by": by, "at": self.updated_at.isoformat()}
        return ReviewDecided(**self._event_fields(), outcome=outcome.value, text=text)

    def resubmit(self, message: str, documents: list[dict[str, Any]]) -> ReviewTaskQueued:
        """The applicant answered the observations: back to the queue. The assignee is kept,
        so the reviewer who asked sees the answer; anyone may claim the task again."""
        self._move(Action.RESUBMIT)
        self.record_applicant_material(message, documents)
        return ReviewTaskQueued(**self._event_fields())

    def record_applicant_material(self, message: str, documents: list[dict[str, Any]]) -> None:
        """Keep what the applicant sent, whatever the state (no transition, no new version)."""
        if message:
            self.messages.append({"at": _now().isoformat(), "text": message})
        self.documents.extend(documents)

    def withdraw(self) -> None:
        """The applicant withdrew: no event of ours (intake already announced it)."""
        self._move(Action.WITHDRAW)

    def _move(self, action: Action) -> None:
        self.status = next_status(self.status, action)
        self.version += 1
        self.updated_at = _now()

    def _event_fields(self) -> dict[str, Any]:
        return {
            "task_id": self.id,
            "tracking_number": self.tracking_number,
            "kind": self.kind,
            "status": self.status,
            "version": self.version,
        }
