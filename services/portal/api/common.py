"""What every route needs: the portal's dependencies, sealed cookies, forms and uploads."""

from __future__ import annotations

import filetype
from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException

from services.portal.forms import KindForm, kind_form
from services.portal.intake_client import IntakeClient
from services.portal.security import CsrfRefused, CsrfTokens, RateLimit
from services.portal.staging import Pending, PendingStore
from services.portal.views import Views
from shared.problems import Problem

TRACK_COOKIE = "lamadi_track"
PENDING_COOKIE = "lamadi_pending"
ACCEPTED_TYPES = {"application/pdf", "image/png", "image/jpeg"}
ACCEPT_ATTRIBUTE = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def deps_of(request: Request):
    """The portal's dependencies (``PortalDeps``), as ``shared.deps`` gives them to routes."""
    return request.app.state.deps


def views(request: Request) -> Views:
    return deps_of(request).views


def intake(request: Request) -> IntakeClient:
    return deps_of(request).intake


def store(request: Request) -> PendingStore:
    return deps_of(request).pending_store


def cid(request: Request) -> str:
    return request.state.correlation_id


def limit(request: Request, name: str) -> None:
    """Counts this request against the named rate limit of its client address (429 past it)."""
    limiter: RateLimit = deps_of(request).rate_limits[name]
    limiter.hit(request.client.host if request.client else "unknown")


async def kind_form_of(request: Request, kind: str) -> KindForm:
    entries = {entry["kind"]: entry for entry in await intake(request).catalogue()}
    if kind not in entries:
        raise Problem(404, "Not found")
    return kind_form(entries[kind])


async def read_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches this browser's cookie (CsrfRefused otherwise)."""
    settings = request.app.state.settings
    if int(request.headers.get("content-length") or 0) > settings.max_documents * settings.max_document_bytes + 2**20:
        raise Problem(413, "Request too large")
    try:
        form = await request.form(max_files=settings.max_documents + 1, max_fields=60)
    except MultiPartException:
        raise Problem(400, "Malformed form") from None
    csrf: CsrfTokens = deps_of(request).csrf
    if not csrf.matches(request.cookies.get(csrf.COOKIE), form.get(csrf.FIELD)):
        raise CsrfRefused()
    return form


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def uploads_of(form: FormData, name: str) -> list[UploadFile]:
    """The files chosen under ``name`` (an empty file input sends a nameless, empty part)."""
    return [v for v in form.getlist(name) if isinstance(v, UploadFile) and v.filename and (v.size or 0) > 0]


def document_error(upload: UploadFile, max_bytes: int) -> str | None:
    """Why a document is refused ("too_large", "document"), judged by size and magic bytes."""
    if (upload.size or 0) > max_bytes:
        return "too_large"
    upload.file.seek(0)
    kind = filetype.guess(upload.file.read(262))
    upload.file.seek(0)
    return None if kind is not None and kind.mime in ACCEPTED_TYPES else "document"


def content_type_of(upload: UploadFile) -> str:
    upload.file.seek(0)
    kind = filetype.guess(upload.file.read(262))
    upload.file.seek(0)
    return kind.mime if kind is not None else "application/octet-stream"


def sealed(request: Request, purpose: str, name: str, max_age: int) -> object | None:
    return deps_of(request).sealers[purpose].unseal(request.cookies.get(name), max_age)


def set_sealed(request: Request, response, purpose: str, name: str, value: object, max_age: int,
               samesite: str = "lax") -> None:
    response.set_cookie(name, deps_of(request).sealers[purpose].seal(value), max_age=max_age, httponly=True,
                        samesite=samesite, secure=request.app.state.settings.secure_cookies)


def tracked(request: Request) -> dict | None:
    """The filing this browser follows: {"tracking_number", "access_code"} from its sealed cookie."""
    value = sealed(request, "track", TRACK_COOKIE, request.app.state.settings.tracking_session_seconds)
    return value if isinstance(value, dict) else None


def follow(request: Request, response, tracking_number: str, access_code: str) -> None:
    set_sealed(request, response, "track", TRACK_COOKIE, {"tracking_number": tracking_number,
                                                          "access_code": access_code},
               request.app.state.settings.tracking_session_seconds)


def pending_of(request: Request, kind: str | None = None) -> Pending | None:
    pending_id = sealed(request, "pending", PENDING_COOKIE, request.app.state.settings.staging_seconds)
    pending = store(request).load(pending_id)
    return pending if pending is not None and (kind is None or pending.kind == kind) else None


def keep_pending(request: Request, response, pending: Pending) -> None:
    set_sealed(request, response, "pending", PENDING_COOKIE, pending.id, request.app.state.settings.staging_seconds)


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
