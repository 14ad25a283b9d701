"""Committees: sessions with their agenda (the tasks referred to each, with the round's opinions
and their aggregate, as review gives them with each task); supervisors open sessions. Each
member's opinion, publication, adjournment (an adjourned aggregate, published, opens the next
round) and contested files are on the task page."""

from __future__ import annotations

import asyncio
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal.adapters.review import ReviewRefused
from services.portal.api.staff.colleagues import colleagues, names_of
from services.portal.api.staff.pages import staff_page
from services.portal.api.staff.session import StaffContext, allowed
from services.portal.api.web import text
from services.portal.domain.errors import PageNotFound

router = APIRouter(include_in_schema=False)
SessionReader, SessionOpener = allowed("sessions"), allowed("open_session")
AGENDA_MAX = 200  # tasks shown on a session's agenda


async def _sessions(staff: StaffContext, *, errors: dict | None = None, status: int = 200) -> HTMLResponse:
    return await staff_page(staff, "staff/committee.html", {
        "sessions": await staff.review.sessions(), "may_open": staff.may("open_session"), "errors": errors or {},
        "done": staff.web.request.query_params.get("done") == "opened"}, status=status)


@router.get("/staff/committee", response_class=HTMLResponse)
async def committee_sessions(staff: SessionReader):
    return await _sessions(staff)


@router.post("/staff/committee", response_class=HTMLResponse)
async def open_committee_session(staff: SessionOpener):
    form = await staff.web.form()
    try:
        await staff.review.open_session(text(form, "session_date"))
    except ReviewRefused as refused:
        if refused.status != 422:
            raise
        return await _sessions(staff, errors={"session_date": "format"}, status=422)
    return staff.redirect("committee_sessions", query={"done": "opened"})


@router.get("/staff/committee/{session_id}", response_class=HTMLResponse)
async def session_agenda(session_id: UUID, staff: SessionReader):
    sessions, people = await asyncio.gather(staff.review.sessions(), colleagues(staff))
    session = next((s for s in sessions if s.id == session_id), None)
    if session is None:
        raise PageNotFound()
    tasks = (await staff.review.tasks(session_id=session_id, limit=AGENDA_MAX)).items if staff.may("read") else []
    return await staff_page(staff, "staff/agenda.html", {"session": session, "tasks": tasks,
                                                         "names": names_of(people)})
