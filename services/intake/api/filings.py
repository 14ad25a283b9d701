"""Public routes: the catalogue, file, follow, answer, withdraw, contest, and the published
committee opinions. Filings are JSON, or multipart with a JSON part and documents: each
document under its type code (``cin_copy``, ``situation_plan``…) or ``documents`` for extras."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import JSONResponse
from fastapi.responses import Response as HttpResponse

from services.intake import handlers
from services.intake.api.body import ContestBody, FilingBody, ResponseBody, WithdrawalBody
from services.intake.api.models import CatalogueEntry, FilingView, OpinionPage, StatusChange, SubmissionAccepted
from services.intake.deps import Deps
from services.intake.domain import commands
from services.intake.domain.catalogue import EXTRA_DOCUMENTS
from services.intake.domain.filings import FILING, Contest, Response
from services.intake.domain.idempotency import MAX_KEY_LENGTH
from shared.deps import Offset, UnitOfWorkDep
from shared.problems import documented_problems
from shared.verification import CODE_PATTERN

router = APIRouter(prefix="/api/v1", tags=["public"], responses=documented_problems(404, 409, 415))
AccessToken = Annotated[str | None, Header(alias="X-Access-Token")]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=MAX_KEY_LENGTH)]
OPINIONS_PAGE_MAX = 100


COMPONENTS = "#/components/schemas/{model}"


def component_schemas() -> dict[str, dict]:
    """The models the hand-written request bodies below refer to, for the OpenAPI components."""
    schemas: dict[str, dict] = {}
    for schema in (FILING.json_schema(ref_template=COMPONENTS), Response.model_json_schema(ref_template=COMPONENTS),
                   Contest.model_json_schema(ref_template=COMPONENTS)):
        schemas.update(schema.pop("$defs", {}))
    return schemas


def _body_schema(schema: dict) -> dict:
    return {key: value for key, value in schema.items() if key != "$defs"}


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


@router.get("/catalogue", summary="What can be filed: labels (ar, fr), fields, documents, deadlines, review path",
            response_model=list[CatalogueEntry])
async def get_catalogue(deps: Deps) -> list[CatalogueEntry]:
    return [CatalogueEntry.model_validate(entry) for entry in deps.catalogue_view]


@router.post("/submissions", status_code=202, summary="File a request (JSON, or multipart with documents)",
             response_model=SubmissionAccepted, openapi_extra=_body_doc(_body_schema(FILING.json_schema(ref_template=COMPONENTS)), "submission"))
async def post_submission(body: FilingBody, uow: UnitOfWorkDep, deps: Deps,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    answer = await handlers.file_submission(commands.FileSubmission(body.value, body.documents, idempotency_key), uow, deps)
    location = f"/api/v1/submissions/{answer['tracking_number']}"
    accepted = SubmissionAccepted(**answer, location=location)
    return JSONResponse(accepted.model_dump(mode="json"), status_code=202, headers={"Location": location})


@router.get("/submissions/{tracking_number}", summary="Status, timeline, observations and decision of a filing",
            response_model=FilingView)
async def get_submission(tracking_number: str, uow: UnitOfWorkDep, deps: Deps,
                         x_access_token: AccessToken = None) -> FilingView:
    return FilingView.model_validate(await handlers.show_filing(commands.ShowFiling(tracking_number, x_access_token), uow, deps))


_PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/submissions/{tracking_number}/receipt", summary="The filing's receipt (récépissé), as the agency issued it",
            response_class=HttpResponse, responses=_PDF)
async def get_receipt(tracking_number: str, uow: UnitOfWorkDep, deps: Deps,
                      x_access_token: AccessToken = None) -> HttpResponse:
    """The sealed PDF the notifier issued and emailed: the same bytes. A 409 for a few seconds
    after the filing, while it is being issued."""
    query = commands.ShowIssuedDocument(tracking_number, x_access_token)
    return await _issued_pdf(await handlers.show_issued_document(query, uow, deps), deps)


@router.get("/submissions/{tracking_number}/issued-documents/{code}", response_class=HttpResponse, responses=_PDF,
            summary="A document the agency issued for the filing (receipt, decision letter, information note)")
async def get_issued_document(tracking_number: str, code: Annotated[str, Path(pattern=CODE_PATTERN)], uow: UnitOfWorkDep,
                              deps: Deps, x_access_token: AccessToken = None) -> HttpResponse:
    query = commands.ShowIssuedDocument(tracking_number, x_access_token, code)
    return await _issued_pdf(await handlers.show_issued_document(query, uow, deps), deps)


async def _issued_pdf(document: dict, deps) -> HttpResponse:
    content = await asyncio.to_thread(deps.issued.read, document["sha256"])
    return HttpResponse(content, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{document["filename"]}"'})


@router.post("/submissions/{tracking_number}/responses", summary="Answer observations, with documents",
             response_model=StatusChange, openapi_extra=_body_doc(_body_schema(Response.model_json_schema(ref_template=COMPONENTS)), "response"))
async def post_response(tracking_number: str, body: ResponseBody, uow: UnitOfWorkDep, deps: Deps,
                        x_access_token: AccessToken = None) -> StatusChange:
    command = commands.RespondToObservations(tracking_number, x_access_token, body.value.message, body.documents)
    return StatusChange.model_validate(await handlers.respond_to_observations(command, uow, deps))


@router.post("/submissions/{tracking_number}/withdraw", summary="Withdraw an open filing", response_model=StatusChange)
async def post_withdraw(tracking_number: str, withdrawal: WithdrawalBody, uow: UnitOfWorkDep, deps: Deps,
                        x_access_token: AccessToken = None) -> StatusChange:
    command = commands.WithdrawFiling(tracking_number, x_access_token, withdrawal.reason)
    return StatusChange.model_validate(await handlers.withdraw_filing(command, uow, deps))


@router.post("/submissions/{tracking_number}/contest", summary="Contest a rejected committee decision (once)",
             response_model=StatusChange, openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": _body_schema(Contest.model_json_schema(ref_template=COMPONENTS))}}}})
async def post_contest(tracking_number: str, contest: ContestBody, uow: UnitOfWorkDep, deps: Deps,
                       x_access_token: AccessToken = None) -> StatusChange:
    command = commands.ContestDecision(tracking_number, x_access_token, contest.motive)
    return StatusChange.model_validate(await handlers.contest_decision(command, uow, deps))


@router.get("/opinions", summary="Published committee opinions, newest first (public, no personal data)",
            response_model=OpinionPage)
async def get_opinions(
    uow: UnitOfWorkDep,
    deps: Deps,
    kind: Annotated[str | None, Query(description="building_permit or subdivision_permit")] = None,
    published_from: Annotated[date | None, Query(alias="from", ge=date(2000, 1, 1), le=date(2999, 12, 31),
                                                 description="First day of publication (agency time)")] = None,
    published_to: Annotated[date | None, Query(alias="to", ge=date(2000, 1, 1), le=date(2999, 12, 31),
                                               description="Last day of publication (agency time)")] = None,
    limit: Annotated[int, Query(ge=1)] = 20,
    offset: Offset = 0,
) -> OpinionPage:
    query = commands.ListOpinions(kind, min(limit, OPINIONS_PAGE_MAX), offset, published_from, published_to)
    return OpinionPage.model_validate(await handlers.list_opinions(query, uow, deps))
