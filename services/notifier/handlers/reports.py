"""The daily report to the Urban Planning Directorate: one email per configured address, in
the report's language, with its PDF, XLSX and CSV attached and each file's sha256 in the body.

The files are read from the report-files blob store (reporting writes it, the notifier reads
it, as intake and review share the documents); the delivery's context keeps their names and
hashes, so a resend attaches the same bytes, checked again."""

from __future__ import annotations

import asyncio

import structlog

from services.notifier.adapters.report_files import stored_attachments
from services.notifier.deps import NotifierDeps
from services.notifier.domain.commands import ShowReportRecipients
from services.notifier.domain.deliveries import REPORT_KIND
from services.notifier.handlers._documents import register_daily_report
from services.notifier.handlers._ledger import notify
from shared.envelope import Envelope
from shared.events import ReportDailyPublished
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
TEMPLATE = "report_daily"
DIRECTORATE = {"fr": "Direction de l'Urbanisme", "ar": "مديرية التعمير"}


async def send_daily_report(envelope: Envelope, uow: UnitOfWork, deps: NotifierDeps) -> None:
    event = envelope.parse(ReportDailyPublished)
    for pdf in (file for file in event.files if file.format == "pdf"):
        await register_daily_report(uow, deps, envelope, day=event.report_date.isoformat(), language=event.language,
                                    pdf=pdf)
    addresses = deps.settings.directorate_emails
    if not addresses:
        log.warning("daily_report_not_emailed", report_date=event.report_date.isoformat(),
                    reason="LAMADI_DIRECTORATE_EMAILS is empty")
        return
    files = [file.model_dump() for file in event.files]
    # Every file present and intact before any delivery is recorded; else the event is retried.
    await asyncio.to_thread(stored_attachments, deps.report_files, files)
    details = {
        "report_date": event.report_date.strftime("%d/%m/%Y"), "revision": event.revision,
        "corrections": event.corrections, "totals": {"overdue": 0, **event.totals}, "files": files,
    }
    for address in addresses:
        directorate = {"full_name": DIRECTORATE[event.language], "email": address, "language": event.language,
                       "tracking_number": envelope.subject}
        await notify(uow, deps, envelope, TEMPLATE, directorate, REPORT_KIND, details)


async def show_report_recipients(query: ShowReportRecipients, uow: UnitOfWork, deps: NotifierDeps) -> list[str]:
    """The addresses each daily report is emailed to; none: it is archived, emailed to nobody."""
    return [str(address) for address in deps.settings.directorate_emails]
