"""A task's files: its documents, streamed from review (which audits each download) and shown
inline only for PDF and images, framed by this site's pages alone; and the information note
previewed as a PDF from the facts typed so far (kept nowhere)."""

from __future__ import annotations

import asyncio
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from services.portal.api.staff.pages import PREVIEWABLE, staff_page
from services.portal.api.staff.session import Signed
from services.portal.domain import task_forms
from services.portal.domain.errors import PageNotFound
from shared.pdf import InformationNote, render_information_note

router = APIRouter(include_in_schema=False)
SHA256_DIGITS = frozenset("0123456789abcdef")
# A document or preview may sit in a frame of the task's pages; every other page denies frames.
FRAMED_BY_THIS_SITE = {"X-Frame-Options": "SAMEORIGIN"}
UNSTATED = "-"  # a fact the note's PDF shows as not given


@router.get("/staff/tasks/{task_id}/documents/{sha256}")
async def task_document(task_id: UUID, sha256: str, staff: Signed, inline: bool = False):
    if len(sha256) != 64 or not set(sha256) <= SHA256_DIGITS:
        raise PageNotFound()
    file = await staff.review.document(task_id, sha256)
    shown = inline and file.content_type in PREVIEWABLE
    name = (file.filename or sha256).replace('"', "")
    headers = {"Content-Disposition": f'{"inline" if shown else "attachment"}; filename="{name}"',
               "Cache-Control": "no-store"}
    if shown:
        headers |= {"Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                                               "frame-ancestors 'self'", **FRAMED_BY_THIS_SITE}
    return StreamingResponse(file.chunks, media_type=file.content_type, headers=headers)


@router.get("/staff/tasks/{task_id}/documents/{sha256}/preview", response_class=HTMLResponse)
async def task_document_preview(task_id: UUID, sha256: str, staff: Signed):
    task = await staff.review.task(task_id)
    document = next((d for d in task.documents if d.sha256 == sha256), None)
    if document is None:
        raise PageNotFound()
    return await staff_page(staff, "staff/preview.html", {"task": task, "document": document,
                                                          "previewable": PREVIEWABLE})


@router.post("/staff/tasks/{task_id}/note-preview")
async def information_note_preview(task_id: UUID, staff: Signed):
    """The note as it would be issued from the facts typed so far, if review offers this person
    an action that takes them."""
    form = await staff.web.form()
    task = await staff.review.task(task_id)
    offer = next((o for o in task.allowed_actions if any(f.name.startswith(task_forms.NOTE_FACTS) for f in o.fields)),
                 None)
    if offer is None:
        raise PageNotFound()
    typed = task_forms.note_facts(offer.fields, form)
    facts = {name: value or UNSTATED for name, value in typed.items()}
    facts["remarks"] = typed.get("remarks")  # optional: left out of the note when not given
    if not isinstance(typed.get("allowed_height_m"), float):  # not a number yet: drawn as 0
        facts["allowed_height_m"] = 0.0
    note = InformationNote(tracking_number=task.tracking_number, issued_at=staff.deps.clock(),
                           applicant_name=str(task.applicant.get("full_name") or UNSTATED),
                           parcel=task.details, facts=facts)
    pdf = await asyncio.to_thread(render_information_note, note, staff.deps.settings.pdf_font)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="preview-{note.filename}"', "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'", **FRAMED_BY_THIS_SITE})
