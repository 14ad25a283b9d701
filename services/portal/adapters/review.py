"""Review's staff API as the staff pages call it, with the signed-in person's token
(``acting_for``): tasks (the list with its filters, one task, its audit trail, a document), the
actions review offers on a task (posted where review says), assignment, committee sessions."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.portal.adapters.review_models import (
    AllowedAction,
    AuditTrail,
    HistoryEntry,
    Session,
    Sessions,
    Task,
    TaskDetail,
    TaskPage,
)
from services.portal.adapters.upstream import Download, ServiceClient, UpstreamRefused, UpstreamUnavailable

TASKS = "/api/v1/tasks"
SESSIONS = "/api/v1/committee/sessions"


class ReviewUnavailable(UpstreamUnavailable):
    """Review did not answer (down, too slow, or a server error)."""


class ReviewRefused(UpstreamRefused):
    """Review answered with a problem (4xx)."""


class ReviewClient(ServiceClient):
    service, refused, unavailable = "review", ReviewRefused, ReviewUnavailable

    async def tasks(self, *, limit: int, offset: int = 0, sort: str = "due_at", kind: str | None = None,
                    status: str | None = None, assignee: str | None = None, overdue: bool = False,
                    due_before: date | None = None, session_id: UUID | None = None,
                    finance_stage: str | None = None) -> TaskPage:
        """One page of the tasks the person may read, with review's filters (None: not filtered)."""
        params = {"limit": limit, "offset": offset, "sort": sort, "kind": kind, "status": status,
                  "assignee": assignee, "overdue": "true" if overdue else None,
                  "due_before": due_before.isoformat() if due_before else None,
                  "session_id": str(session_id) if session_id else None, "finance_stage": finance_stage}
        return await self._model(TaskPage, "GET", TASKS,
                                 params={name: value for name, value in params.items() if value is not None})

    async def task(self, task_id: UUID) -> TaskDetail:
        return await self._model(TaskDetail, "GET", f"{TASKS}/{task_id}")

    async def audit(self, task_id: UUID) -> list[HistoryEntry]:
        return (await self._model(AuditTrail, "GET", f"{TASKS}/{task_id}/audit")).root

    async def document(self, task_id: UUID, sha256: str) -> Download:
        """A document of the task, streamed (review audits the download)."""
        return await self._download(f"{TASKS}/{task_id}/documents/{sha256}")

    async def perform(self, offered: AllowedAction, body: dict | None) -> Task:
        """An action review offered, posted where it said (its ``path``) with ``body``."""
        if not offered.path.startswith(TASKS + "/"):  # the person's token goes to review's tasks only
            raise self.unavailable(f"review: an action at an unexpected path ({offered.action})")
        return await self._model(Task, "POST", offered.path, json=body)

    async def assign(self, task_id: UUID, assignee: str) -> Task:
        """Assignment of a task from the work queue (several at once), without its page."""
        return await self._model(Task, "POST", f"{TASKS}/{task_id}/assign", json={"assignee": assignee})

    async def sessions(self) -> list[Session]:
        """Committee sessions, latest first."""
        return (await self._model(Sessions, "GET", SESSIONS)).root

    async def open_session(self, session_date: str) -> Session:
        """``session_date`` as typed (review says if it is no date: a 422 naming the field)."""
        return await self._model(Session, "POST", SESSIONS, json={"session_date": session_date})
