"""Public routes: the catalogue, file, follow, answer, withdraw, contest, and the published
committee opinions. Filings are JSON, or multipart with a JSON part and documents: each
document under its type code (``cin_copy``, ``situation_plan``…) or ``documents`` for extras."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import UploadFile

from services.intake import handlers
from services.intake.domain.catalogue import (
    EXTRA_DOCUMENTS,
    document_entry,
    document_fields,
    missing_documents,
    unknown_fields,
)
from services.intake.domain.documents import CheckedDocument, DocumentRejected
from services.intake.domain.filings import FILING, Contest, Filing, Response, Withdrawal
from services.intake.domain.idempotency import MAX_KEY_LENGTH
from shared.http import correlation_id
from shared.problems import Problem, field_errors

router = APIRouter(prefix="/api/v1", tags=["public"])
AccessToken = Annotated[str | None, Header(alias="X-Access-Token")]
Parts = list[tuple[str, UploadFile | str]]
Check = Callable[[Any, Parts], Awaitable[None]]
OPINIONS_PAGE_MAX = 100


def _body_doc(schema: dict, json_part: str) -> dict:
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schema},
        "multipart/form-data": {"schema": {"type": "object", "required": [json_part], "properties": {
            json_part: {"type": "string", "description": "the JSON document, as text"},
            EXTRA_DOCUMENTS: {"type": "array", "items": {"type": "string", "format": "binary"},
                              "description": "untyped extra documents; PDF, PNG or JPEG files"},
        }, "additionalProperties": {
            "type": "array", "items": {"type": "string", "format": "binary"},
            "description": "documents, each part named by its type code in GET /api/v1/catalogue "
                           "(cin_copy, situation_plan…); a filing needs its kind's required documents"}}},
    }}}


async def _read(request: Request, model: TypeAdapter | type[BaseModel], json_part: str,
                check: Check) -> tuple[Any, list[CheckedDocument]]:
    """Parse a JSON body, or a multipart body with a JSON part and documents. Order: the JSON,
    then ``check`` (document fields and presence), then every document is checked and stored,
    so a refused filing keeps nothing."""
    settings = request.app.state.settings
    if int(request.headers.get("content-length") or 0) > settings.max_request_bytes:
        raise Problem(413, "Request too large", f"At most {settings.max_documents} documents of "
                      f"{settings.max_document_bytes // (1024 * 1024)} MB each.")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        parsed = _validate(model, await request.body())
        await check(parsed, [])
        return parsed, []
    if content_type == "multipart/form-data":
        form = await request.form(max_files=settings.max_documents, max_fields=20)
        raw = form.get(json_part)
        if not isinstance(raw, str):
            raise Problem(422, "Invalid request", f"The multipart body needs a '{json_part}' part holding JSON.",
                          errors=[{"field": json_part, "message": "missing", "code": "missing"}])
        parsed = _validate(model, raw)
        parts: Parts = [(name, value) for name, value in form.multi_items() if name != json_part]
        await check(parsed, parts)
        return parsed, await _store_documents(request, [(n, v) for n, v in parts if isinstance(v, UploadFile)])
    raise Problem(415, "Unsupported media type", "Send application/json or multipart/form-data.")


def _validate(model: TypeAdapter | type[BaseModel], raw: str | bytes) -> Any:
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise Problem(400, "Malformed JSON", f"The body is not valid JSON: {exc}.") from None
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(parsed)
        return model.model_validate(parsed)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"], *(("kind",) if e["type"].startswith("union_tag") else ()))}
                  for e in exc.errors()]
        raise Problem(422, "Invalid request", "Some fields are missing or wrong.", errors=field_errors(errors)) from None


def _check_parts(parts: Parts, accepted: list[str]) -> None:
    """Every part must be a file under an accepted document field."""
    unknown = unknown_fields((name for name, _ in parts), accepted)
    if unknown:
        raise Problem(422, "Unknown form fields",
                      f"These parts are not documents of this filing: {', '.join(unknown)}. Send each document "
                      f"under its type code ({', '.join(accepted)}).",
                      errors=[{"field": name, "message": "not a document type of this filing", "code": "unknown_field"}
                              for name in unknown])
    texts = sorted({name for name, value in parts if not isinstance(value, UploadFile)})
    if texts:
        raise Problem(422, "Invalid request", "Document parts must be files.",
                      errors=[{"field": name, "message": "not a file", "code": "not_a_file"} for name in texts])


def _filing_check(request: Request) -> Check:
    catalogue = request.app.state.catalogue

    async def check(filing: Filing, parts: Parts) -> None:
        kind = catalogue.kind(filing.kind)
        _check_parts(parts, document_fields(kind))
        missing = [document_entry(catalogue, code) for code in missing_documents(kind, (n for n, _ in parts))]
        if missing:
            raise Problem(422, "Required documents missing", "This filing needs: " + "; ".join(
                f"{d['code']} ({d['fr']} / {d['ar']})" for d in missing) + ".", errors=[
                {"field": d["code"], "message": f"required document missing: {d['fr']} / {d['ar']}",
                 "code": "missing_document", "labels": {"fr": d["fr"], "ar": d["ar"]}} for d in missing])
        await handlers.check_previous_filing(request.app.state.runtime.pool, filing)

    return check


def _response_check(request: Request) -> Check:
    accepted = [*request.app.state.catalogue.documents, EXTRA_DOCUMENTS]

    async def check(_: Response, parts: Parts) -> None:
        _check_parts(parts, accepted)

    return check


async def _store_documents(request: Request, uploads: list[tuple[str, UploadFile]]) -> list[CheckedDocument]:
    try:
        return await request.app.state.document_store.check_and_store(uploads)
    except DocumentRejected as exc:
        status = 413 if exc.too_large else 415
        raise Problem(status, "Document refused", str(exc),
                      errors=[{"field": exc.field, "message": exc.reason, "code": "document"}]) from None


@router.get("/catalogue", summary="What can be filed: labels (ar, fr), fields, documents, deadlines, review path")
async def get_catalogue(request: Request) -> list[dict]:
    return request.app.state.catalogue_view


@router.post("/submissions", status_code=202, summary="File a request (JSON, or multipart with documents)",
             openapi_extra=_body_doc(FILING.json_schema(), "submission"))
async def post_submission(
    request: Request, idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None
) -> JSONResponse:
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= MAX_KEY_LENGTH:
        raise Problem(400, "Invalid Idempotency-Key", f"It must be 1 to {MAX_KEY_LENGTH} characters.")
    filing, documents = await _read(request, FILING, "submission", _filing_check(request))
    command = handlers.FileSubmission(filing, documents, idempotency_key, correlation_id(request))
    answer = await handlers.file_submission(request.app.state.runtime.pool, command)
    location = f"/api/v1/submissions/{answer['tracking_number']}"
    return JSONResponse({**answer, "location": location}, status_code=202, headers={"Location": location})


@router.get("/submissions/{tracking_number}", summary="Status, timeline, observations and decision of a filing")
async def get_submission(request: Request, tracking_number: str, x_access_token: AccessToken = None) -> JSONResponse:
    view = await handlers.public_view(request.app.state.runtime.pool, tracking_number, x_access_token)
    return JSONResponse(json.loads(json.dumps(view, default=str)))


@router.post("/submissions/{tracking_number}/responses", summary="Answer observations, with documents",
             openapi_extra=_body_doc(Response.model_json_schema(), "response"))
async def post_response(request: Request, tracking_number: str, x_access_token: AccessToken = None) -> dict:
    answer, documents = await _read(request, Response, "response", _response_check(request))
    return await handlers.respond_to_observations(request.app.state.runtime.pool, tracking_number, x_access_token,
                                                  answer.message, documents, correlation_id(request))


@router.post("/submissions/{tracking_number}/withdraw", summary="Withdraw an open filing")
async def post_withdraw(request: Request, tracking_number: str, x_access_token: AccessToken = None) -> dict:
    body = await request.body()
    withdrawal = _validate(Withdrawal, body) if body.strip() else Withdrawal()
    return await handlers.withdraw_filing(request.app.state.runtime.pool, tracking_number, x_access_token,
                                          withdrawal.reason, correlation_id(request))


@router.post("/submissions/{tracking_number}/contest", summary="Contest a rejected committee decision (once)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": Contest.model_json_schema()}}}})
async def post_contest(request: Request, tracking_number: str, x_access_token: AccessToken = None) -> dict:
    body = await request.body()
    contest = _validate(Contest, body if body.strip() else b"{}")
    return await handlers.contest_decision(request.app.state.runtime.pool, request.app.state.catalogue.kind,
                                           tracking_number, x_access_token, contest.motive, correlation_id(request))


@router.get("/opinions", summary="Published committee opinions, newest first (public, no personal data)")
async def get_opinions(
    request: Request,
    kind: Annotated[str | None, Query(description="building_permit or subdivision_permit")] = None,
    limit: Annotated[int, Query(ge=1)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    page = await handlers.list_opinions(request.app.state.runtime.pool, kind=kind,
                                        limit=min(limit, OPINIONS_PAGE_MAX), offset=offset)
    return JSONResponse(json.loads(json.dumps(page, default=str)))
