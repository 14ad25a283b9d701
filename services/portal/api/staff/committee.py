"""Committees: sessions with their agenda (the tasks referred to each, with the round's
opinions and their aggregate); supervisors open sessions. Each member's opinion, publication,
adjournment (an adjourned aggregate, published, opens the next round) and contested files are
on the task page."""

from __future__ import annotations

import asyncio
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal.adapters.staff_api import StaffApiRefused
from services.portal.api.staff.committee_view import aggregate
from services.portal.api.staff.pages import deadline_state, staff_page
from services.portal.api.staff.queue import colleagues
from services.portal.api.staff.session import allowed
from services.portal.api.web import see_other, text
from services.portal.domain.errors import PageNotFound

router = APIRouter(include_in_schema=False)
SessionReader, SessionOpener = allowed("sessions"), allowed("open_session")


@router.get("/staff/committee", response_class=HTMLResponse)
async def sessions(staff: SessionReader):
    found = await staff.call("review", "GET", "/api/v1/committee/sessions")
    return staff_page(staff, "staff/committee.html", {
        "sessions": found, "may_open": staff.may("open_session"), "errors": {},
        "done": staff.web.request.query_params.get("done") == "opened"})


@router.post("/staff/committee", response_class=HTMLResponse)
async def open_session(staff: SessionOpener):
    form = await staff.web.form()
    try:
        await staff.call("review", "POST", "/api/v1/committee/sessions", json={"session_date": text(form, "session_date")})
    except StaffApiRefused as refused:
        if refused.status != 422:
            raise
        found = await staff.call("review", "GET", "/api/v1/committee/sessions")
        return staff_page(staff, "staff/committee.html", {
            "sessions": found, "may_open": True, "errors": {"session_date": "format"}, "done": False}, status=422)
    return see_other("/staff/committee?done=opened")


@router.get("/staff/committee/{session_id}", response_class=HTMLResponse)
async def agenda(session_id: UUID, staff: SessionReader):
    found = await staff.call("review", "GET", "/api/v1/committee/sessions")
    session = next((s for s in found if s["id"] == str(session_id)), None)
    if session is None:
        raise PageNotFound()
    tasks = []
    if staff.may("read"):
        page = await staff.call("review", "GET", "/api/v1/tasks", params={"session_id": str(session_id), "limit": 200})
        tasks = page["items"]
    opinions = await asyncio.gather(*(staff.call("review", "GET", f"/api/v1/tasks/{t['id']}/opinions") for t in tasks))
    rows = []
    for task, given in zip(tasks, opinions):
        current = [o for o in given if o["round"] == task["committee_round"]]
        rows.append({"task": task, "opinions": current, "aggregate": aggregate([o["opinion"] for o in current]),
                     "state": deadline_state(task),
                     "mine": any(o["member"] == staff.identity.sub for o in current)})
    return staff_page(staff, "staff/agenda.html", {"session": session, "rows": rows,
                                                            "names": dict(await colleagues(staff))})
