"""The daily report: closing a day (build and send, once, whoever asks first), building or
sending one on an operator's command, and reading the archive.

Exactly once: every build takes one PostgreSQL advisory lock for its transaction, then looks
for the day's row (UNIQUE day) before building. Two instances, or two ticks of one, that race
for the same day build it once; the second finds it built. A build claims the entries it
counts in the same transaction, so an entry committed meanwhile goes to the next report
(as a correction if its own day is then built)."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import asyncpg
import structlog

from services.reporting.adapters.documents import ATTACHED, CONTENT_TYPES, ReportFile, figures_json, issue_files
from services.reporting.adapters.documents.csv_table import to_csv
from services.reporting.deps import ReportingDeps
from services.reporting.domain.agency_days import days_to_build
from services.reporting.domain.commands import (
    BuildDailyReport,
    Built,
    CloseDay,
    FindDaysToClose,
    ListDailyReports,
    SendDailyReport,
    ShowAudit,
    ShowDailyReport,
)
from services.reporting.domain.daily_report import TREND_DAYS, daily_figures, headline
from services.reporting.domain.errors import DayNotOver, ReportAlreadySent, ReportNotBuilt
from services.reporting.domain.provisional import ensure_provisional_format, provisional, provisional_filename
from services.reporting.repository import entries, reports
from shared.events import ReportDailyPublished, ReportFileRef
from shared.pdf.qr import Verification
from shared.unit_of_work import UnitOfWork
from shared.verification import new_code, verification_url

log = structlog.get_logger()
SCHEDULER = "scheduler"
TREND_PATTERN = r"^(submission\.received|review\.decided)\."


def _archived(row: asyncpg.Record, files: list[ReportFile]) -> Built:
    return Built(row["day"], row["revision"], row["language"], row["figures"], files, built_now=False)


async def find_days_to_close(query: FindDaysToClose, uow: UnitOfWork, deps: ReportingDeps) -> list[date]:
    """The closed days after the last one sent, oldest first."""
    return days_to_build(await reports.last_sent_day(uow.conn), deps.days.last_closed(query.now),
                         limit=deps.settings.report_catch_up_days)


async def close_day(command: CloseDay, uow: UnitOfWork, deps: ReportingDeps) -> Built:
    await reports.lock_builds(uow.conn)
    existing = await reports.get_report(uow.conn, command.day)
    if existing is not None and existing["sent_at"] is not None:
        return _archived(existing, [])
    if existing is None:
        built = await _build(uow, deps, command.day, actor=SCHEDULER, previous=None, force=False)
    else:  # built by an operator, never sent
        built = _archived(existing, await reports.get_files(uow.conn, command.day))
    await _publish(uow, deps, built, actor=SCHEDULER)
    return replace(built, sent_now=True)


async def build_daily_report(command: BuildDailyReport, uow: UnitOfWork, deps: ReportingDeps) -> Built:
    """Build (or rebuild) a closed day without sending it. A sent day is rebuilt only with
    ``force``, and the audit trail says so."""
    last_closed = deps.days.last_closed(deps.clock())
    if command.day > last_closed:
        raise DayNotOver(f"The agency day {command.day} is not over yet; the last closed day is {last_closed}.")
    await reports.lock_builds(uow.conn)
    existing = await reports.get_report(uow.conn, command.day)
    if existing is not None and existing["sent_at"] is not None and not command.force:
        raise ReportAlreadySent(f"The report of {command.day} was sent to the Directorate on "
                                f"{existing['sent_at'].isoformat()}; rebuilding it needs force (it is audited).")
    return await _build(uow, deps, command.day, actor=command.actor, previous=existing, force=command.force)


async def send_daily_report(command: SendDailyReport, uow: UnitOfWork, deps: ReportingDeps) -> Built:
    """Publish a built report (again): the notifier emails it to the Directorate."""
    await reports.lock_builds(uow.conn)
    existing = await reports.get_report(uow.conn, command.day)
    if existing is None:
        raise ReportNotBuilt(f"No report was built for {command.day}.")
    built = _archived(existing, await reports.get_files(uow.conn, command.day))
    await _publish(uow, deps, built, actor=command.actor)
    return replace(built, sent_now=True)


async def show_daily_report(query: ShowDailyReport, uow: UnitOfWork, deps: ReportingDeps
                            ) -> tuple[ReportFile, bool]:
    """The day's report in ``query.format`` as built and sent (False), or, for a day not built
    yet, its provisional figures so far (True: domain/provisional.py)."""
    if await reports.get_report(uow.conn, query.day) is None:
        ensure_provisional_format(query.day, query.format)
        figures = provisional(await _figures(uow, deps, query.day, claimed_only=False))
        return _drawn_now(query, figures), True
    found = await reports.get_file(uow.conn, query.day, query.format)
    if found is None:
        raise ReportNotBuilt(f"The report of {query.day} has no {query.format} file.")
    return found, False


async def list_daily_reports(query: ListDailyReports, uow: UnitOfWork, deps: ReportingDeps
                             ) -> tuple[list[dict[str, Any]], int]:
    rows, total = await reports.list_reports(uow.conn, limit=query.limit, offset=query.offset)
    files = await reports.file_summaries(uow.conn, [row["day"] for row in rows])
    return [{**dict(row), "files": files.get(row["day"], [])} for row in rows], total


async def show_audit(query: ShowAudit, uow: UnitOfWork, deps: ReportingDeps) -> list[dict[str, Any]]:
    return [dict(row) for row in await reports.audit_of(uow.conn, query.day)]


# --- steps ----------------------------------------------------------------------------------

async def _figures(uow: UnitOfWork, deps: ReportingDeps, day: date, *, claimed_only: bool) -> dict:
    conn = uow.conn
    start, end = deps.days.bounds(day)
    trend_start = deps.days.start(day - timedelta(days=TREND_DAYS - 1))
    return daily_figures(
        day, deps.days, deps.calendar, list(deps.catalogue.kinds),
        day_steps=await entries.steps_between(conn, start, end, claimed_only=claimed_only),
        filings=await entries.live_filings(conn, start, end, claimed_only=claimed_only),
        trend_steps=await entries.steps_between(conn, trend_start, end, claimed_only=claimed_only,
                                                pattern=TREND_PATTERN),
        late_steps=await entries.late_steps(conn, day, start) if claimed_only else [],
    )


async def _build(uow: UnitOfWork, deps: ReportingDeps, day: date, *, actor: str,
                 previous: asyncpg.Record | None, force: bool) -> Built:
    claimed = await entries.claim(uow.conn, day, deps.days)
    figures = await _figures(uow, deps, day, claimed_only=True)
    built_at = deps.clock()
    language = deps.settings.directorate_language
    code = new_code()  # the PDF is an issued document: its QR code opens <portal>/verify/<code>
    verification = Verification(code=code, url=verification_url(deps.settings.portal_url, code))
    files = await asyncio.to_thread(issue_files, figures, language=language, catalogue=deps.catalogue,
                                    font=deps.settings.report_font, agency=deps.agency, built_at=built_at,
                                    verification=verification, sealer=deps.sealer)
    revision = await reports.save_report(uow.conn, day=day, language=language, figures=figures,
                                         built_at=built_at, built_by=actor)
    await reports.save_files(uow.conn, day, files)
    rebuilt = previous is not None
    await reports.audit(uow.conn, day=day, action="rebuilt" if rebuilt else "built", actor=actor, revision=revision,
                        forced=force and rebuilt and previous["sent_at"] is not None,
                        details={"files": {f.format: f.sha256 for f in files}, "entries_claimed": claimed})
    log.info("daily_report_built", day=day.isoformat(), revision=revision, rebuilt=rebuilt, forced=force,
             corrections=len(figures["corrections"]))
    return Built(day, revision, language, figures, files)


async def _publish(uow: UnitOfWork, deps: ReportingDeps, built: Built, *, actor: str) -> None:
    """Put the attached files where the notifier reads them, then emit the event (it leaves
    with the commit, through the outbox)."""
    attached = [f for f in built.files if f.format in ATTACHED]
    for file in attached:
        await _keep(deps, file)
    await reports.mark_sent(uow.conn, built.day, deps.clock())
    await reports.audit(uow.conn, day=built.day, action="sent", actor=actor, revision=built.revision,
                        details={"files": {f.format: f.sha256 for f in attached}})
    uow.emit(ReportDailyPublished(
        report_date=built.day, totals=headline(built.figures), language=built.language,
        revision=built.revision, corrections=len(built.figures["corrections"]),
        files=[ReportFileRef(**f.summary()) for f in attached],
    ), subject=f"daily-report-{built.day.isoformat()}")
    log.info("daily_report_published", day=built.day.isoformat(), revision=built.revision)


def _drawn_now(query: ShowDailyReport, figures: dict[str, Any]) -> ReportFile:
    content = figures_json(figures) if query.format == "json" else to_csv(figures).encode()
    return ReportFile(format=query.format, filename=provisional_filename(query.day, query.format),
                      content_type=CONTENT_TYPES[query.format], content=content,
                      sha256=hashlib.sha256(content).hexdigest(), size=len(content))


async def _keep(deps: ReportingDeps, file: ReportFile) -> None:
    if hashlib.sha256(file.content).hexdigest() != file.sha256:  # the archive's bytes no longer match
        raise RuntimeError(f"the stored {file.format} of the report does not match its sha256")
    await asyncio.to_thread(deps.report_files.put, file.content)
