"""One filing form per kind: the form, "check your answers", the filing itself and its
confirmation. Accepted documents are held (staging) until the filing is sent, so an error
elsewhere in the form never asks for them again."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from services.portal.adapters.intake import IntakeRefused
from services.portal.adapters.intake_models import FilingAccepted
from services.portal.adapters.staging import Pending
from services.portal.api import drafts
from services.portal.api.cookies import PENDING_COOKIE, follow, keep_pending, pending_of, tracked
from services.portal.api.form_page import kind_form_of, render_form
from services.portal.api.uploads import content_type_of, document_error, uploads_of
from services.portal.api.web import Web, WebDep, see_other
from services.portal.domain.forms import KindForm, check, intake_errors, to_filing

router = APIRouter(include_in_schema=False)


@router.get("/file/{kind}", response_class=HTMLResponse)
async def filing_form(web: WebDep, kind: str):
    return render_form(web, await kind_form_of(web, kind), pending_of(web, kind), {})


@router.post("/file/{kind}", response_class=HTMLResponse)
async def submit_form(web: WebDep, kind: str):
    spec = await kind_form_of(web, kind)
    posted = await web.form()
    pending = pending_of(web, kind) or web.deps.pending_store.create(kind)
    pending.values = {f.name: str(posted.get(f.name) or "").strip() for f in spec.all_fields()}
    errors = await _keep_documents(web, spec, posted, pending)
    filing = to_filing(spec, pending.values, web.language)
    if posted.get("action") == "save":
        return await drafts.save(web, spec, pending, filing)
    errors = {**check(spec, filing), **errors}
    for document in spec.documents:
        if document["required"] and document["code"] not in pending.attached():
            errors.setdefault(document["code"], "missing_document")
    if errors:
        return render_form(web, spec, pending, errors, status=422)
    response = see_other(web.path_for("check_answers", kind=kind))
    keep_pending(web, response, pending)
    return response


async def _keep_documents(web: Web, spec: KindForm, posted: FormData, pending: Pending) -> dict[str, str]:
    errors, store = {}, web.deps.pending_store
    for document in spec.documents:
        for upload in uploads_of(posted, document["code"])[:1]:
            refusal = document_error(upload, web.settings.max_document_bytes)
            if refusal:
                errors[document["code"]] = refusal
            else:
                await store.keep_document(pending, document["code"], upload.filename, upload.file,
                                          content_type_of(upload))
    store.save(pending)
    return errors


@router.get("/file/{kind}/check", response_class=HTMLResponse)
async def check_answers(web: WebDep, kind: str):
    spec, pending = await kind_form_of(web, kind), pending_of(web, kind)
    if pending is None:
        return see_other(web.path_for("filing_form", kind=kind))
    return web.render("check_answers.html", {"spec": spec, "values": pending.values, "attached": pending.attached()})


@router.post("/file/{kind}/confirm", response_class=HTMLResponse)
async def confirm(web: WebDep, kind: str):
    web.limit("filing")
    await web.form()  # only its CSRF token
    spec, pending = await kind_form_of(web, kind), pending_of(web, kind)
    if pending is None:
        return see_other(web.path_for("filing_form", kind=kind))
    filing = to_filing(spec, pending.values, web.language)
    try:
        answer = await (drafts.file(web, pending, filing) if pending.draft else _file(web, pending, filing))
    except IntakeRefused as refused:
        if refused.status not in (413, 415, 422):
            raise
        return render_form(web, spec, pending, intake_errors(kind, refused.errors) or {"": "format"}, 422)
    web.deps.pending_store.delete(pending)
    response = see_other(web.path_for("confirmation"))
    follow(web, response, answer.tracking_number, answer.access_token)
    response.delete_cookie(PENDING_COOKIE)
    return response


async def _file(web: Web, pending: Pending, filing: dict) -> FilingAccepted:
    uploads = web.deps.pending_store.open_documents(pending)
    try:
        # The pending id as Idempotency-Key: a second click files nothing twice.
        return await web.deps.intake.file(filing, uploads, idempotency_key=pending.id)
    finally:
        for upload in uploads:
            upload.file.close()


@router.get("/confirmation", response_class=HTMLResponse)
async def confirmation(web: WebDep):
    filing = tracked(web)
    if filing is None:
        return see_other(web.path_for("home"))
    return web.render("confirmation.html", filing)
