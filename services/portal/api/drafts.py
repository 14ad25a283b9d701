"""Save and resume, through intake's drafts API: the answers and documents are saved as a
draft, intake emails the resume link, and the link opens the draft in its language. The
resume token travels only in that link, then in a sealed cookie; this page strips it from
the address at once (and no page sends a Referer)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.portal.forms import KindForm
from services.portal.i18n import LANGUAGE_COOKIE, LANGUAGES
from services.portal.intake_client import IntakeRefused
from services.portal.routes.common import cid, intake, keep_pending, see_other, store, views
from services.portal.routes.form_page import render_form
from services.portal.staging import Pending

router = APIRouter(include_in_schema=False)
EMAIL_FIELD = "applicant.email"


async def save(request: Request, spec: KindForm, pending: Pending, filing: dict) -> HTMLResponse:
    """The form's "save and continue later": create or update the draft, send it the new documents."""
    email = pending.values.get(EMAIL_FIELD, "")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return render_form(request, spec, pending, {EMAIL_FIELD: "required" if not email else "format"}, 422)
    try:
        answer = await _send(request, pending, filing, email)
    except IntakeRefused as refused:
        if refused.status in (404, 405):  # intake without its drafts API
            return views(request).render(request, "error.html", {"status": 503, "reason": "drafts"}, status=503)
        raise
    response = views(request).render(request, "draft_saved.html", {"email": email,
                                                                   "expires_at": answer.get("expires_at")})
    keep_pending(request, response, pending)
    return response


async def _send(request: Request, pending: Pending, filing: dict, email: str) -> dict:
    client, language = intake(request), views(request).language(request)
    if pending.draft is None:
        answer = await client.create_draft(pending.kind, language, filing, email, cid(request))
        pending.draft = {"id": answer["id"], "token": answer["resume_token"], "documents": {},
                         "expires_at": answer.get("expires_at")}
    else:
        await client.update_draft(pending.draft["id"], pending.draft["token"], filing, cid(request))
    await _move_documents(request, pending)
    return pending.draft


async def _move_documents(request: Request, pending: Pending) -> None:
    """Documents held here go to the draft, which then keeps them."""
    uploads = store(request).open_documents(pending)
    try:
        if uploads:
            await intake(request).add_draft_documents(pending.draft["id"], pending.draft["token"], uploads,
                                                      cid(request))
    finally:
        for upload in uploads:
            upload.file.close()
    pending.draft["documents"].update({code: d["name"] for code, d in pending.documents.items()})
    for code in list(pending.documents):
        (store(request).directory / pending.id / code).unlink(missing_ok=True)
    pending.documents.clear()
    store(request).save(pending)


async def file(request: Request, pending: Pending, filing: dict) -> dict:
    """"Check your answers" confirmed on a resumed draft: its last answers, then file it."""
    await intake(request).update_draft(pending.draft["id"], pending.draft["token"], filing, cid(request))
    await _move_documents(request, pending)
    return await intake(request).file_draft(pending.draft["id"], pending.draft["token"], cid(request))


def form_values(data: dict) -> dict[str, str]:
    """A draft's filing → the form's values ("applicant.email"…)."""
    values = {k: str(v) for k, v in data.items() if k not in ("kind", "applicant")}
    values.update({f"applicant.{k}": str(v) for k, v in (data.get("applicant") or {}).items() if k != "language"})
    return values


@router.get("/drafts/{draft_id}/resume", response_class=HTMLResponse)
async def resume(request: Request, draft_id: str, token: str = ""):
    try:
        draft = await intake(request).read_draft(draft_id, token, cid(request))
    except IntakeRefused:
        return views(request).render(request, "error.html", {"status": 404, "reason": "draft_link"}, status=404)
    pending = store(request).create(draft["kind"])
    pending.values = form_values(draft.get("data") or {})
    pending.draft = {"id": draft_id, "token": token, "expires_at": draft.get("expires_at"),
                     "documents": {d["type"]: d["name"] for d in draft.get("documents", []) if d.get("type")}}
    store(request).save(pending)
    response = see_other(f"/file/{draft['kind']}")  # the address loses the token here
    keep_pending(request, response, pending)
    if draft.get("language") in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, draft["language"], max_age=365 * 86400, samesite="lax",
                            secure=request.app.state.settings.secure_cookies)
    return response
