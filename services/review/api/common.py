"""What every router shares: roles, the acting staff member, and the task answer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import Depends

from services.review.api.models import (
    AllowedActionOut,
    CommitteeRoundOut,
    DeadlineOut,
    HistoryEntry,
    OpinionOut,
    TaskDetail,
    TaskOut,
)
from services.review.api.paths import action_path
from services.review.deps import ReviewDeps
from services.review.domain.commands import Actor
from services.review.domain.views import TaskView
from shared.auth import Staff, require


def staff_who_may(action: str):
    """A route's staff member: authenticated, and allowed ``action`` on some kind by the policy
    (the handler then checks the kind of the task itself)."""
    return Annotated[Staff, Depends(require(action))]


Reader, Auditor, Downloader = staff_who_may("read"), staff_who_may("audit"), staff_who_may("download")
Claimer, Observer, Decider = staff_who_may("claim"), staff_who_may("observe"), staff_who_may("decide")
Cashier, Referrer = staff_who_may("record_step"), staff_who_may("refer")
Member, Publisher = staff_who_may("record_opinion"), staff_who_may("publish")
Assigner = staff_who_may("assign")
SessionReader, SessionOpener = staff_who_may("sessions"), staff_who_may("open_session")


def actor(staff: Staff, deps: ReviewDeps) -> Actor:
    return Actor(sub=staff.sub, acts_for_others=deps.policy.acts_for_others(staff.roles), roles=staff.roles)


def task_out(view: TaskView, deps: ReviewDeps, staff: Staff) -> TaskOut:
    """The task as this staff member may see it: without the applicant's personal data (name,
    contact, filing details, their messages, document names) for roles that do not see it."""
    task, round_ = view.task, view.committee
    fields = {name: getattr(task, name) for name in TaskOut.model_fields if hasattr(task, name) and name != "deadlines"}
    if not deps.policy.sees_personal_data(staff.roles, task.kind):
        fields |= {"applicant": {}, "details": {}, "messages": [],
                   "documents": [{k: v for k, v in d.items() if k != "name"} for d in task.documents]}
    return TaskOut(
        **fields,
        review_path=view.review_path,
        deadlines=[DeadlineOut(**d.view(view.at, deps.calendar)) for d in view.deadlines],
        deadline_state=view.deadline_state,
        due_at=view.due_at,
        allowed_actions=[AllowedActionOut(**asdict(allowed), path=action_path(allowed.action, task.id))
                         for allowed in view.allowed_actions],
        finance_stage=view.finance_stage,
        committee=None if round_ is None else CommitteeRoundOut(
            round=round_.round, opinions=[OpinionOut(**o) for o in round_.opinions], aggregate=round_.aggregate,
            severity=list(round_.severity)),
    )


def task_detail(view: TaskView, deps: ReviewDeps, staff: Staff) -> TaskDetail:
    return TaskDetail(
        **task_out(view, deps, staff).model_dump(),
        history=[HistoryEntry(**entry) for entry in view.history],
        timeline=[HistoryEntry(**entry) for entry in view.timeline],
    )
