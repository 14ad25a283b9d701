"""Application logic: one async function per event consumed or staff command.

Each change is one transaction: lock the task, apply the aggregate method, bring its
deadlines in line, save it, append a history (audit) row, and add the outgoing events to
the outbox."""

from services.review.handlers.committee import (
    open_session,
    publish_opinion,
    record_opinion,
    refer_task,
    sessions,
    task_opinions,
)
from services.review.handlers.common import CALENDAR, Clock, system_clock
from services.review.handlers.deadlines import scan_deadlines
from services.review.handlers.events import open_task, reopen_contested, take_resubmission, withdraw_task
from services.review.handlers.queries import audit_trail, find_tasks, open_document, task_with_history
from services.review.handlers.staff import claim_task, decide_task, issue_observations, record_step

__all__ = [
    "CALENDAR", "Clock", "audit_trail", "claim_task", "decide_task", "find_tasks", "issue_observations",
    "open_document", "open_session", "open_task", "publish_opinion", "record_opinion", "record_step",
    "refer_task", "reopen_contested", "scan_deadlines", "sessions", "system_clock", "take_resubmission",
    "task_opinions", "task_with_history", "withdraw_task",
]
