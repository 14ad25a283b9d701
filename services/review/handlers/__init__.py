"""Application logic: one async function per event consumed, staff command or query, each
``verb_noun(message, uow, deps)``; what they share is private (``_common.py``).

A change is one unit of work: lock the task, apply the aggregate method, bring its deadlines
in line, save it, append a history (audit) row, and emit the outgoing events."""

from services.review.handlers.committee import (
    list_sessions,
    list_task_opinions,
    open_session,
    publish_opinion,
    record_opinion,
    refer_task,
)
from services.review.handlers.deadlines import emit_deadline_alert, find_due_alerts
from services.review.handlers.events import open_task, reopen_contested, take_resubmission, withdraw_task
from services.review.handlers.queries import find_tasks, open_document, show_audit_trail, show_task
from services.review.handlers.staff import assign_task, claim_task, decide_task, issue_observations, record_step

__all__ = [
    "assign_task", "claim_task", "decide_task", "emit_deadline_alert", "find_due_alerts", "find_tasks",
    "issue_observations", "list_sessions", "list_task_opinions", "open_document", "open_session", "open_task",
    "publish_opinion", "record_opinion", "record_step", "refer_task", "reopen_contested", "show_audit_trail",
    "show_task", "take_resubmission", "withdraw_task",
]
