"""What every router shares: roles, the acting staff member, domain errors as problems,
the pool and the clock, and the task answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from fastapi import Request

from services.review.api.models import DeadlineOut, TaskOut
from services.review.domain.commands import Actor
from services.review.domain.deadlines import Deadline
from services.review.domain.errors import Conflict, Forbidden, InvalidInput, NotAssignee, NotFound, TaskNotFound
from services.review.domain.task import Task
from services.review.handlers import CALENDAR
from shared.auth import Staff, require_roles
from shared.catalogue import default_catalogue
from shared.problems import Problem

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


def pool(request: Request):
    return request.app.state.runtime.pool


def now(request: Request) -> datetime:
    return request.app.state.clock()


def task_out(task: Task, deadlines: list[Deadline], at: datetime) -> TaskOut:
    kinds = default_catalogue().kinds
    return TaskOut(
        **{name: getattr(task, name) for name in TaskOut.model_fields if hasattr(task, name) and name != "deadlines"},
        review_path=kinds[task.kind].review_path if task.kind in kinds else "reviewer",
        deadlines=[DeadlineOut(**d.view(at, CALENDAR)) for d in deadlines],
    )


@contextmanager
def domain_problems() -> Iterator[None]:
    try:
        yield
    except (TaskNotFound, NotFound) as exc:
        raise Problem(404, "Not found", str(exc)) from None
    except NotAssignee as exc:
        raise Problem(403, "Not your task", str(exc)) from None
    except Forbidden as exc:
        raise Problem(403, "Forbidden", str(exc)) from None
    except Conflict as exc:
        raise Problem(409, "Conflict", str(exc)) from None
    except InvalidInput as exc:
        raise Problem(422, "Invalid request", exc.message,
                      errors=[{"field": exc.field, "message": exc.message, "code": "invalid"}]) from None
