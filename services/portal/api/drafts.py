"""Save and resume, through intake's drafts API: the answers and documents are saved as a
draft, intake emails the resume link, and the link opens the draft in its language. The
resume token travels only in that link, then in a sealed cookie; this page strips it from
the address at once (and no page sends a Referer)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal.adapters.intake import IntakeRefused
from services.portal.adapters.intake_models import FilingAccepted
from services.portal.adapters.staging import Pending
from services.portal.api.cookies import keep_pending, set_language
from services.portal.api.form_page import render_form
from services.portal.api.web import Web, WebDep, see_other
from services.portal.domain.errors import PageNotFound
from services.portal.domain.forms import KindForm

router = APIRouter(include_in_schema=False)
EMAIL_FIELD = "applicant.email"


async def save(web: Web, spec: KindForm, pending: Pending, filing: dict) -> HTMLResponse:
    """The form's "save and continue later": create or update the draft, send it the new documents."""
    email = pending.values.get(EMAIL_FIELD, "")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return render_form(web, spec, pending, {EMAIL_FIELD: "required" if not email else "format"}, 422)
    draft = await _send(web, pending, filing, email)
    response = web.render("draft_saved.html", {"email": email, "expires_at": draft["expires_at"]})
    keep_pending(web, response, pending)
    return response


async def _send(web: Web, pending: Pending, filing: dict, email: str) -> dict:
    intake = web.deps.intake
    if pending.draft is None:
        created = await intake.create_draft(pending.kind, web.language, filing, email)
        pending.draft = {"id": created.id, "token": created.resume_token, "documents": {},
                         "expires_at": created.expires_at.isoformat()}
    else:
        await intake.update_draft(pending.draft["id"], pending.draft["token"], filing)
    await _move_documents(web, pending)
    return pending.draft


async def _move_documents(web: Web, pending: Pending) -> None:
    """Documents held here go to the draft, which then keeps them."""
    store = web.deps.pending_store
    uploads = store.open_documents(pending)
    try:
        if uploads:
            await web.deps.intake.add_draft_documents(pending.draft["id"], pending.draft["token"], uploads)
    finally:
        for upload in uploads:
            upload.file.close()
    pending.draft["documents"].update({code: d["name"] for code, d in pending.documents.items()})
    for code in list(pending.documents):
        (store.directory / pending.id / code).unlink(missing_ok=True)
    pending.documents.clear()
    store.save(pending)


async def file(web: Web, pending: Pending, filing: dict) -> FilingAccepted:
    """"Check your answers" confirmed on a resumed draft: its last answers, then file it."""
    await web.deps.intake.update_draft(pending.draft["id"], pending.draft["token"], filing)
    await _move_documents(web, pending)
    return await web.deps.intake.file_draft(pending.draft["id"], pending.draft["token"])


def form_values(data: dict) -> dict[str, str]:
    """A draft's filing → the form's values ("applicant.email"…)."""
    values = {k: str(v) for k, v in data.items() if k not in ("kind", "applicant")}
    values.update({f"applicant.{k}": str(v) for k, v in (data.get("applicant") or {}).items() if k != "language"})
    return values


@router.get("/drafts/{draft_id}/resume", response_class=HTMLResponse)
async def resume(web: WebDep, draft_id: str, token: str = ""):
    try:
        draft = await web.deps.intake.read_draft(draft_id, token)
    except IntakeRefused:
        raise PageNotFound("draft_link") from None
    store = web.deps.pending_store
    pending = store.create(draft.kind)
    pending.values = form_values(draft.data)
    pending.draft = {"id": draft_id, "token": token, "expires_at": draft.expires_at.isoformat(),
                     "documents": {d.type: d.name for d in draft.documents if d.type}}
    store.save(pending)
    response = see_other(web.path_for("filing_form", kind=draft.kind))  # the address loses the token here
    keep_pending(web, response, pending)
    set_language(web, response, draft.language)
    return response
