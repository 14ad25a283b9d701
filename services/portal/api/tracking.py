"""Following a filing: tracking number and access code (posted, never in an address) open a
sealed cookie; the filing's page shows status, timeline, deadlines, observations and
decision, with the forms to answer, withdraw or contest."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from services.portal.intake_client import IntakeRefused, Upload
from services.portal.routes.common import (
    TRACK_COOKIE,
    cid,
    content_type_of,
    document_error,
    follow,
    intake,
    kind_form_of,
    limit,
    read_form,
    see_other,
    text,
    tracked,
    uploads_of,
    views,
)
from shared.calendar import WorkingCalendar
from shared.lifecycle import OPEN_STATES

router = APIRouter(include_in_schema=False)
CALENDAR = WorkingCalendar()
DONE = ("answered", "withdrawn", "contested")


@router.get("/track", response_class=HTMLResponse)
async def login(request: Request):
    return views(request).render(request, "track_login.html", {"values": {}, "errors": {}, "current": tracked(request)})


@router.post("/track", response_class=HTMLResponse)
async def open_filing(request: Request):
    limit(request, "tracking")
    posted = await read_form(request)
    values = {"tracking_number": text(posted, "tracking_number").upper(), "access_code": text(posted, "access_code")}
    errors = {name: "required" for name, value in values.items() if not value}
    if not errors:
        try:
            await intake(request).status(values["tracking_number"], values["access_code"], cid(request))
        except IntakeRefused as refused:
            if refused.status != 404:
                raise
            errors = {"tracking_number": "no_match"}
    if errors:
        return views(request).render(request, "track_login.html", {"values": values, "errors": errors,
                                                                    "current": None}, status=422)
    response = see_other(f"/track/{values['tracking_number']}")
    follow(request, response, values["tracking_number"], values["access_code"])
    return response


@router.post("/track/forget")
async def forget(request: Request):
    await read_form(request)  # only its CSRF token
    response = see_other("/track")
    response.delete_cookie(TRACK_COOKIE)
    return response


def _credentials(request: Request, tracking_number: str) -> str | None:
    filing = tracked(request)
    return filing["access_code"] if filing and filing["tracking_number"] == tracking_number else None


def _deadlines(entry: dict, received_at: str) -> list[dict]:
    received = datetime.fromisoformat(received_at)
    return [{**rule, "due_on": CALENDAR.due_on(received, rule["days"], rule["unit"])} for rule in entry["deadlines"]]


async def _status_page(request: Request, tracking_number: str, code: str, *, errors: dict | None = None,
                       status: int = 200) -> HTMLResponse:
    view = await intake(request).status(tracking_number, code, cid(request))
    spec = await kind_form_of(request, view["kind"])
    contestable = (spec.entry["review_path"] == "committee" and view["status"] in ("decided", "closed")
                   and (view.get("decision") or {}).get("outcome") == "rejected" and view.get("contest") is None)
    done = request.query_params.get("done")
    return views(request).render(request, "track_status.html", {
        "filing": view, "entry": spec.entry, "deadlines": _deadlines(spec.entry, view["received_at"]),
        "open": view["status"] in OPEN_STATES, "contestable": contestable, "errors": errors or {},
        "done": done if done in DONE else None}, status=status)


@router.get("/track/{tracking_number}", response_class=HTMLResponse)
async def filing_page(request: Request, tracking_number: str):
    code = _credentials(request, tracking_number)
    if code is None:
        return see_other("/track")
    try:
        return await _status_page(request, tracking_number, code)
    except IntakeRefused as refused:
        if refused.status == 404:
            return see_other("/track")
        raise


@router.post("/track/{tracking_number}/respond", response_class=HTMLResponse)
async def respond(request: Request, tracking_number: str):
    limit(request, "filing")
    code = _credentials(request, tracking_number)
    if code is None:
        return see_other("/track")
    posted = await read_form(request)
    message, files = text(posted, "message"), uploads_of(posted, "documents")
    errors = {} if message else {"message": "required"}
    refusals = [document_error(f, request.app.state.settings.max_document_bytes) for f in files]
    if any(refusals):
        errors["documents"] = next(r for r in refusals if r)
    if errors:
        return await _status_page(request, tracking_number, code, errors=errors, status=422)
    uploads = [Upload("documents", f.filename, f.file, content_type_of(f)) for f in files]
    return await _act(request, tracking_number, code, "answered",
                      intake(request).respond(tracking_number, code, message, uploads, cid(request)))


@router.get("/track/{tracking_number}/withdraw", response_class=HTMLResponse)
async def withdraw_page(request: Request, tracking_number: str):
    if _credentials(request, tracking_number) is None:
        return see_other("/track")
    return views(request).render(request, "withdraw.html", {"tracking_number": tracking_number})


@router.post("/track/{tracking_number}/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, tracking_number: str):
    code = _credentials(request, tracking_number)
    if code is None:
        return see_other("/track")
    reason = text(await read_form(request), "reason")[:1000] or None
    return await _act(request, tracking_number, code, "withdrawn",
                      intake(request).withdraw(tracking_number, code, reason, cid(request)))


@router.post("/track/{tracking_number}/contest", response_class=HTMLResponse)
async def contest(request: Request, tracking_number: str):
    code = _credentials(request, tracking_number)
    if code is None:
        return see_other("/track")
    motive = text(await read_form(request), "motive")
    if len(motive) < 3:
        return await _status_page(request, tracking_number, code, errors={"motive": "required"}, status=422)
    return await _act(request, tracking_number, code, "contested",
                      intake(request).contest(tracking_number, code, motive, cid(request)))


async def _act(request: Request, tracking_number: str, code: str, done: str, call) -> HTMLResponse:
    try:
        await call
    except IntakeRefused as refused:
        if refused.status not in (409, 413, 415, 422):
            raise
        return await _status_page(request, tracking_number, code, errors={"action": "refused"}, status=409)
    response = see_other(f"/track/{tracking_number}?done={done}")
    follow(request, response, tracking_number, code)
    return response


@router.get("/track/{tracking_number}/receipt")
async def receipt(request: Request, tracking_number: str):
    """The receipt PDF, streamed from intake (GET /api/v1/submissions/{tn}/receipt)."""
    code = _credentials(request, tracking_number)
    if code is None:
        return see_other("/track")
    chunks = await intake(request).receipt(tracking_number, code, cid(request))
    return StreamingResponse(chunks, media_type="application/pdf",
                             headers={"Content-Disposition": f'attachment; filename="{tracking_number}.pdf"'})
