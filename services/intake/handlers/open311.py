"""Open311: complaints filed by client applications, the public view of complaints, and the
clients' keys, each ``verb_noun(message, uow, deps)``.

Keys: one per client application, random (256 bits), shown once and stored as its SHA-256
like the filings' access tokens. The command line manages them (``lamadi open311 keys``)."""

from __future__ import annotations

import re
from typing import Any

import structlog

from services.intake import repository as repo
from services.intake.deps import IntakeDeps
from services.intake.domain.commands import (
    AddClientKey,
    AuthenticateClient,
    FileServiceRequest,
    FileSubmission,
    ListClientKeys,
    ListOpenComplaints,
    ListServiceRequests,
    RevokeClientKey,
)
from services.intake.domain.errors import InvalidApiKey
from services.intake.domain.identifiers import hash_token, new_access_token
from services.intake.domain.open311.requests import filing_of, legal_deadline
from services.intake.handlers.filings import file_submission
from shared.errors import Conflict, InvalidInput, NotFound
from shared.lifecycle import OPEN_STATES
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
CLIENT_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


async def file_service_request(command: FileServiceRequest, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    """The client's key first (403), then the form as a complaint (400 naming the parameter),
    then the filing as any other; the answer's tracking number and expected answer date."""
    client = await authenticate_client(AuthenticateClient(command.api_key), uow, deps)
    filing = filing_of(command.fields, command.language)
    accepted = await file_submission(FileSubmission(filing, command.documents), uow, deps)
    log.info("open311_request_filed", client=client, tracking_number=accepted["tracking_number"],
             media=len(command.documents))
    return {"tracking_number": accepted["tracking_number"],
            "expected": legal_deadline(deps.catalogue, deps.calendar, filing.subtype, deps.clock())}


async def authenticate_client(command: AuthenticateClient, uow: UnitOfWork, deps: IntakeDeps) -> str:
    """The name of the client application holding this key; refused (403) otherwise."""
    client = None if not command.api_key else await repo.open311_client(uow.conn, hash_token(command.api_key))
    if client is None:
        log.info("open311_key_refused", given=bool(command.api_key))
        raise InvalidApiKey()
    return client


async def add_client_key(command: AddClientKey, uow: UnitOfWork, deps: IntakeDeps) -> str:
    """A new key for ``name``, returned once: only its hash is kept."""
    if not CLIENT_NAME.match(command.name):
        raise InvalidInput("name", "a client name is 2-63 lower-case letters, digits, '.', '_' or '-', "
                                   "e.g. fixmystreet")
    key = new_access_token()
    if not await repo.add_open311_key(uow.conn, command.name, hash_token(key)):
        raise Conflict(f"{command.name} already has a key; revoke it first to issue a new one")
    log.info("open311_key_added", client=command.name)
    return key


async def revoke_client_key(command: RevokeClientKey, uow: UnitOfWork, deps: IntakeDeps) -> None:
    if not await repo.revoke_open311_key(uow.conn, command.name):
        raise NotFound(f"no key of {command.name} to revoke (unknown, or revoked already)")
    log.info("open311_key_revoked", client=command.name)


async def list_client_keys(command: ListClientKeys, uow: UnitOfWork, deps: IntakeDeps) -> list[dict[str, Any]]:
    return [dict(row) for row in await repo.list_open311_keys(uow.conn)]


async def list_service_requests(query: ListServiceRequests, uow: UnitOfWork, deps: IntakeDeps) -> list[dict[str, Any]]:
    rows = await repo.list_public_complaints(uow.conn, numbers=query.numbers, subtypes=query.codes,
                                             statuses=query.statuses, since=query.since, until=query.until,
                                             limit=query.limit, offset=query.offset)
    return [dict(row) for row in rows]


async def list_open_complaints(query: ListOpenComplaints, uow: UnitOfWork, deps: IntakeDeps) -> dict[str, Any]:
    """Complaints not answered nor withdrawn yet, newest first: public columns only."""
    statuses = sorted(status.value for status in OPEN_STATES)
    rows = await repo.list_public_complaints(uow.conn, statuses=statuses, limit=query.limit, offset=query.offset)
    total = await repo.count_public_complaints(uow.conn, statuses=statuses)
    return {"items": [dict(row) for row in rows], "total": total, "limit": query.limit, "offset": query.offset}
