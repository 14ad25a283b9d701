"""Following a filing: tracking number and access code (posted, never in an address) open a
sealed cookie; the filing's page shows status, timeline, deadlines, observations and
decision, with the forms to answer, withdraw or contest."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, StreamingResponse

from services.portal.adapters.intake import IntakeRefused, Upload
from services.portal.api.cookies import TRACK_COOKIE, follow, tracked
from services.portal.api.form_page import kind_form_of
from services.portal.api.uploads import content_type_of, document_error, uploads_of
from services.portal.api.web import Web, WebDep, see_other, text
from shared.calendar import WorkingCalendar
from shared.lifecycle import OPEN_STATES

router = APIRouter(include_in_schema=False)
CALENDAR = WorkingCalendar()
DONE = ("answered", "withdrawn", "contested")


@router.get("/track", response_class=HTMLResponse)
async def track_login(web: WebDep):
    return web.render("track_login.html", {"values": {}, "errors": {}, "current": tracked(web)})


@router.post("/track", response_class=HTMLResponse)
async def open_filing(web: WebDep):
    web.limit("tracking")
    posted = await web.form()
    values = {"tracking_number": text(posted, "tracking_number").upper(), "access_code": text(posted, "access_code")}
    errors = {name: "required" for name, value in values.items() if not value}
    if not errors:
        try:
            await web.deps.intake.status(values["tracking_number"], values["access_code"])
        except IntakeRefused as refused:
            if refused.status != 404:
                raise
            errors = {"tracking_number": "no_match"}
    if errors:
        return web.render("track_login.html", {"values": values, "errors": errors, "current": None}, status=422)
    response = see_other(web.path_for("filing_page", tracking_number=values["tracking_number"]))
    follow(web, response, values["tracking_number"], values["access_code"])
    return response


@router.post("/track/forget")
async def forget(web: WebDep):
    await web.form()  # only its CSRF token
    response = see_other(web.path_for("track_login"))
    response.delete_cookie(TRACK_COOKIE)
    return response


def _credentials(web: Web, tracking_number: str) -> str | None:
    filing = tracked(web)
    return filing["access_code"] if filing and filing["tracking_number"] == tracking_number else None


def _deadlines(entry: dict, received_at: str) -> list[dict]:
    received = datetime.fromisoformat(received_at)
    return [{**rule, "due_on": CALENDAR.due_on(received, rule["days"], rule["unit"])} for rule in entry["deadlines"]]


async def _status_page(web: Web, tracking_number: str, code: str, *, errors: dict | None = None,
                       status: int = 200) -> HTMLResponse:
    view = await web.deps.intake.status(tracking_number, code)
    spec = await kind_form_of(web, view["kind"])
    contestable = (spec.entry["review_path"] == "committee" and view["status"] in ("decided", "closed")
                   and (view.get("decision") or {}).get("outcome") == "rejected" and view.get("contest") is None)
    done = web.request.query_params.get("done")
    return web.render("track_status.html", {
        "filing": view, "entry": spec.entry, "deadlines": _deadlines(spec.entry, view["received_at"]),
        "open": view["status"] in OPEN_STATES, "contestable": contestable, "errors": errors or {},
        "done": done if done in DONE else None}, status=status)


@router.get("/track/{tracking_number}", response_class=HTMLResponse)
async def filing_page(web: WebDep, tracking_number: str):
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    try:
        return await _status_page(web, tracking_number, code)
    except IntakeRefused as refused:
        if refused.status == 404:
            return see_other(web.path_for("track_login"))
        raise


@router.post("/track/{tracking_number}/respond", response_class=HTMLResponse)
async def respond(web: WebDep, tracking_number: str):
    web.limit("filing")
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    posted = await web.form()
    message, files = text(posted, "message"), uploads_of(posted, "documents")
    errors = {} if message else {"message": "required"}
    refusals = [document_error(f, web.settings.max_document_bytes) for f in files]
    if any(refusals):
        errors["documents"] = next(r for r in refusals if r)
    if errors:
        return await _status_page(web, tracking_number, code, errors=errors, status=422)
    uploads = [Upload("documents", f.filename, f.file, content_type_of(f)) for f in files]
    return await _act(web, tracking_number, code, "answered",
                      web.deps.intake.respond(tracking_number, code, message, uploads))


@router.get("/track/{tracking_number}/withdraw", response_class=HTMLResponse)
async def withdraw_page(web: WebDep, tracking_number: str):
    if _credentials(web, tracking_number) is None:
        return see_other(web.path_for("track_login"))
    return web.render("withdraw.html", {"tracking_number": tracking_number})


@router.post("/track/{tracking_number}/withdraw", response_class=HTMLResponse)
async def withdraw(web: WebDep, tracking_number: str):
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    reason = text(await web.form(), "reason")[:1000] or None
    return await _act(web, tracking_number, code, "withdrawn", web.deps.intake.withdraw(tracking_number, code, reason))


@router.post("/track/{tracking_number}/contest", response_class=HTMLResponse)
async def contest(web: WebDep, tracking_number: str):
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    motive = text(await web.form(), "motive")
    if len(motive) < 3:
        return await _status_page(web, tracking_number, code, errors={"motive": "required"}, status=422)
    return await _act(web, tracking_number, code, "contested", web.deps.intake.contest(tracking_number, code, motive))


async def _act(web: Web, tracking_number: str, code: str, done: str, call: Awaitable[dict]) -> HTMLResponse:
    try:
        await call
    except IntakeRefused as refused:
        if refused.status not in (409, 413, 415, 422):
            raise
        return await _status_page(web, tracking_number, code, errors={"action": "refused"}, status=409)
    response = see_other(web.path_for("filing_page", tracking_number=tracking_number) + f"?done={done}")
    follow(web, response, tracking_number, code)
    return response


@router.get("/track/{tracking_number}/receipt")
async def receipt(web: WebDep, tracking_number: str):
    """The receipt PDF, streamed from intake (GET /api/v1/submissions/{tn}/receipt)."""
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    file = await web.deps.intake.receipt(tracking_number, code)
    return StreamingResponse(file.chunks, media_type="application/pdf",
                             headers={"Content-Disposition": f'attachment; filename="{tracking_number}.pdf"'})
