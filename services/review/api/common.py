"""What every router shares: roles, the acting staff member, and the task answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends

from services.review.api.models import DeadlineOut, TaskOut
from services.review.deps import ReviewDeps
from services.review.domain.commands import Actor
from services.review.domain.deadlines import Deadline
from services.review.domain.task import Task
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


def actor(staff: Staff) -> Actor:
    return Actor(sub=staff.sub, supervisor=bool(staff.roles & {"supervisor", "admin"}), roles=staff.roles)


def task_out(task: Task, deadlines: list[Deadline], deps: ReviewDeps, staff: Staff,
             at: datetime | None = None) -> TaskOut:
    """The task as this staff member may see it: without the applicant's personal data (name,
    contact, filing details, their messages, document names) for roles that do not see it."""
    at = at or deps.clock()
    kinds = deps.catalogue.kinds
    fields = {name: getattr(task, name) for name in TaskOut.model_fields if hasattr(task, name) and name != "deadlines"}
    if not deps.policy.sees_personal_data(staff.roles, task.kind):
        fields |= {"applicant": {}, "details": {}, "messages": [],
                   "documents": [{k: v for k, v in d.items() if k != "name"} for d in task.documents]}
    return TaskOut(
        **fields,
        review_path=kinds[task.kind].review_path if task.kind in kinds else "reviewer",
        deadlines=[DeadlineOut(**d.view(at, deps.calendar)) for d in deadlines],
    )
