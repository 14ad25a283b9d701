"""A task's page: the filing, its documents, deadline clock, committee round, timeline and audit
trail, and exactly the actions review offers this person on it now, each a form generated from
what the action takes (domain/task_forms.py). Each action posts where review said, with the
person's token; a refusal (409, 422) is shown on the page, a 403 as a refused page: review
decides, the page only follows."""

from __future__ import annotations

import asyncio
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal import handlers
from services.portal.adapters.review import ReviewRefused
from services.portal.adapters.review_models import Session, TaskDetail
from services.portal.api.staff.colleagues import Colleague, colleagues, holding, names_of
from services.portal.api.staff.pages import PREVIEWABLE, staff_page
from services.portal.api.staff.session import Signed, StaffContext
from services.portal.domain import commands, labels, task_forms
from services.portal.domain.errors import PageNotFound, PageRefused
from shared.policy import TASK_ACTIONS
from shared.unit_of_work import run

router = APIRouter(include_in_schema=False)
REPLY_FIELDS = ("text", "observations")  # the texts to the applicant a standard reply may start
SESSION_FIELD = "session_id"  # a choice among the committee's sessions (review's contract)
ASSIGNEE_FIELD = "assignee"  # a choice among colleagues holding the action's assignable roles


async def _nothing() -> None:
    return None


async def _page(staff: StaffContext, task_id: UUID, *, errors: dict | None = None, detail: str = "",
                values: dict | None = None, status: int = 200) -> HTMLResponse:
    task = await staff.review.task(task_id)
    wants_sessions = any(f.name == SESSION_FIELD for offer in task.allowed_actions for f in offer.fields)
    audit, sessions, people, replies = await asyncio.gather(
        staff.review.audit(task_id) if staff.may("audit", task.kind) else _nothing(),
        staff.review.sessions() if wants_sessions else _nothing(),
        colleagues(staff),
        run(handlers.list_replies, commands.ListReplies([task.kind]), staff.deps))
    forms = _forms(task, people, sessions or [])
    values = dict(values or {})
    if task.assignee:
        values.setdefault(ASSIGNEE_FIELD, task.assignee)
    chosen = staff.web.request.query_params.get("reply")
    for reply in replies:
        if str(reply["id"]) == chosen:
            for name in REPLY_FIELDS:
                values.setdefault(name, reply["body"])
    takes_reply = any(f.name in REPLY_FIELDS for form in forms for f in form.fields)
    done = staff.web.request.query_params.get("done")
    return await staff_page(staff, "staff/task.html", {
        "task": task, "forms": forms, "audit": audit, "names": names_of(people),
        "replies": replies if takes_reply else [], "errors": errors or {}, "detail": detail, "values": values,
        "done": done if done in labels.TASK_DONE else None, "hints": labels.TASK_HINTS,
        "previewable": PREVIEWABLE}, status=status)


def _forms(task: TaskDetail, people: list[Colleague], sessions: list[Session]) -> list[task_forms.ActionForm]:
    session_choices = [(str(s.id), s.session_date.strftime("%d/%m/%Y")) for s in sessions]
    return [task_forms.action_form(offer, {ASSIGNEE_FIELD: holding(people, offer.assignable_roles),
                                           SESSION_FIELD: session_choices})
            for offer in task.allowed_actions]


@router.get("/staff/tasks/{task_id}", response_class=HTMLResponse)
async def task_page(task_id: UUID, staff: Signed):
    return await _page(staff, task_id)


# After task_files' routes (the routers' order in __init__.py): /note-preview is no action.
@router.post("/staff/tasks/{task_id}/{action}", response_class=HTMLResponse)
async def task_action(task_id: UUID, action: str, staff: Signed):
    """One of the actions review offers on the task (its name: claim, decide, record_step…)."""
    if action not in TASK_ACTIONS:
        raise PageNotFound()
    form = await staff.web.form()
    values = {name: value for name, value in form.items() if isinstance(value, str) and name != "csrftoken"}
    task = await staff.review.task(task_id)
    offered = task.offered(action)
    if offered is None:  # not, or no longer, for this person: their roles, or the task's state
        if not staff.may(action, task.kind):
            raise PageRefused(action)
        return await _page(staff, task_id, errors={"action": "refused"}, values=values, status=409)
    try:
        await staff.review.perform(offered, task_forms.body_of(offered.fields, form))
    except ReviewRefused as refused:
        if refused.status not in (409, 422):
            raise
        errors = task_forms.errors_of(offered.fields, refused.errors) or {"action": "refused"}
        return await _page(staff, task_id, errors=errors, detail=refused.detail, values=values,
                           status=refused.status)
    return staff.redirect("task_page", task_id=task_id, query={"done": action})
