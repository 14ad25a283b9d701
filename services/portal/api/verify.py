"""The public verification of a document the agency issued: ``/verify`` takes a code typed as
printed under the QR code (any case, spaces or dashes) or a PDF chosen or dropped on the form;
``/verify/<code>`` is what the QR code opens. The notifier keeps the register and judges a PDF
(authentic, altered, unknown, and why); these pages only draw its answers, in the vocabulary's
words. The holder's name comes masked from the notifier: nothing else of the applicant is
asked for or shown. Rate-limited per client address; the upload is refused past its size before
it is read whole, and only a PDF (by its first bytes) goes on. No JavaScript needed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.types import Message

from services.portal.adapters.notifier_models import IssuedDocument
from services.portal.api.security import CsrfRefused
from services.portal.api.uploads import content_type_of
from services.portal.api.web import Web, WebDep, see_other, text
from shared.verification import grouped, normalise

router = APIRouter(include_in_schema=False)
# The notifier's own limit on a PDF to verify (POST /api/v1/documents/verification).
MAX_PDF_BYTES = 10 * 1024 * 1024
FORM_ROOM = 64 * 1024  # the form's other fields, the part headers and boundaries around the file
FILE_FIELD = "file"
CODE_FIELD = "code"
TYPED_SHOWN = 100  # a mistyped code shown back in the form, at most this long


class UploadTooLarge(Exception):
    """More bytes came than a PDF to verify may have: refused before the rest is read."""


@router.get("/verify", response_class=HTMLResponse)
async def verify_page(web: WebDep):
    return _form(web)


@router.post("/verify", response_class=HTMLResponse)
async def verify_code(web: WebDep):
    """A typed code: to its page (the same address the QR code opens), or the form again."""
    typed = text(await web.form(), CODE_FIELD)
    code = normalise(typed)
    if code is None:
        return _form(web, typed=typed[:TYPED_SHOWN], errors={CODE_FIELD: "code" if typed else "required"},
                     status=400)
    return see_other(web.path_for("verify_document", code=code))


@router.get("/verify/{code}", response_class=HTMLResponse)
async def verify_document(web: WebDep, code: str):
    web.limit("verify")
    canonical = normalise(code)
    if canonical is not None and canonical != code:  # typed into the address as printed: ABCD-EFGH-…
        return see_other(web.path_for("verify_document", code=canonical))
    document = await web.deps.notifier.document(canonical) if canonical else None
    if document is None:
        return _result(web, verdict="unknown", reason="not_issued", status=404)
    return _result(web, document=document)


@router.post("/verify/file", response_class=HTMLResponse)
async def verify_file(web: WebDep):
    """A PDF's verdict: the notifier compares its bytes with the ones issued under the code it
    carries, and checks its seal against the agency's trust roots."""
    web.limit("verify")
    try:
        form = await _posted_file(web)
    except UploadTooLarge:
        return _form(web, errors={FILE_FIELD: "too_large"}, status=413)
    try:
        upload = form.get(FILE_FIELD)
        if not isinstance(upload, UploadFile) or not upload.filename or not upload.size:
            return _form(web, errors={FILE_FIELD: "required"}, status=400)
        if upload.size > MAX_PDF_BYTES:
            return _form(web, errors={FILE_FIELD: "too_large"}, status=413)
        if content_type_of(upload) != "application/pdf":  # by its first bytes, whatever its name
            return _result(web, verdict="unknown", reason="not_a_pdf", status=415)
        answer = await web.deps.notifier.verification(upload.file, upload.size)
    finally:
        await form.close()
    return _result(web, verdict=answer.verdict, reason=answer.reason, document=answer.document)


def _form(web: Web, *, typed: str = "", errors: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
    return web.render("verify.html", {"typed": typed, "errors": errors or {},
                                      "max_pdf_mb": MAX_PDF_BYTES // (1024 * 1024)}, status=status)


def _result(web: Web, *, verdict: str | None = None, reason: str | None = None,
            document: IssuedDocument | None = None, status: int = 200) -> HTMLResponse:
    return web.render("verify_document.html", {
        "verdict": verdict, "reason": reason, "document": document,
        "grouped_code": grouped(document.code) if document else None}, status=status)


async def _posted_file(web: Web) -> FormData:
    """The posted form with its file, once its CSRF token matches. A body larger than a PDF to
    verify may be is refused from its Content-Length, or, sent without one, as soon as that
    many bytes came: never read whole."""
    limit = MAX_PDF_BYTES + FORM_ROOM
    try:
        declared = int(web.request.headers.get("content-length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise UploadTooLarge()
    request = Request(web.request.scope, _at_most(web.request.receive, limit))
    form = await request.form(max_files=1, max_fields=4)
    csrf = web.deps.csrf
    if not csrf.matches(web.request.cookies.get(csrf.COOKIE), form.get(csrf.FIELD)):
        await form.close()
        raise CsrfRefused()
    return form


def _at_most(receive: Callable[[], Awaitable[Message]], limit: int) -> Callable[[], Awaitable[Message]]:
    """``receive``, raising UploadTooLarge once the body passed ``limit`` bytes."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise UploadTooLarge()
        return message

    return counted
