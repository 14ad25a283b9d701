"""Issuing a document, as the email handlers do it (a private module: helpers, not handlers):
drawn, sealed, kept and registered once per event and document; and registering the daily
report that reporting drew and sealed.

Issuing follows the delivery ledger's rule (``_ledger.py``): for an event, the document is kept
and registered on a connection of its own, committed before any email names it, so whatever
becomes of the consumer's transaction an email never carries a document the register does not
know. An event handled again finds its document registered and sends those bytes."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import structlog

from services.notifier import repository
from services.notifier.adapters.documents import NAMES, IssuedPdf, document_spec
from services.notifier.adapters.report_files import stored_attachments
from services.notifier.deps import NotifierDeps
from services.notifier.domain.documents import REPORT_DOCUMENT_KIND, DocumentName, masked
from services.notifier.handlers._ledger import LEDGER_TIMEOUT
from shared.envelope import Envelope
from shared.events import DocumentIssued, ReportFileRef
from shared.pdf import DecisionLetter, InformationNote, Receipt, Verification
from shared.seal import check_seal_blocking
from shared.unit_of_work import UnitOfWork
from shared.verification import new_code, verification_url

log = structlog.get_logger()
Issuable = Receipt | InformationNote | DecisionLetter


async def issue_document(uow: UnitOfWork, deps: NotifierDeps, envelope: Envelope | None, document: Issuable, *,
                kind: str, holder: str, replaces: str | None = None) -> asyncpg.Record:
    """The document issued for this event (drawn, sealed, kept and registered now if it was not
    yet); ``envelope`` None: issued on a staff request (a correction), never again."""
    name = NAMES[type(document)]
    event_id = envelope.id if envelope is not None else None
    if event_id is not None:
        async with deps.pool.acquire(timeout=LEDGER_TIMEOUT) as own:
            row = await repository.document_issued_for(own, event_id, name)
        if row is not None:
            _announce(uow, row)
            return row
    code = new_code()
    document = document.model_copy(update={"verification": Verification(
        code=code, url=verification_url(deps.settings.portal_url, code))})
    pdf = await deps.documents.issue(document_spec(document))
    sha256 = await asyncio.to_thread(deps.issued.put, pdf.content)
    async with _register_on(uow, deps, own_connection=event_id is not None) as db:
        row = await repository.record_document(
            db, code=code, document=name, reference=document.tracking_number, kind=kind,
            language=getattr(document, "language", "ar"), holder=masked(holder), sha256=sha256,
            filename=pdf.filename, size=len(pdf.content), issued_at=deps.clock(), **_seal_columns(pdf),
            replaces=replaces, issued_for=event_id)
    log.info("document_issued", document=name, code=row["code"], tracking_number=row["reference"],
             sealed=row["signer"] is not None)
    _announce(uow, row)
    return row


def attached(row: asyncpg.Record) -> dict[str, Any]:
    """What a delivery's context keeps of an issued document: the email attaches those bytes."""
    return {"code": row["code"], "filename": row["filename"], "sha256": row["sha256"],
            "content_type": "application/pdf"}


async def register_daily_report(uow: UnitOfWork, deps: NotifierDeps, envelope: Envelope, *, day: str,
                                language: str, pdf: ReportFileRef) -> None:
    """Reporting drew and sealed the report's PDF: registered under its code, its bytes copied
    into the issued-documents store. A day rebuilt (a new revision) replaces the day's last one."""
    if pdf.verification_code is None:
        return  # a report built before documents were issued
    async with deps.pool.acquire(timeout=LEDGER_TIMEOUT) as own:
        if await repository.get_document(own, pdf.verification_code) is not None:
            return
        [stored] = await asyncio.to_thread(stored_attachments, deps.report_files, [pdf.model_dump()])
        content = stored.content
        await asyncio.to_thread(deps.issued.put, content)
        facts = await asyncio.to_thread(check_seal_blocking, content, deps.trust_roots)
        previous = await repository.latest_document(own, day, DocumentName.DAILY_REPORT)
        async with own.transaction():
            if previous is not None:
                await repository.revoke_document(own, previous["code"], reason="superseded",
                                                 by="reporting", at=deps.clock())
            row = await repository.record_document(
                own, code=pdf.verification_code, document=DocumentName.DAILY_REPORT, reference=day,
                kind=REPORT_DOCUMENT_KIND, language=language, holder=None, sha256=pdf.sha256,
                filename=pdf.filename, size=pdf.size, issued_at=deps.clock(),
                signer=facts.signer if facts.sealed else None, sealed_at=facts.signed_at,
                timestamped=facts.timestamp_at is not None,
                replaces=previous["code"] if previous is not None else None, issued_for=envelope.id)
    _announce(uow, row)


@asynccontextmanager
async def _register_on(uow: UnitOfWork, deps: NotifierDeps, *, own_connection: bool):
    """For an event: a connection of its own, committed before any email names the document.
    For a staff request: the request's transaction, with the revocation it goes with."""
    if not own_connection:
        yield uow.conn
        return
    async with deps.pool.acquire(timeout=LEDGER_TIMEOUT) as own:
        yield own


def _seal_columns(pdf: IssuedPdf) -> dict[str, Any]:
    return {"signer": pdf.signer, "sealed_at": pdf.sealed_at, "timestamped": pdf.timestamped}


def _announce(uow: UnitOfWork, row: asyncpg.Record) -> None:
    """Told again whenever the event is handled again: intake keeps documents by code."""
    uow.emit(DocumentIssued(code=row["code"], document=row["document"], reference=row["reference"],
                            language=row["language"], sha256=row["sha256"], filename=row["filename"],
                            issued_at=row["issued_at"], replaces=row["replaces"]), subject=row["reference"])
