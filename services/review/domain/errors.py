"""What the review domain refuses, besides illegal transitions (shared.lifecycle.IllegalTransition).
Each is one of the shared domain errors, which shared/problems.py maps to HTTP answers."""

from __future__ import annotations

from shared import errors
from shared.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

__all__ = ["Conflict", "DomainError", "Forbidden", "InvalidInput", "NotAssignee", "NotFound", "TaskNotFound"]


class NotAssignee(errors.Forbidden):
    """Only the assignee or a supervisor may act."""

    title = "Not your task"


class TaskNotFound(errors.NotFound):
    """404 (API) or a retried event (consumer): there is no such task yet."""
