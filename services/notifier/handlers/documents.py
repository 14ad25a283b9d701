"""The register of issued documents, as the public and staff ask of it: a document by its
code, a dropped PDF checked, a filing's documents listed, a revocation, a corrected information
note. Issuing itself is the email handlers' (``_documents.py``)."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import structlog

from services.notifier import repository
from services.notifier.deps import NotifierDeps
from services.notifier.domain.commands import (
    CorrectInformationNote,
    ListDocuments,
    RevokeDocument,
    ShowDocument,
    VerifyDocument,
)
from services.notifier.domain.documents import (
    REPORT_DOCUMENT_KIND,
    SealFacts,
    ensure_correctable,
    ensure_revocable,
    verdict_of,
)
from services.notifier.domain.errors import DocumentNotFound, DocumentRevokedAlready
from services.notifier.handlers._documents import issue_document
from shared.pdf import AgencyNames, InformationNote
from shared.seal import check_seal_blocking
from shared.unit_of_work import UnitOfWork
from shared.verification import claimed_code

log = structlog.get_logger()


async def show_document(query: ShowDocument, uow: UnitOfWork, deps: NotifierDeps) -> dict[str, Any]:
    row = await repository.get_document(uow.conn, query.code)
    if row is None:
        raise DocumentNotFound("No document was issued with this code.")
    return dict(row)


async def list_documents(query: ListDocuments, uow: UnitOfWork, deps: NotifierDeps) -> list[dict[str, Any]]:
    """A filing's (or a day's) documents, for staff who may read that kind."""
    rows = await repository.list_documents(uow.conn, query.reference)
    return [dict(row) for row in rows if _may(deps, query.roles, "read", row["kind"])]


async def verify_document(command: VerifyDocument, uow: UnitOfWork, deps: NotifierDeps) -> dict[str, Any]:
    """What a dropped PDF is: authentic, altered or unknown, with the reason and the document."""
    check = await asyncio.to_thread(check_seal_blocking, command.content, deps.trust_roots)
    readable = check.reason != "not_a_pdf"
    same = await repository.documents_by_sha256(uow.conn, command.sha256)
    code = same[0]["code"] if same else (claimed_code(command.content) if readable else None)
    row = await repository.get_document(uow.conn, code) if code else None
    seal = SealFacts(sealed=check.sealed, intact=check.intact and check.whole_file, trusted=check.trusted)
    verdict, reason = verdict_of(
        same_bytes_as_issued=bool(same), claims_a_document=row is not None,
        sealed_when_issued=row is not None and row["signer"] is not None, seal=seal if readable else None)
    log.info("document_verified", verdict=verdict, reason=reason)
    return {"verdict": verdict, "reason": reason, "document": dict(row) if row is not None else None}


async def revoke_document(command: RevokeDocument, uow: UnitOfWork, deps: NotifierDeps) -> dict[str, Any]:
    row = await _document_for(uow, deps, command.code, command.roles)
    ensure_revocable(row["state"])
    await _revoke(uow, deps, row["code"], command.reason, command.actor)
    return dict(await repository.get_document(uow.conn, row["code"]))


async def correct_information_note(command: CorrectInformationNote, uow: UnitOfWork, deps: NotifierDeps
                                   ) -> dict[str, Any]:
    """A corrected note is a new document naming the one it replaces; the old one is revoked
    with the reason and points to it (both in this request's transaction). The applicant finds
    it on the tracking page (intake learns of it from document.issued)."""
    row = await _document_for(uow, deps, command.code, command.roles)
    ensure_correctable(row["document"], row["state"])
    recipient = await repository.get_recipient(uow.conn, row["reference"])
    if recipient is None:
        raise DocumentNotFound("The filing of this note is not known here.")
    note = InformationNote(tracking_number=row["reference"], applicant_name=recipient["full_name"],
                           issued_at=deps.clock(), parcel=recipient["details"], facts=command.facts,
                           agency=AgencyNames(**deps.agency.names))
    await _revoke(uow, deps, row["code"], command.reason, command.actor)
    new = await issue_document(uow, deps, None, note, kind=row["kind"], holder=recipient["full_name"], replaces=row["code"])
    return dict(await repository.get_document(uow.conn, new["code"]))


async def _document_for(uow: UnitOfWork, deps: NotifierDeps, code: str, roles: frozenset[str]) -> asyncpg.Record:
    """The document, if these roles may revoke on its kind (a daily report: who may rebuild reports)."""
    row = await repository.get_document(uow.conn, code)
    if row is None:
        raise DocumentNotFound("No document was issued with this code.")
    action = "build_reports" if row["kind"] == REPORT_DOCUMENT_KIND else "revoke"
    deps.policy.ensure(roles, action, None if row["kind"] == REPORT_DOCUMENT_KIND else row["kind"])
    return row


async def _revoke(uow: UnitOfWork, deps: NotifierDeps, code: str, reason: str, actor: str) -> None:
    if await repository.revoke_document(uow.conn, code, reason=reason, by=actor, at=deps.clock()) is None:
        raise DocumentRevokedAlready("This document is revoked already.")
    log.info("document_revoked", code=code, actor=actor)


def _may(deps: NotifierDeps, roles: frozenset[str], action: str, kind: str) -> bool:
    if kind == REPORT_DOCUMENT_KIND:
        return deps.policy.allows(roles, "reports")
    return deps.policy.allows(roles, action, kind)
