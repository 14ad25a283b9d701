"""The bodies of the public commands, as route dependencies: parsed, checked, their documents
kept in the blob store; if the command is then refused (or fails), the files this request
kept are removed again, so a refused filing keeps nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, TypeAdapter

from services.intake.deps import Deps, IntakeDeps
from services.intake.domain.catalogue import EXTRA_DOCUMENTS, document_entry, document_fields, missing_documents
from services.intake.domain.filings import FILING, Contest, Filing, Response, Withdrawal
from services.intake.uploads import ParsedBody, PartsCheck, check_fields, parse_json, read_body
from shared.errors import DomainError


def _filing_parts(deps: IntakeDeps) -> PartsCheck:
    def check(filing: Filing, names: list[str]) -> None:
        kind = deps.catalogue.kind(filing.kind)
        check_fields(names, document_fields(kind))
        missing = [document_entry(deps.catalogue, code) for code in missing_documents(kind, names)]
        if missing:
            raise DomainError("This filing needs: " + "; ".join(
                f"{d['code']} ({d['fr']} / {d['ar']})" for d in missing) + ".", title="Required documents missing",
                errors=[{"field": d["code"], "message": f"required document missing: {d['fr']} / {d['ar']}",
                         "code": "missing_document", "labels": {"fr": d["fr"], "ar": d["ar"]}} for d in missing])

    return check


def _response_parts(deps: IntakeDeps) -> PartsCheck:
    accepted = [*deps.catalogue.documents, EXTRA_DOCUMENTS]
    return lambda _, names: check_fields(names, accepted)


def _documents_body(model: TypeAdapter | type[BaseModel], json_part: str,
                    parts_check: Callable[[IntakeDeps], PartsCheck]):
    """A dependency reading such a body; the files it kept are removed if the command fails."""

    async def dependency(request: Request, deps: Deps) -> AsyncIterator[ParsedBody]:
        body = await read_body(request, deps.settings, deps.documents, model, json_part, parts_check(deps))
        try:
            yield body
        except BaseException:
            for sha256 in body.new_blobs:
                deps.documents.remove(sha256)
            raise

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
WithdrawalBody = Annotated[Withdrawal, Depends(withdrawal_body)]
ContestBody = Annotated[Contest, Depends(contest_body)]
