"""The applicant's view of a filing, kept current from review and notification events.

Review events carry the task's version; only a newer version moves the public status, so
events taken out of order never move a filing backwards. Withdrawn is final; closed is final
too, unless the applicant contested the decision, which reopens review (shared.lifecycle
Action.CONTEST): then newer review versions move it again.

Staff names never reach the public view: a member's own opinion is not shown (only the
committee's published opinion is), and no step keeps the assignee or member."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from services.intake.domain.follow_ups import contest_refusal
from shared.lifecycle import Action, Status, allows

FINAL = frozenset({Status.WITHDRAWN, Status.CLOSED})
FINAL_AFTER_CONTEST = frozenset({Status.WITHDRAWN})
HIDDEN_STEPS = frozenset({"opinion_recorded"})  # one member's opinion: internal until published
DECISION_EXTRAS = ("note", "preliminary_observations", "committee_opinion")
ApplicantAction = Literal["answer", "withdraw", "contest"]


def status_after_review_event(current: Status, known_version: int, event_status: Status, event_version: int,
                              decision_emailed: bool, contested: bool = False) -> Status | None:
    """New public status after a review event, or None to keep the current one."""
    final = FINAL_AFTER_CONTEST if contested else FINAL
    if current in final or event_version <= known_version:
        return None
    if event_status == Status.DECIDED and decision_emailed:
        return Status.CLOSED  # the decision email went out before this event was applied
    return event_status


def status_after_decision_email(current: Status) -> Status | None:
    """The applicant has been told: a decided filing is closed."""
    return Status.CLOSED if current == Status.DECIDED else None


def step_of(event_type: str) -> str:
    """``review.task_queued.v1`` -> ``queued``; ``committee.opinion_published.v1`` -> ``opinion_published``."""
    return event_type.split(".")[1].removeprefix("task_")


def public_detail(step: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the applicant may see of a review step: never a staff member's name."""
    if step == "observations_issued":
        return {"observations": data["observations"]}
    if step == "decided":
        return {"outcome": data["outcome"]}
    if step == "referred_to_committee":
        return {"session_date": data.get("session_date")}
    if step == "step_recorded":
        return {"step": data["step"]}
    if step == "opinion_published":
        return {"opinion": data["opinion"], "motive": data["motive"], "session_date": data.get("session_date")}
    return {}


def decision_of(data: dict[str, Any], at: datetime, event_id: UUID) -> dict[str, Any]:
    """The decision as stored: outcome, text and the kind's extras (note, observations, opinion).
    ``event_id`` ties the decision email to it; it is not shown to the applicant."""
    extras = {name: data[name] for name in DECISION_EXTRAS if data.get(name)}
    return {"outcome": data["outcome"], "text": data["text"], "at": at.isoformat(), **extras,
            "event_id": str(event_id)}


def public_decision(decision: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if decision is None else {k: v for k, v in decision.items() if k != "event_id"}


def applicant_actions(*, review_path: str, status: str, decision: Mapping[str, Any] | None,
                      contested: bool) -> list[ApplicantAction]:
    """What the applicant may do next, as the commands decide it: answer observations (the
    lifecycle's resubmit), withdraw (its withdraw), contest (``contest_refusal``, then its contest)."""
    actions: list[ApplicantAction] = []
    if allows(status, Action.RESUBMIT):
        actions.append("answer")
    if allows(status, Action.WITHDRAW):
        actions.append("withdraw")
    if contest_refusal(review_path=review_path, status=status, decision=decision, contested=contested) is None \
            and allows(status, Action.CONTEST):
        actions.append("contest")
    return actions
