"""Following a filing: tracking number and access code (posted, never in an address) open a
sealed cookie; the filing's page shows status, timeline, observations and decision as intake
states them, the legal deadlines as the receipt states them, and exactly the actions intake
allows the applicant (answer, withdraw, contest): the portal decides none of it. An action
intake refuses anyway (the page was old) is shown refused on the filing's page."""

from __future__ import annotations

from collections.abc import Awaitable

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, StreamingResponse

from services.portal.adapters.intake import IntakeRefused, Upload
from services.portal.api.cookies import TRACK_COOKIE, follow, tracked
from services.portal.api.form_page import catalogue_entry_of
from services.portal.api.uploads import content_type_of, document_error, uploads_of
from services.portal.api.web import Web, WebDep, see_other, text
from services.portal.domain.errors import NotIssuedYet

router = APIRouter(include_in_schema=False)
# ?done=… once an action went through: which confirmation the filing's page shows.
DONE = ("answer", "withdrawal", "contest")


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


async def _status_page(web: Web, tracking_number: str, code: str, *, errors: dict | None = None,
                       status: int = 200) -> HTMLResponse:
    filing = await web.deps.intake.status(tracking_number, code)
    done = web.request.query_params.get("done")
    return web.render("track_status.html", {
        "filing": filing, "entry": await catalogue_entry_of(web, filing.kind), "errors": errors or {},
        "done": done if done in DONE else None}, status=status)


async def _refused(web: Web, tracking_number: str, code: str) -> HTMLResponse:
    """The filing's page, saying the action is not possible for it now."""
    return await _status_page(web, tracking_number, code, errors={"action": "refused"}, status=409)


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
    return await _act(web, tracking_number, code, "answer",
                      web.deps.intake.respond(tracking_number, code, message, uploads))


@router.get("/track/{tracking_number}/withdraw", response_class=HTMLResponse)
async def withdraw_page(web: WebDep, tracking_number: str):
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    if "withdraw" not in (await web.deps.intake.status(tracking_number, code)).allowed_actions:
        return await _refused(web, tracking_number, code)
    return web.render("withdraw.html", {"tracking_number": tracking_number})


@router.post("/track/{tracking_number}/withdraw", response_class=HTMLResponse)
async def withdraw(web: WebDep, tracking_number: str):
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    reason = text(await web.form(), "reason")[:1000] or None
    return await _act(web, tracking_number, code, "withdrawal",
                      web.deps.intake.withdraw(tracking_number, code, reason))


@router.post("/track/{tracking_number}/contest", response_class=HTMLResponse)
async def contest(web: WebDep, tracking_number: str):
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    motive = text(await web.form(), "motive")
    if len(motive) < 3:
        return await _status_page(web, tracking_number, code, errors={"motive": "required"}, status=422)
    return await _act(web, tracking_number, code, "contest", web.deps.intake.contest(tracking_number, code, motive))


async def _act(web: Web, tracking_number: str, code: str, done: str, call: Awaitable[None]) -> HTMLResponse:
    """Intake does the action or refuses it (intake alone says what the applicant may do)."""
    try:
        await call
    except IntakeRefused as refused:
        if refused.status not in (409, 413, 415, 422):
            raise
        return await _refused(web, tracking_number, code)
    response = see_other(web.path_for("filing_page", tracking_number=tracking_number) + f"?done={done}")
    follow(web, response, tracking_number, code)
    return response


@router.get("/track/{tracking_number}/receipt")
async def receipt(web: WebDep, tracking_number: str):
    """The receipt PDF as the agency issued it (sealed), streamed from intake
    (GET /api/v1/submissions/{tn}/receipt)."""
    code = _credentials(web, tracking_number)
    if code is None:
        return see_other(web.path_for("track_login"))
    try:
        file = await web.deps.intake.receipt(tracking_number, code)
    except IntakeRefused as refused:
        if refused.status == 409:  # issued a few seconds after the filing
            raise NotIssuedYet() from None
        raise
    return StreamingResponse(file.chunks, media_type="application/pdf",
                             headers={"Content-Disposition": f'attachment; filename="{tracking_number}.pdf"'})
