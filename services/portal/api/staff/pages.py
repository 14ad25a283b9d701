"""What every staff page shares: its menu (only the pages the person's roles allow), the
rendering with the person in the layout, and the deadline state of a task."""

from __future__ import annotations

from datetime import datetime

from fastapi.responses import HTMLResponse

from services.portal.api.staff.session import StaffContext
from shared.policy import Policy

APPROACHING_DAYS = 2  # as review's alerts (LAMADI_DEADLINE_MARGIN_DAYS)
# (path, label, the policy action that opens it)
MENU = (
    ("/staff/tasks", "Work queue", "read"),
    ("/staff/committee", "Committees", "sessions"),
    ("/staff/finance", "Supplier invoices", "record_step"),
    ("/staff/replies", "Standard replies", "replies"),
    ("/ops/queues", "Queues", "queues"),
    ("/ops/services", "Services", "queues"),
    ("/ops/deliveries", "Emails", "deliveries"),
    ("/ops/reports", "Daily reports", "reports"),
    ("/staff/admin", "Staff directory", "directory"),
)


def menu_of(roles: frozenset[str], policy: Policy) -> list[tuple[str, str]]:
    return [(path, label) for path, label, action in MENU if policy.allows(roles, action)]


def home_of(roles: frozenset[str], policy: Policy) -> str:
    entries = menu_of(roles, policy)
    return entries[0][0] if entries else "/staff/account"


def staff_page(staff: StaffContext, template: str, context: dict, *, status: int = 200,
               headers: dict[str, str] | None = None) -> HTMLResponse:
    menu = menu_of(staff.roles, staff.deps.policy)
    return staff.web.render(template, {"staff": staff, "menu": menu, "kinds_of": staff.deps.catalogue.kinds,
                                       "documents_of": staff.deps.catalogue.documents, **context},
                            status=status, headers=headers)


def deadline_state(task: dict, now: datetime | None = None) -> str:
    """on_time, approaching, overdue, paused, or met (no open deadline), from review's deadlines."""
    open_ = [d for d in task.get("deadlines", []) if not d.get("met_at")]
    if not open_ or task.get("status") in ("decided", "closed", "withdrawn"):
        return "met"
    if any(d["overdue"] for d in open_):
        return "overdue"
    if all(d["paused"] for d in open_):
        return "paused"
    return "approaching" if min(d["days_left"] for d in open_) <= APPROACHING_DAYS else "on_time"


def nearest_due(task: dict) -> str | None:
    due = [d["due_at"] for d in task.get("deadlines", []) if not d.get("met_at")]
    return min(due) if due else None
