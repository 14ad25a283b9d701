"""A task's page: the filing, its documents (preview and download), timeline, audit trail and
deadline clock, and the actions the person's roles allow on its kind. Each action posts to the
review API with the person's token; a refusal (409, 422) is shown on the page, a 403 as a
refused page: the API decides, the buttons only follow the policy."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from services.portal import handlers
from services.portal.adapters.staff_api import StaffApiRefused
from services.portal.api.staff.committee_view import OPINIONS, aggregate
from services.portal.api.staff.pages import deadline_state, staff_page
from services.portal.api.staff.queue import colleagues
from services.portal.api.staff.session import Signed, StaffContext
from services.portal.api.web import see_other, text
from services.portal.domain import commands
from services.portal.domain.errors import PageNotFound
from shared.pdf import InformationNote, render_information_note
from shared.unit_of_work import run

router = APIRouter(include_in_schema=False)
PREVIEWABLE = {"application/pdf", "image/png", "image/jpeg"}
NOTE_FIELDS = ("zoning", "allowed_height_m", "setbacks", "servitudes", "remarks")
STATUS_CHANGES = {"enqueue", "claim", "issue_observations", "resubmit", "refer_to_committee", "decide", "close",
                  "withdraw", "record_step", "adjourn", "contest", "publish_opinion", "record_opinion", "assign"}
# The actions this page posts (review's API paths) → the history action each records, whose
# words (shared/vocabulary.toml) say what was done.
DONE = {"claim": "claim", "assign": "assign", "observations": "issue_observations", "decision": "decide",
        "refer": "refer_to_committee", "steps": "record_step", "opinions": "record_opinion",
        "publish": "publish_opinion"}


async def _load(staff: StaffContext, task_id: UUID) -> dict[str, Any]:
    task = await staff.call("review", "GET", f"/api/v1/tasks/{task_id}")
    kind = staff.deps.catalogue.kinds.get(task["kind"])
    path = kind.review_path if kind else "reviewer"
    calls = {
        "audit": staff.call("review", "GET", f"/api/v1/tasks/{task_id}/audit") if staff.may("audit", task["kind"]) else None,
        "opinions": staff.call("review", "GET", f"/api/v1/tasks/{task_id}/opinions") if path == "committee" else None,
        "sessions": staff.call("review", "GET", "/api/v1/committee/sessions")
        if path == "committee" and staff.may("refer", task["kind"]) and task["status"] == "in_review" else None,
    }
    found = dict(zip(calls, await asyncio.gather(*(c if c is not None else _none() for c in calls.values()))))
    replies = await run(handlers.list_replies, commands.ListReplies([task["kind"]]), staff.deps)
    return {"task": task, "kind": kind, "path": path, "replies": replies, **found}


async def _none() -> None:
    return None


def _actions(staff: StaffContext, task: dict, path: str, opinions: list | None) -> dict[str, bool]:
    kind, status, me = task["kind"], task["status"], staff.identity.sub
    mine = task["assignee"] == me or bool(staff.roles & {"supervisor", "admin"})
    round_opinions = [o for o in opinions or [] if o["round"] == task["committee_round"]]
    return {
        "claim": staff.may("claim", kind) and status == "queued",
        "assign": staff.may("assign", kind) and status in ("queued", "in_review", "awaiting_applicant", "in_committee"),
        "observe": staff.may("observe", kind) and status == "in_review" and mine,
        "decide": staff.may("decide", kind) and status == "in_review" and mine and path != "committee",
        "refer": staff.may("refer", kind) and status == "in_review" and mine and path == "committee",
        "step": staff.may("record_step", kind) and status == "in_review" and mine and path == "finance",
        "opinion": staff.may("record_opinion", kind) and status == "in_committee"
        and all(o["member"] != me for o in round_opinions),
        "publish": staff.may("publish", kind) and status == "in_committee" and bool(round_opinions),
    }


async def _page(staff: StaffContext, task_id: UUID, *, errors: dict | None = None,
                values: dict | None = None, status: int = 200) -> HTMLResponse:
    loaded = await _load(staff, task_id)
    task, opinions = loaded["task"], loaded["opinions"]
    values = dict(values or {})
    chosen = staff.web.request.query_params.get("reply")
    for reply in loaded["replies"]:
        if str(reply["id"]) == chosen:
            values.setdefault("text", reply["body"])
            values.setdefault("observations", reply["body"])
    round_opinions = [o for o in opinions or [] if o["round"] == task["committee_round"]]
    people = await colleagues(staff)
    done = staff.web.request.query_params.get("done")
    steps_done = [s["step"] for s in task["steps"]]
    return staff_page(staff, "staff/task.html", {
        **loaded, "actions": _actions(staff, task, loaded["path"], opinions), "state": deadline_state(task),
        "timeline": [h for h in task["history"] if h["action"] in STATUS_CHANGES],
        "round_opinions": round_opinions, "aggregate": aggregate([o["opinion"] for o in round_opinions]),
        "opinion_codes": OPINIONS, "next_step": next((s for s in ("verified", "approved_for_payment")
                                                      if s not in steps_done), None),
        "colleagues": people if staff.may("assign", task["kind"]) else [], "names": dict(people),
        "errors": errors or {}, "values": values, "done": DONE.get(done),
        "previewable": PREVIEWABLE}, status=status)


@router.get("/staff/tasks/{task_id}", response_class=HTMLResponse)
async def task_page(task_id: UUID, staff: Signed):
    return await _page(staff, task_id)


def _body(action: str, form) -> dict[str, Any] | None:
    if action == "assign":
        return {"assignee": text(form, "assignee")}
    if action == "observations":
        return {"observations": text(form, "observations")}
    if action == "decision":
        body: dict[str, Any] = {"outcome": text(form, "outcome"), "text": text(form, "text")}
        if body["outcome"] == "note_issued":
            body["note"] = note_facts(form)
        if body["outcome"] == "observations_issued":
            body["preliminary_observations"] = [line.strip() for line in text(form, "preliminary").splitlines()
                                                if line.strip()]
        return body
    if action == "refer":
        return {"session_id": text(form, "session_id") or None}
    if action == "steps":
        return {"step": text(form, "step"), "note": text(form, "note") or None}
    if action == "opinions":
        return {"opinion": text(form, "opinion"), "motive": text(form, "motive")}
    return None


def note_facts(form) -> dict[str, Any]:
    facts: dict[str, Any] = {name: text(form, name) for name in NOTE_FIELDS}
    try:
        facts["allowed_height_m"] = float(facts["allowed_height_m"].replace(",", "."))
    except ValueError:
        pass  # review names the field in its 422
    facts["remarks"] = facts["remarks"] or None
    return facts


@router.get("/staff/tasks/{task_id}/documents/{sha256}")
async def document(task_id: UUID, sha256: str, staff: Signed, inline: bool = False):
    """Streamed from review (which audits the download); shown inline only for PDF and images,
    framed by this site's pages alone."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise PageNotFound()
    file = await staff.download("review", f"/api/v1/tasks/{task_id}/documents/{sha256}")
    shown = inline and file.content_type in PREVIEWABLE
    name = (file.filename or sha256).replace('"', "")
    headers = {"Content-Disposition": f'{"inline" if shown else "attachment"}; filename="{name}"',
               "Cache-Control": "no-store"}
    if shown:  # the defaults deny every frame; this one may sit in the task page
        headers |= {"Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                                               "frame-ancestors 'self'", "X-Frame-Options": "SAMEORIGIN"}
    return StreamingResponse(file.chunks, media_type=file.content_type, headers=headers)


@router.get("/staff/tasks/{task_id}/documents/{sha256}/preview", response_class=HTMLResponse)
async def preview(task_id: UUID, sha256: str, staff: Signed):
    task = await staff.call("review", "GET", f"/api/v1/tasks/{task_id}")
    document = next((d for d in task["documents"] if d.get("sha256") == sha256), None)
    if document is None:
        raise PageNotFound()
    return staff_page(staff, "staff/preview.html", {"task": task, "document": document,
                                                             "previewable": PREVIEWABLE})


@router.post("/staff/tasks/{task_id}/note-preview")
async def note_preview(task_id: UUID, staff: Signed):
    """The information note as it would be issued from the facts typed so far (not kept)."""
    form = await staff.web.form()
    task = await staff.call("review", "GET", f"/api/v1/tasks/{task_id}")
    if task["kind"] != "information_note" or not staff.may("decide", task["kind"]):
        raise PageNotFound()
    facts = note_facts(form)
    if not isinstance(facts["allowed_height_m"], float):
        facts["allowed_height_m"] = 0.0
    note = InformationNote(tracking_number=task["tracking_number"], issued_at=staff.deps.clock(),
                           applicant_name=str(task["applicant"].get("full_name") or "-"),
                           parcel=task["details"],
                           facts={**facts, **{k: facts[k] or "-" for k in ("zoning", "setbacks", "servitudes")}})
    pdf = await asyncio.to_thread(render_information_note, note, staff.deps.settings.pdf_font)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="preview-{note.filename}"', "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'", "X-Frame-Options": "SAMEORIGIN"})


# Last: the other POST routes under /staff/tasks/{task_id}/ (note-preview) must match first.
@router.post("/staff/tasks/{task_id}/{action}", response_class=HTMLResponse)
async def act(task_id: UUID, action: str, staff: Signed):
    if action not in DONE:
        raise PageNotFound()
    form = await staff.web.form()
    try:
        await staff.call("review", "POST", f"/api/v1/tasks/{task_id}/{action}", json=_body(action, form))
    except StaffApiRefused as refused:
        if refused.status not in (409, 422):
            raise
        fields = {str(e.get("field", "")).rsplit(".", 1)[-1]: e.get("code") or "format" for e in refused.errors}
        errors = fields or {"action": "refused"}
        errors["_detail"] = refused.detail
        values = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrftoken"}
        return await _page(staff, task_id, errors=errors, values=values, status=refused.status)
    return see_other(f"/staff/tasks/{task_id}?done={action}")
