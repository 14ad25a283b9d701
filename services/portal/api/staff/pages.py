"""What every staff page shares: its menu (only the pages the person's roles allow) and the
rendering with the person, the menu and intake's catalogue in the layout."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

from services.portal.api.staff.session import StaffContext
from shared.policy import Policy

# (route, label, the policy action that opens it)
MENU = (
    ("work_queue", "Work queue", "read"),
    ("committee_sessions", "Committees", "sessions"),
    ("supplier_invoices", "Supplier invoices", "record_step"),
    ("standard_replies", "Standard replies", "replies"),
    ("ops_queues", "Queues", "queues"),
    ("ops_services", "Services", "queues"),
    ("ops_deliveries", "Emails", "deliveries"),
    ("ops_reports", "Daily reports", "reports"),
    ("staff_directory", "Staff directory", "directory"),
)
# Documents a browser shows inline (in a frame of the task's pages); others are downloaded.
PREVIEWABLE = frozenset({"application/pdf", "image/png", "image/jpeg"})


def menu_of(roles: frozenset[str], policy: Policy) -> list[tuple[str, str]]:
    """(route, label) of the pages these roles open."""
    return [(route, label) for route, label, action in MENU if policy.allows(roles, action)]


def home_of(roles: frozenset[str], policy: Policy) -> str:
    """The route of the first page these roles open (their account page if none)."""
    entries = menu_of(roles, policy)
    return entries[0][0] if entries else "staff_account"


async def staff_page(staff: StaffContext, template: str, context: dict, *, status: int = 200,
                     headers: dict[str, str] | None = None) -> HTMLResponse:
    return staff.web.render(template, {"staff": staff, "menu": menu_of(staff.roles, staff.deps.policy),
                                       "catalogue": await staff.catalogue(), **context},
                            status=status, headers=headers)
