"""The bodies of the public commands, as route dependencies: parsed, checked, their documents
kept in the blob store; if the command is then refused (or fails), the files this request
kept are removed again, so a refused filing keeps nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, TypeAdapter

from services.intake.adapters.uploads import (
    ParsedBody,
    PartsCheck,
    parse_json,
    read_body,
    read_files,
    removed_if_refused,
)
from services.intake.deps import Deps, IntakeDeps
from services.intake.domain.catalogue import EXTRA_DOCUMENTS, check_documents, check_fields
from services.intake.domain.filings import FILING, Contest, Response, Withdrawal


def _filing_parts(deps: IntakeDeps) -> PartsCheck:
    return lambda filing, names: check_documents(deps.catalogue, filing.kind, names)


def _any_document_type(deps: IntakeDeps) -> list[str]:
    return [*deps.catalogue.documents, EXTRA_DOCUMENTS]


def _response_parts(deps: IntakeDeps) -> PartsCheck:
    return lambda _, names: check_fields(names, _any_document_type(deps))


def _documents_body(model: TypeAdapter | type[BaseModel] | None, json_part: str,
                    parts_check: Callable[[IntakeDeps], PartsCheck]):
    """A dependency reading such a body (no model: documents only); the files it kept are
    removed if the command then fails."""

    async def dependency(request: Request, deps: Deps) -> AsyncIterator[ParsedBody]:
        if model is None:
            body = await read_files(request, deps.settings, deps.documents, _any_document_type(deps))
        else:
            body = await read_body(request, deps.settings, deps.documents, model, json_part, parts_check(deps))
        async with removed_if_refused(deps.documents, body):
            yield body

    return dependency


async def withdrawal_body(request: Request) -> Withdrawal:
    raw = await request.body()
    return parse_json(Withdrawal, raw) if raw.strip() else Withdrawal()


async def contest_body(request: Request) -> Contest:
    raw = await request.body()
    return parse_json(Contest, raw if raw.strip() else b"{}")


# Declared before the unit of work in a route, so that the body is read (and its files
# stored) before a database connection is taken, and cleaned after the transaction ends.
FilingBody = Annotated[ParsedBody, Depends(_documents_body(FILING, "submission", _filing_parts), scope="function")]
ResponseBody = Annotated[ParsedBody, Depends(_documents_body(Response, "response", _response_parts), scope="function")]
DocumentsBody = Annotated[ParsedBody, Depends(_documents_body(None, "", _response_parts), scope="function")]
WithdrawalBody = Annotated[Withdrawal, Depends(withdrawal_body)]
ContestBody = Annotated[Contest, Depends(contest_body)]
