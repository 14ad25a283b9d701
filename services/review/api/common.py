"""What every router shares: roles, the acting staff member, and the task answer."""

from __future__ import annotations

from datetime import datetime

from services.review.api.models import DeadlineOut, TaskOut
from services.review.deps import ReviewDeps
from services.review.domain.commands import Actor
from services.review.domain.deadlines import Deadline
from services.review.domain.task import Task
from shared.auth import Staff, require_roles

READERS = require_roles("reviewer", "committee", "supervisor", "finance", "ops")
CLAIMERS = require_roles("reviewer", "supervisor", "finance")
DECIDERS = require_roles("reviewer", "committee", "supervisor", "finance")
FINANCE = require_roles("finance")
REFERRERS = require_roles("reviewer", "supervisor")
SUPERVISORS = require_roles("supervisor")
MEMBERS = require_roles("committee")
DOWNLOADERS = require_roles("reviewer", "committee", "supervisor", "finance")
AUDITORS = require_roles("supervisor", "ops", "reviewer", "committee", "finance")


def actor(staff: Staff) -> Actor:
    return Actor(sub=staff.sub, supervisor=bool(staff.roles & {"supervisor", "admin"}), roles=staff.roles)


def task_out(task: Task, deadlines: list[Deadline], deps: ReviewDeps, at: datetime | None = None) -> TaskOut:
    at = at or deps.clock()
    kinds = deps.catalogue.kinds
    return TaskOut(
        **{name: getattr(task, name) for name in TaskOut.model_fields if hasattr(task, name) and name != "deadlines"},
        review_path=kinds[task.kind].review_path if task.kind in kinds else "reviewer",
        deadlines=[DeadlineOut(**d.view(at, deps.calendar)) for d in deadlines],
    )
