"""The review Task aggregate.

Every change goes through ``shared.lifecycle.next_status`` (an illegal one raises
``IllegalTransition``), bumps ``version`` by one and returns the event data to publish.
What depends on the kind (outcomes, review path) comes from its catalogue entry (``Kind``),
passed in by the handlers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import ValidationError

from services.review.domain import committee, finance
from services.review.domain.decision import (
    Outcome,
    check_note,
    check_outcome,
    check_preliminary_observations,
    required_text,
)
from services.review.domain.errors import Conflict, InvalidInput, NotAssignee, TaskNotFound
from shared.catalogue import Kind
from shared.events import (
    CommitteeOpinionPublished,
    CommitteeOpinionRecorded,
    Contact,
    ReviewClaimed,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewReferredToCommittee,
    ReviewStepRecorded,
    ReviewTaskQueued,
)
from shared.lifecycle import OPEN_STATES, Action, Status, next_status

__all__ = ["Conflict", "InvalidInput", "NotAssignee", "Outcome", "Task", "TaskNotFound"]


def _now() -> datetime:
    return datetime.now(UTC)


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
    received_at: datetime | None = None
    previous: dict[str, Any] | None = None  # a pre-study filed again: the earlier one's outcome
    steps: list[dict[str, Any]] = field(default_factory=list)  # finance steps
    committee_round: int = 1
    session_id: UUID | None = None
    contested: bool = False
    contest: dict[str, Any] | None = None

    @classmethod
    def open(
        cls,
        *,
        tracking_number: str,
        kind: str,
        applicant: dict[str, Any],
        details: dict[str, Any],
        documents: list[dict[str, Any]],
        received_at: datetime | None = None,
        previous: dict[str, Any] | None = None,
        due_at: datetime | None = None,
    ) -> tuple["Task", ReviewTaskQueued]:
        """A received filing becomes a queued task (version 1)."""
        task = cls(
            tracking_number=tracking_number,
            kind=kind,
            applicant=applicant,
            details=details,
            documents=list(documents),
            status=next_status(Status.RECEIVED, Action.ENQUEUE),
            received_at=received_at,
            previous=previous,
        )
        return task, task.queued_event("new", due_at)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def step_names(self) -> list[str]:
        return [s["step"] for s in self.steps]

    def queued_event(self, reason: str, due_at: datetime | None) -> ReviewTaskQueued:
        return ReviewTaskQueued(**self._event_fields(), reason=reason, due_at=due_at)

    def may_act(self, by: str, *, supervisor: bool) -> bool:
        """Only the assignee, or a supervisor, may issue observations, refer or decide."""
        return supervisor or (self.assignee is not None and self.assignee == by)

    def ensure_may_act(self, by: str, *, supervisor: bool) -> None:
        if not self.may_act(by, supervisor=supervisor):
            whose = f"assigned to {self.assignee}" if self.assignee else "not assigned to anyone"
            raise NotAssignee(f"This task is {whose}; only its assignee or a supervisor may act on it.")

    # What the task allows in its present state, before any command's input is looked at: each
    # command below checks with these first, and domain/allowed.py asks the same ones.

    def check_claim(self) -> None:
        next_status(self.status, Action.CLAIM)

    def check_assign(self) -> None:
        if not self.is_open:
            raise Conflict(f"Only an open task can be assigned; it is {self.status.value}.")

    def check_observe(self) -> None:
        next_status(self.status, Action.ISSUE_OBSERVATIONS)

    def check_decide(self, spec: Kind) -> None:
        next_status(self.status, Action.DECIDE)  # a lifecycle error comes first
        if spec.review_path == "committee":
            raise Conflict(f"A {self.kind} is decided by its committee: refer the task, then publish the opinion.")

    def check_outcome(self, outcome: str, spec: Kind) -> str:
        """One of the kind's outcomes, and one it may take now (an invoice is paid once approved)."""
        outcome = check_outcome(str(outcome), spec.outcomes)
        if spec.review_path == "finance" and outcome == Outcome.PAID:
            finance.check_may_pay(self.step_names)
        return outcome

    def check_refer(self, spec: Kind) -> None:
        if spec.review_path != "committee":
            raise Conflict(f"A {self.kind} is not reviewed by a committee.")
        next_status(self.status, Action.REFER_TO_COMMITTEE)

    def check_step(self, spec: Kind) -> finance.Step:
        """The finance step to record next."""
        if spec.review_path != "finance":
            raise Conflict(f"A {self.kind} has no finance steps.")
        next_status(self.status, Action.RECORD_STEP)  # the lifecycle error first, if any
        step = finance.next_step(self.step_names)
        if step is None:
            raise Conflict("Every finance step is recorded: the payment is recorded as the decision.")
        return step

    def check_opinion(self, member: str, given: Sequence[Mapping[str, Any]]) -> None:
        """``given``: the opinions of this round so far."""
        if self.status != Status.IN_COMMITTEE:
            raise Conflict(f"Opinions are recorded while the task is in_committee; it is {self.status.value}.")
        committee.check_first_opinion(member, given, self.committee_round)

    def check_publish(self, given: Sequence[object]) -> None:
        """``given``: the opinions of this round."""
        if self.status != Status.IN_COMMITTEE:
            raise Conflict(f"Only a task in_committee has an opinion to publish; it is {self.status.value}.")
        if not given:
            raise Conflict("No committee member has given an opinion in this round yet.")

    # Commands.

    def assign(self, assignee: str) -> None:
        """A supervisor gives an open task to a colleague, who then acts on it as its assignee. No
        transition and no event: the public status does not change (the audit row records it)."""
        assignee = required_text("assignee", assignee)
        self.check_assign()
        self.assignee = assignee
        self.updated_at = _now()

    def claim(self, by: str) -> ReviewClaimed:
        self.check_claim()
        self._move(Action.CLAIM)
        self.assignee = by
        return ReviewClaimed(**self._event_fields(), assignee=by)

    def issue_observations(self, by: str, text: str) -> ReviewObservationsIssued:
        text = required_text("observations", text)
        self.check_observe()
        self._move(Action.ISSUE_OBSERVATIONS)
        self.observations.append({"at": self.updated_at.isoformat(), "by": by, "text": text})
        return ReviewObservationsIssued(**self._event_fields(), observations=text, contact=self.contact)

    def decide(
        self,
        by: str,
        outcome: Outcome | str,
        text: str,
        spec: Kind,
        *,
        note: dict[str, Any] | None = None,
        preliminary_observations: list[str] | None = None,
    ) -> ReviewDecided:
        """A reviewer's (or finance's) decision. Committee kinds are decided by publication."""
        self.check_decide(spec)
        outcome = self.check_outcome(str(outcome), spec)
        text = required_text("text", text)
        extra: dict[str, Any] = {}
        if outcome == Outcome.NOTE_ISSUED:
            extra["note"] = check_note(note)
        if outcome == Outcome.OBSERVATIONS_ISSUED:
            extra["preliminary_observations"] = check_preliminary_observations(preliminary_observations)
        return self._decided(by, outcome, text, **extra)

    def resubmit(self, message: str, documents: list[dict[str, Any]], due_at: datetime | None = None) -> ReviewTaskQueued:
        """The applicant answered the observations: back to the queue. The assignee is kept,
        so the reviewer who asked sees the answer; anyone may claim the task again."""
        self._move(Action.RESUBMIT)
        self.record_applicant_material(message, documents)
        return self.queued_event("resubmitted", due_at)

    def record_applicant_material(self, message: str, documents: list[dict[str, Any]]) -> None:
        """Keep what the applicant sent, whatever the state (no transition, no new version)."""
        if message:
            self.messages.append({"at": _now().isoformat(), "text": message})
        self.documents.extend(documents)

    def withdraw(self) -> None:
        """The applicant withdrew: no event of ours (intake already announced it)."""
        self._move(Action.WITHDRAW)

    # Committee path.

    def refer(self, spec: Kind, session_id: UUID | None, session_date: date | None) -> ReviewReferredToCommittee:
        self.check_refer(spec)
        self._move(Action.REFER_TO_COMMITTEE)
        self.session_id = session_id
        return ReviewReferredToCommittee(**self._event_fields(), session_id=session_id, session_date=session_date)

    def record_opinion(self, member: str, opinion: committee.Opinion | str, motive: str,
                       given: Sequence[Mapping[str, Any]] = ()) -> CommitteeOpinionRecorded:
        """A member's opinion, one per round (``given``: the round's opinions so far; the
        repository's unique key settles two at once). Version + 1."""
        opinion = committee.Opinion(opinion)
        motive = required_text("motive", motive)
        self.check_opinion(member, given)
        self._touch()
        return CommitteeOpinionRecorded(**self._event_fields(), member=member, opinion=opinion.value, motive=motive)

    def publish(
        self, by: str, opinions: Sequence[tuple[str, str]], session_date: date | None
    ) -> tuple[CommitteeOpinionPublished, ReviewDecided | None]:
        """Publish the round's aggregated (most severe) opinion. Adjourned: the file waits for
        the next round. Otherwise the task is decided."""
        self.check_publish(opinions)
        opinion = committee.aggregate([given for given, _ in opinions])
        motive = committee.aggregated_motive(opinions, opinion)
        if opinion == committee.Opinion.ADJOURNED:
            self._move(Action.ADJOURN)
            self.committee_round += 1
            return self._published(opinion, motive, session_date), None
        # Publication and decision are two changes with two versions, so a consumer that takes
        # them in either order still ends on the decision.
        self._touch()
        published = self._published(opinion, motive, session_date)
        decided = self._decided(by, committee.OUTCOME_OF[opinion], motive, committee_opinion=opinion.value)
        return published, decided

    def contest_decision(self, motive: str, at: datetime, due_at: datetime | None = None) -> ReviewTaskQueued:
        """The applicant contests the committee's decision (once): the task is reviewed again."""
        if self.contested:
            raise Conflict("This decision has already been contested.")
        previous_decision = self.decision
        self._move(Action.CONTEST)
        self.contested = True
        self.contest = {"motive": motive, "at": at.isoformat(), "previous_decision": previous_decision}
        self.decision = None
        self.committee_round += 1
        return self.queued_event("contested", due_at)

    # Finance path.

    def record_step(self, by: str, spec: Kind, step: str, note: str | None) -> ReviewStepRecorded:
        self.check_step(spec)
        checked = finance.check_next_step(self.step_names, step)
        note = note.strip() if note and note.strip() else None
        self._move(Action.RECORD_STEP)
        self.steps.append({"step": checked.value, "note": note, "by": by, "at": self.updated_at.isoformat()})
        return ReviewStepRecorded(**self._event_fields(), step=checked.value, note=note, contact=self.contact)

    # Internals.

    def _decided(self, by: str, outcome: str, text: str, **extra: Any) -> ReviewDecided:
        self._move(Action.DECIDE)
        self.decision = {"outcome": outcome, "text": text, "by": by, "at": self.updated_at.isoformat(), **extra}
        parcel = self.details if outcome == Outcome.NOTE_ISSUED else None
        return ReviewDecided(**self._event_fields(), outcome=outcome, text=text, contact=self.contact, parcel=parcel,
                             **extra)

    def _published(self, opinion: committee.Opinion, motive: str, session_date: date | None) -> CommitteeOpinionPublished:
        return CommitteeOpinionPublished(**self._event_fields(), opinion=opinion.value, motive=motive,
                                         session_date=session_date)

    def _move(self, action: Action) -> None:
        self.status = next_status(self.status, action)
        self._touch()

    def _touch(self) -> None:
        self.version += 1
        self.updated_at = _now()

    @property
    def contact(self) -> Contact | None:
        """Whom the applicant's emails go to (events that trigger one carry it)."""
        try:
            return Contact.model_validate(self.applicant)
        except ValidationError:  # a task opened from an older event without a full applicant
            return None

    def _event_fields(self) -> dict[str, Any]:
        return {
            "task_id": self.id,
            "tracking_number": self.tracking_number,
            "kind": self.kind,
            "status": self.status,
            "version": self.version,
        }
