"""Open311 GeoReport v2 routes (wiki.open311.org/GeoReport_v2), under /open311/v2, each in
XML or JSON by its extension: discovery, services, a service's definition, POST requests (a
complaint filed like any other) and GET requests (public fields only).

Refusals use the specification's error format and statuses: 404 for what does not exist, 403
for a missing or wrong api_key, 400 for everything else. So these routes open their unit of
work themselves (``shared.unit_of_work.run``): a refusal is rolled back before it is turned
into an answer, where the route dependency would commit an answer the route returned.

A POSTed request's media are checked and kept before its one unit of work (as every filing's
documents are, before a database connection is taken), and removed again if it is refused."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import structlog
from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.intake import handlers
from services.intake.adapters.uploads import keep_media, removed_if_refused
from services.intake.api import open311_render as render
from services.intake.deps import Deps, IntakeDeps
from services.intake.domain.commands import FileServiceRequest
from services.intake.domain.open311.requests import PAGE_SIZE_MAX, public_request, requests_query, service_notice
from services.intake.domain.open311.services import (
    CHANGESET,
    evidence_type,
    language_of,
    service_definition,
    service_list,
)
from shared.deps import MAX_OFFSET, CorrelationId
from shared.edge import check_pairs
from shared.errors import DomainError, Forbidden, InvalidInput, NotFound
from shared.problems import Problem
from shared.unit_of_work import run

log = structlog.get_logger()
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MEDIA = "media"  # the multipart file part of the common media extension
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _describe(error: dict) -> str:
    field, message = error.get("field", ""), error["message"]
    return message if message.startswith(field) else f"{field}: {message}"


class Open311Route(APIRoute):
    """Every refusal of these routes in the specification's error format."""

    def get_route_handler(self):
        handle = super().get_route_handler()

        async def handle_in_open311_terms(request: Request) -> Response:
            try:
                return await handle(request)
            except DomainError as exc:
                status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, Forbidden) else 400
                descriptions = [_describe(error) for error in exc.errors or []] or [exc.detail]
            except RequestValidationError as exc:
                status = 400
                descriptions = [f"{error['loc'][-1]}: {error['msg']}" for error in exc.errors()]
            except StarletteHTTPException as exc:  # a malformed form body, for one
                status, descriptions = (exc.status_code if exc.status_code in (403, 404) else 400), [str(exc.detail)]
            except Problem as exc:  # the shared string rule on a multipart form's fields
                status = 400
                descriptions = [_describe(error) for error in exc.errors or []] or [exc.detail or exc.title]
            fmt = request.path_params.get("response_format")
            log.info("open311_refused", status=status, route=self.path)
            return render.errors(fmt if fmt in render.FORMATS else "xml", status, descriptions)

        return handle_in_open311_terms


# What these routes answer, in the format the path names: XML or JSON, errors included (in the
# specification's format, not problem+json).
_XML = {"text/xml": {"schema": {"type": "string"}}}
_ERRORS = {"application/json": {"schema": {"type": "array", "items": {
    "type": "object", "required": ["code", "description"],
    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}}, **_XML}
OPEN311_ANSWERS = {
    200: {"description": "The answer, in XML or JSON as asked", "content": {"application/json": {}, **_XML}},
    **{status: {"description": f"{status}: refused, in the specification's error format", "content": _ERRORS}
       for status in (400, 403, 404)},
}
MAX_PAGE = MAX_OFFSET // PAGE_SIZE_MAX  # a later page would skip past PostgreSQL's 64-bit OFFSET
router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=Open311Route, responses=OPEN311_ANSWERS)
Format = Annotated[str, Path(description="xml or json (another is 404, as the specification has it)")]
Locale = Annotated[str | None, Query(description="fr or ar (default: Accept-Language, then fr)")]


def _format(response_format: str) -> str:
    if response_format not in render.FORMATS:
        raise NotFound(f"no .{response_format} answers here: use .xml or .json")
    return response_format


@router.get("/discovery.{response_format}", summary="Service discovery: endpoint, formats, contact")
async def get_discovery(response_format: Format, request: Request, deps: Deps) -> Response:
    settings = deps.settings
    endpoint = {"specification": SPECIFICATION, "url": f"{str(request.base_url).rstrip('/')}{router.prefix}",
                "changeset": CHANGESET, "type": "production" if settings.env == "production" else "test",
                "formats": [media_type.split(";")[0] for media_type in render.FORMATS.values()]}
    return render.answer(_format(response_format), "discovery", {
        "changeset": CHANGESET, "contact": settings.open311_contact, "key_service": settings.open311_key_service,
        "endpoints": [endpoint]})


@router.get("/services.{response_format}", summary="The complaint subtypes as service codes")
async def get_services(response_format: Format, request: Request, deps: Deps, locale: Locale = None) -> Response:
    language = language_of(locale, request.headers.get("accept-language"))
    return render.answer(_format(response_format), "services", service_list(deps.catalogue, language))


@router.get("/services/{service_code}.{response_format}", summary="A service's attributes")
async def get_service_definition(service_code: str, response_format: Format, request: Request,
                                 locale: Locale = None) -> Response:
    fmt = _format(response_format)
    language = language_of(locale, request.headers.get("accept-language"))
    return render.answer(fmt, "service_definition", service_definition(service_code, language))


async def _read_form(request: Request, deps: IntakeDeps) -> FormData:
    # The body's size is bounded as it streams (shared/http.py); a form-encoded one's fields went
    # through the edge's string rule already, a multipart one's go through it in _split.
    if request.headers.get("content-type", "").split(";")[0].strip().lower() not in FORM_TYPES:
        raise InvalidInput("Content-Type", "send application/x-www-form-urlencoded, or multipart/form-data "
                                           "with media files", code="media_type")
    return await request.form(max_files=deps.settings.max_documents, max_fields=100)


def _split(form: FormData) -> tuple[dict[str, list[str]], list[UploadFile]]:
    fields: dict[str, list[str]] = {}
    media: list[UploadFile] = []
    check_pairs([(name, value) for name, value in form.multi_items() if isinstance(value, str)], "body")
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
        elif name == MEDIA:
            media.append(value)
        else:
            raise InvalidInput(name, f"only '{MEDIA}' may be a file", code="not_media")
    return fields, media


@router.post("/requests.{response_format}", summary="File a complaint (form-encoded; multipart with media)",
             openapi_extra={"requestBody": {"required": True, "content": {ctype: {"schema": {
                 "type": "object", "required": ["api_key", "service_code", "email", "description"],
                 "additionalProperties": True}} for ctype in FORM_TYPES}}})
async def post_service_request(response_format: Format, request: Request, deps: Deps,
                               correlation_id: CorrelationId) -> Response:
    fmt = _format(response_format)
    form = await _read_form(request, deps)
    try:
        fields, media = _split(form)
        api_key = (fields.get("api_key") or [request.query_params.get("api_key")])[-1]
        locale = (fields.get("locale") or [request.query_params.get("locale")])[-1]
        language = language_of(locale, request.headers.get("accept-language"))
        kept = await keep_media(deps.documents, media, evidence_type(deps.catalogue),
                                deps.settings.max_document_bytes, MEDIA)
        async with removed_if_refused(deps.documents, kept):
            filed = await run(handlers.file_service_request,
                              FileServiceRequest(api_key, fields, language, kept.documents), deps,
                              correlation_id=correlation_id)
    finally:
        await form.close()
    return render.answer(fmt, "service_requests", [{"service_request_id": filed["tracking_number"],
                                                     "service_notice": service_notice(filed["expected"], language)}])


@router.get("/requests.{response_format}", summary="Complaints: status, dates, place (no personal data)")
async def get_service_requests(
    response_format: Format, request: Request, deps: Deps, correlation_id: CorrelationId,
    service_request_id: Annotated[list[str] | None, Query(description="comma-delimited; overrides the rest")] = None,
    service_code: Annotated[list[str] | None, Query(description="comma-delimited")] = None,
    start_date: Annotated[datetime | None, Query(description="w3 format, e.g. 2026-01-01T00:00:00Z")] = None,
    end_date: Annotated[datetime | None, Query(description="at most 90 days after start_date")] = None,
    status: Annotated[list[str] | None, Query(description="open, closed (comma-delimited)")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="From 1; the page's first item is skipped past "
                                                                "by a 64-bit OFFSET, so pages end there")] = 1,
    page_size: Annotated[int, Query(ge=1, le=PAGE_SIZE_MAX)] = PAGE_SIZE_MAX,
    locale: Locale = None,
) -> Response:
    fmt = _format(response_format)
    query = requests_query(ids=service_request_id, codes=service_code, statuses=status, start=start_date,
                           end=end_date, page=page, page_size=page_size, now=deps.clock())
    return _requests_answer(fmt, request, deps, locale,
                            await run(handlers.list_service_requests, query, deps, correlation_id=correlation_id))


@router.get("/requests/{service_request_id}.{response_format}", summary="One complaint (no personal data)")
async def get_service_request(service_request_id: str, response_format: Format, request: Request, deps: Deps,
                              correlation_id: CorrelationId, locale: Locale = None) -> Response:
    fmt = _format(response_format)
    query = requests_query(ids=[service_request_id], codes=None, statuses=None, start=None, end=None, page=1,
                           page_size=1, now=deps.clock())
    rows = await run(handlers.list_service_requests, query, deps, correlation_id=correlation_id)
    if not rows:
        raise NotFound(f"service_request_id {service_request_id} was not found")
    return _requests_answer(fmt, request, deps, locale, rows)


def _requests_answer(fmt: str, request: Request, deps: IntakeDeps, locale: str | None, rows: list[dict]) -> Response:
    language = language_of(locale, request.headers.get("accept-language"))
    return render.answer(fmt, "service_requests", [
        public_request(row, catalogue=deps.catalogue, calendar=deps.calendar, language=language,
                       agency=deps.agency.name_fr) for row in rows])
