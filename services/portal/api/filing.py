"""One filing form per kind: the form, "check your answers", the filing itself and its
confirmation. Accepted documents are held (staging) until the filing is sent, so an error
elsewhere in the form never asks for them again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.portal.forms import KindForm, check, intake_errors, to_filing
from services.portal.intake_client import IntakeRefused
from services.portal.routes import drafts
from services.portal.routes.common import (
    PENDING_COOKIE,
    cid,
    content_type_of,
    document_error,
    follow,
    intake,
    keep_pending,
    kind_form_of,
    limit,
    pending_of,
    read_form,
    see_other,
    store,
    tracked,
    uploads_of,
    views,
)
from services.portal.routes.form_page import render_form
from services.portal.staging import Pending

router = APIRouter(include_in_schema=False)


@router.get("/file/{kind}", response_class=HTMLResponse)
async def form(request: Request, kind: str):
    return render_form(request, await kind_form_of(request, kind), pending_of(request, kind), {})


@router.post("/file/{kind}", response_class=HTMLResponse)
async def submit_form(request: Request, kind: str):
    spec = await kind_form_of(request, kind)
    posted = await read_form(request)
    pending = pending_of(request, kind) or store(request).create(kind)
    pending.values = {f.name: str(posted.get(f.name) or "").strip() for f in spec.all_fields()}
    errors = await _keep_documents(request, spec, posted, pending)
    filing = to_filing(spec, pending.values, views(request).language(request))
    if posted.get("action") == "save":
        return await drafts.save(request, spec, pending, filing)
    errors = {**check(spec, filing), **errors}
    for document in spec.documents:
        if document["required"] and document["code"] not in pending.attached():
            errors.setdefault(document["code"], "missing_document")
    if errors:
        return render_form(request, spec, pending, errors, status=422)
    response = see_other(f"/file/{kind}/check")
    keep_pending(request, response, pending)
    return response


async def _keep_documents(request: Request, spec: KindForm, posted, pending: Pending) -> dict[str, str]:
    errors, max_bytes = {}, request.app.state.settings.max_document_bytes
    for document in spec.documents:
        for upload in uploads_of(posted, document["code"])[:1]:
            refusal = document_error(upload, max_bytes)
            if refusal:
                errors[document["code"]] = refusal
            else:
                await store(request).keep_document(pending, document["code"], upload.filename, upload.file,
                                                   content_type_of(upload))
    store(request).save(pending)
    return errors


@router.get("/file/{kind}/check", response_class=HTMLResponse)
async def check_answers(request: Request, kind: str):
    spec, pending = await kind_form_of(request, kind), pending_of(request, kind)
    if pending is None:
        return see_other(f"/file/{kind}")
    return views(request).render(request, "check_answers.html", {
        "spec": spec, "values": pending.values, "attached": pending.attached()})


@router.post("/file/{kind}/confirm", response_class=HTMLResponse)
async def confirm(request: Request, kind: str):
    limit(request, "filing")
    await read_form(request)  # only its CSRF token
    spec, pending = await kind_form_of(request, kind), pending_of(request, kind)
    if pending is None:
        return see_other(f"/file/{kind}")
    filing = to_filing(spec, pending.values, views(request).language(request))
    try:
        if pending.draft:
            answer = await drafts.file(request, pending, filing)
        else:
            uploads = store(request).open_documents(pending)
            try:
                # The pending id as Idempotency-Key: a second click files nothing twice.
                answer = await intake(request).file(filing, uploads, idempotency_key=pending.id,
                                                    correlation_id=cid(request))
            finally:
                for upload in uploads:
                    upload.file.close()
    except IntakeRefused as refused:
        if refused.status not in (413, 415, 422):
            raise
        return render_form(request, spec, pending, intake_errors(kind, refused.errors) or {"": "format"}, 422)
    store(request).delete(pending)
    response = see_other("/confirmation")
    follow(request, response, answer["tracking_number"], answer["access_token"])
    response.delete_cookie(PENDING_COOKIE)
    return response


@router.get("/confirmation", response_class=HTMLResponse)
async def confirmation(request: Request):
    filing = tracked(request)
    if filing is None:
        return see_other("/")
    return views(request).render(request, "confirmation.html", filing)
