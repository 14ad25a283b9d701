"""A task as one staff member sees it at one moment: the stored task and its deadlines, and what
review's rules say of it for that person (deadline state, what they may do, the finance stage,
the committee round, the timeline). Pure: the handlers bring the data, the API shapes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.review.domain import committee, finance
from services.review.domain.allowed import AllowedAction, allowed_actions
from services.review.domain.audit import changed_the_task
from services.review.domain.commands import Actor
from services.review.domain.deadlines import Deadline, DeadlineState, deadline_state, due_at_of
from services.review.domain.task import Task
from shared.calendar import WorkingCalendar
from shared.catalogue import Kind
from shared.policy import Policy

DEFAULT_REVIEW_PATH = "reviewer"  # a kind the catalogue no longer has


@dataclass(frozen=True)
class Seeing:
    """Who looks, when, and with which rules: the same for every task of one answer."""

    actor: Actor
    at: datetime
    policy: Policy
    calendar: WorkingCalendar
    margin_days: int  # the deadline alerts' margin (LAMADI_DEADLINE_MARGIN_DAYS)


@dataclass(frozen=True)
class TaskView:
    task: Task
    deadlines: list[Deadline]
    at: datetime
    review_path: str
    deadline_state: DeadlineState
    due_at: datetime | None
    allowed_actions: list[AllowedAction]
    finance_stage: finance.Stage | None
    committee: committee.RoundView | None  # committee kinds: the current round
    history: list[Mapping[str, Any]] = field(default_factory=list)  # its audit trail (details only)

    @property
    def timeline(self) -> list[Mapping[str, Any]]:
        """The history entries that changed the task (not downloads, nor messages that changed nothing)."""
        return [entry for entry in self.history if changed_the_task(entry["action"])]


def view_task(task: Task, deadlines: list[Deadline], spec: Kind | None, seeing: Seeing, *,
              opinions: Sequence[Mapping[str, Any]] = (), history: Sequence[Mapping[str, Any]] = ()) -> TaskView:
    """``opinions``: the task's committee opinions (any rounds); ``history``: its audit trail,
    for a detail (the timeline keeps the entries that changed the task)."""
    path = spec.review_path if spec is not None else DEFAULT_REVIEW_PATH
    round_ = committee.round_view(opinions, task.committee_round) if path == "committee" else None
    return TaskView(
        task=task, deadlines=deadlines, at=seeing.at, review_path=path,
        deadline_state=deadline_state(deadlines, task.status, seeing.at, seeing.margin_days, seeing.calendar),
        due_at=due_at_of(deadlines, task.status, seeing.calendar),
        allowed_actions=allowed_actions(task, spec, seeing.policy, seeing.actor, round_.opinions if round_ else ()),
        finance_stage=finance.stage_of(task.status, task.step_names, task.decision) if path == "finance" else None,
        committee=round_,
        history=list(history),
    )
