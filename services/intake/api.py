"""Public routes: file, follow, answer and withdraw. JSON or multipart with documents."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import UploadFile

from services.intake import handlers
from services.intake.domain.catalogue import catalogue
from services.intake.domain.documents import CheckedDocument, DocumentRejected
from services.intake.domain.filings import FILING, Response, Withdrawal
from services.intake.domain.idempotency import MAX_KEY_LENGTH
from shared.http import correlation_id
from shared.problems import Problem, field_errors

router = APIRouter(prefix="/api/v1", tags=["public"])
AccessToken = Annotated[str | None, Header(alias="X-Access-Token")]


def _body_doc(schema: dict, json_part: str) -> dict:
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schema},
        "multipart/form-data": {"schema": {"type": "object", "required": [json_part], "properties": {
            json_part: {"type": "string", "description": "the JSON document, as text"},
            "documents": {"type": "array", "items": {"type": "string", "format": "binary"},
                          "description": "PDF, PNG or JPEG files"},
        }}},
    }}}


async def _read(request: Request, model: TypeAdapter | type[BaseModel], json_part: str) -> tuple[Any, list[CheckedDocument]]:
    """Parse a JSON body, or a multipart body with a JSON part and documents; check every document."""
    settings = request.app.state.settings
    if int(request.headers.get("content-length") or 0) > settings.max_request_bytes:
        raise Problem(413, "Request too large", f"At most {settings.max_documents} documents of "
                      f"{settings.max_document_bytes // (1024 * 1024)} MB each.")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        return _validate(model, await request.body()), []
    if content_type == "multipart/form-data":
        form = await request.form(max_files=settings.max_documents, max_fields=20)
        raw = form.get(json_part)
        if not isinstance(raw, str):
            raise Problem(422, "Invalid request", f"The multipart body needs a '{json_part}' part holding JSON.",
                          errors=[{"field": json_part, "message": "missing", "code": "missing"}])
        parsed = _validate(model, raw)  # before the documents, so a bad filing keeps nothing
        uploads = [item for item in form.getlist("documents") if isinstance(item, UploadFile)]
        return parsed, await _store_documents(request, uploads)
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


async def _store_documents(request: Request, uploads: list[UploadFile]) -> list[CheckedDocument]:
    store = request.app.state.document_store
    documents = []
    for index, upload in enumerate(uploads, start=1):
        try:
            documents.append(await store.check_and_store(upload, index))
        except DocumentRejected as exc:
            status = 413 if exc.too_large else 415
            raise Problem(status, "Document refused", str(exc),
                          errors=[{"field": f"documents[{index - 1}]", "message": exc.reason, "code": "document"}]) from None
    return documents


@router.get("/catalogue", summary="What can be filed, with labels in Arabic and French")
async def get_catalogue() -> list[dict]:
    return catalogue()


@router.post("/submissions", status_code=202, summary="File a request (JSON, or multipart with documents)",
             openapi_extra=_body_doc(FILING.json_schema(), "submission"))
async def post_submission(
    request: Request, idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None
) -> JSONResponse:
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= MAX_KEY_LENGTH:
        raise Problem(400, "Invalid Idempotency-Key", f"It must be 1 to {MAX_KEY_LENGTH} characters.")
    filing, documents = await _read(request, FILING, "submission")
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
    answer, documents = await _read(request, Response, "response")
    return await handlers.respond_to_observations(request.app.state.runtime.pool, tracking_number, x_access_token,
                                                  answer.message, documents, correlation_id(request))


@router.post("/submissions/{tracking_number}/withdraw", summary="Withdraw an open filing")
async def post_withdraw(request: Request, tracking_number: str, x_access_token: AccessToken = None) -> dict:
    body = await request.body()
    withdrawal = _validate(Withdrawal, body) if body.strip() else Withdrawal()
    return await handlers.withdraw_filing(request.app.state.runtime.pool, tracking_number, x_access_token,
                                          withdrawal.reason, correlation_id(request))
