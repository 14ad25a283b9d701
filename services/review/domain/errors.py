"""What the review domain refuses, besides illegal transitions (shared.lifecycle.IllegalTransition)."""

from __future__ import annotations


class DomainError(Exception):
    """A command the aggregate refuses for a reason other than the lifecycle."""


class InvalidInput(DomainError):
    """422: a field is missing or wrong."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class NotAssignee(DomainError):
    """403: only the assignee or a supervisor may act."""


class Forbidden(DomainError):
    """403: the task's kind needs another role (e.g. finance for supplier invoices)."""


class TaskNotFound(DomainError):
    """404 (API) or a retried event (consumer): there is no such task yet."""


class NotFound(DomainError):
    """404: a session or a document that is not there."""


class Conflict(DomainError):
    """409: the command does not fit the task's state (e.g. finance steps out of order)."""
