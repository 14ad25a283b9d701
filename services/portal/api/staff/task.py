"""A task's page: the filing, its documents, deadline clock, committee round, timeline and audit
trail, and exactly the actions review offers this person on it now, each a form generated from
what the action takes (domain/task_forms.py). Each action posts where review said, with the
person's token; a refusal (409, 422) is shown on the page, a 403 as a refused page: review
decides, the page only follows.

The documents the agency issued for the filing (the notifier's register) are listed too, with,
for roles that hold the policy action ``revoke``, a form to revoke each valid one and one to
correct a valid information note (domain/issued.py); the notifier decides, as review does for
the actions."""

from __future__ import annotations

import asyncio
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal import handlers
from services.portal.adapters.notifier import NotifierRefused, NotifierUnavailable
from services.portal.adapters.notifier_models import IssuedDocument
from services.portal.adapters.review import ReviewRefused
from services.portal.adapters.review_models import Session, TaskDetail
from services.portal.api.staff.colleagues import Colleague, colleagues, holding, names_of
from services.portal.api.staff.pages import PREVIEWABLE, staff_page
from services.portal.api.staff.session import Signed, StaffContext
from services.portal.domain import commands, issued, labels, task_forms
from services.portal.domain.errors import PageNotFound, PageRefused
from shared.policy import TASK_ACTIONS
from shared.unit_of_work import run

router = APIRouter(include_in_schema=False)
REPLY_FIELDS = ("text", "observations")  # the texts to the applicant a standard reply may start
SESSION_FIELD = "session_id"  # a choice among the committee's sessions (review's contract)
ASSIGNEE_FIELD = "assignee"  # a choice among colleagues holding the action's assignable roles


async def _nothing() -> None:
    return None


async def _issued(staff: StaffContext, tracking_number: str) -> list[IssuedDocument] | None:
    """The filing's issued documents; None when the notifier does not answer (the rest of the
    page still shows), none when it refuses them to this person."""
    try:
        return await staff.notifier.documents(tracking_number)
    except NotifierUnavailable:
        return None
    except NotifierRefused as refused:
        if refused.status in (403, 404):
            return []
        raise


async def _page(staff: StaffContext, task_id: UUID, *, errors: dict | None = None, detail: str = "",
                values: dict | None = None, status: int = 200,
                change: issued.IssuedChange | None = None) -> HTMLResponse:
    task = await staff.review.task(task_id)
    wants_sessions = any(f.name == SESSION_FIELD for offer in task.allowed_actions for f in offer.fields)
    audit, sessions, people, replies, documents = await asyncio.gather(
        staff.review.audit(task_id) if staff.may("audit", task.kind) else _nothing(),
        staff.review.sessions() if wants_sessions else _nothing(),
        colleagues(staff),
        run(handlers.list_replies, commands.ListReplies([task.kind]), staff.deps),
        _issued(staff, task.tracking_number))
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
        "previewable": PREVIEWABLE, "issued": documents, "change": change,
        "may_revoke": staff.may("revoke", task.kind), "revocation_fields": issued.REVOCATION_FIELDS,
        "correction_fields": issued.CORRECTION_FIELDS, "correctable": issued.CORRECTABLE_KIND}, status=status)


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


@router.post("/staff/tasks/{task_id}/issued/{code}/revocation", response_class=HTMLResponse)
async def revoke_issued_document(task_id: UUID, code: str, staff: Signed):
    """Revokes one of the filing's issued documents, with a reason the verification page shows."""
    return await _change_issued(staff, task_id, code, issued.REVOCATION)


@router.post("/staff/tasks/{task_id}/issued/{code}/correction", response_class=HTMLResponse)
async def correct_information_note(task_id: UUID, code: str, staff: Signed):
    """Issues a corrected information note in place of this one (which the notifier revokes)."""
    return await _change_issued(staff, task_id, code, issued.CORRECTION)


async def _change_issued(staff: StaffContext, task_id: UUID, code: str, change: str) -> HTMLResponse:
    """A revocation or a correction: for a document of this task's filing only, by a person whose
    roles hold ``revoke``; the notifier decides (a document revoked already: 409)."""
    form = await staff.web.form()
    task = await staff.review.task(task_id)  # this person reads the task, or review refuses
    if not staff.may("revoke", task.kind):
        raise PageRefused("revoke")
    if not any(document.code == code for document in await staff.notifier.documents(task.tracking_number)):
        raise PageNotFound()
    fields = issued.FIELDS[change]
    values = {spec.name: value for spec in fields if isinstance(value := form.get(spec.name), str)}
    errors = issued.missing(change, {name: value.strip() for name, value in values.items()})
    if errors:
        return await _page(staff, task_id, status=422, change=issued.IssuedChange(code, change, values, errors))
    body = task_forms.body_of(fields, form) or {}
    try:
        if change == issued.REVOCATION:
            await staff.notifier.revoke(code, body["reason"])
        else:
            await staff.notifier.correct(code, body.get("facts", {}), body["reason"])
    except NotifierRefused as refused:
        if refused.status not in (409, 422):
            raise
        errors = task_forms.errors_of(fields, refused.errors) or {"action": "refused"}
        return await _page(staff, task_id, status=refused.status,
                           change=issued.IssuedChange(code, change, values, errors, refused.detail))
    return staff.redirect("task_page", task_id=task_id, query={"done": change})
