"""The daily report: closing a day (build and send, once, whoever asks first), building or
sending one on an operator's command, and reading the archive.

Exactly once: every build takes one PostgreSQL advisory lock for its transaction, then looks
for the day's row (UNIQUE day) before building. Two instances, or two ticks of one, that race
for the same day build it once; the second finds it built. A build claims the entries it
counts in the same transaction, so an entry committed meanwhile goes to the next report
(as a correction if its own day is then built)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg
import structlog

from services.reporting.deps import ReportingDeps
from services.reporting.documents import ATTACHED, ReportFile, render_files
from services.reporting.domain.agency_days import days_to_build
from services.reporting.domain.daily_report import TREND_DAYS, daily_figures, headline
from services.reporting.repository import entries
from services.reporting.repository import reports as archive
from shared.errors import Conflict, NotFound
from shared.events import ReportDailyPublished, ReportFileRef
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()
SCHEDULER = "scheduler"
TREND_PATTERN = r"^(submission\.received|review\.decided)\."


class ReportNotBuilt(NotFound):
    title = "Daily report not built"


class ReportAlreadySent(Conflict):
    title = "Daily report already sent"


class DayNotOver(Conflict):
    title = "Day not over"


@dataclass(frozen=True)
class FindDaysToClose:
    now: datetime


@dataclass(frozen=True)
class CloseDay:
    """The scheduler's: build the day if nobody did, and send it if it was never sent."""

    day: date


@dataclass(frozen=True)
class BuildDailyReport:
    day: date
    actor: str
    force: bool = False  # rebuild a day already sent


@dataclass(frozen=True)
class SendDailyReport:
    day: date
    actor: str


@dataclass(frozen=True)
class ShowDailyReport:
    day: date


@dataclass(frozen=True)
class ShowReportFile:
    day: date
    format: str


@dataclass(frozen=True)
class ShowAudit:
    day: date


@dataclass(frozen=True)
class ListDailyReports:
    limit: int = 60
    offset: int = 0


@dataclass(frozen=True)
class Built:
    day: date
    revision: int
    language: str
    figures: dict[str, Any]
    files: list[ReportFile]
    built_now: bool = True
    sent_now: bool = False


def _archived(row: asyncpg.Record, files: list[ReportFile]) -> Built:
    return Built(row["day"], row["revision"], row["language"], row["figures"], files, built_now=False)


async def find_days_to_close(query: FindDaysToClose, uow: UnitOfWork, deps: ReportingDeps) -> list[date]:
    """The closed days after the last one sent, oldest first."""
    return days_to_build(await archive.last_sent_day(uow.conn), deps.days.last_closed(query.now),
                         limit=deps.settings.report_catch_up_days)


async def close_day(command: CloseDay, uow: UnitOfWork, deps: ReportingDeps) -> Built:
    await archive.lock_builds(uow.conn)
    existing = await archive.get_report(uow.conn, command.day)
    if existing is not None and existing["sent_at"] is not None:
        return _archived(existing, [])
    if existing is None:
        built = await _build(uow, deps, command.day, actor=SCHEDULER, previous=None, force=False)
    else:  # built by an operator, never sent
        built = _archived(existing, await archive.get_files(uow.conn, command.day))
    await _publish(uow, deps, built, actor=SCHEDULER)
    return replace(built, sent_now=True)


async def build_daily_report(command: BuildDailyReport, uow: UnitOfWork, deps: ReportingDeps) -> Built:
    """Build (or rebuild) a closed day without sending it. A sent day is rebuilt only with
    ``force``, and the audit trail says so."""
    last_closed = deps.days.last_closed(deps.clock())
    if command.day > last_closed:
        raise DayNotOver(f"The agency day {command.day} is not over yet; the last closed day is {last_closed}.")
    await archive.lock_builds(uow.conn)
    existing = await archive.get_report(uow.conn, command.day)
    if existing is not None and existing["sent_at"] is not None and not command.force:
        raise ReportAlreadySent(f"The report of {command.day} was sent to the Directorate on "
                                f"{existing['sent_at'].isoformat()}; rebuilding it needs force (it is audited).")
    return await _build(uow, deps, command.day, actor=command.actor, previous=existing, force=command.force)


async def send_daily_report(command: SendDailyReport, uow: UnitOfWork, deps: ReportingDeps) -> Built:
    """Publish a built report (again): the notifier emails it to the Directorate."""
    await archive.lock_builds(uow.conn)
    existing = await archive.get_report(uow.conn, command.day)
    if existing is None:
        raise ReportNotBuilt(f"No report was built for {command.day}.")
    built = _archived(existing, await archive.get_files(uow.conn, command.day))
    await _publish(uow, deps, built, actor=command.actor)
    return replace(built, sent_now=True)


async def show_daily_report(query: ShowDailyReport, uow: UnitOfWork, deps: ReportingDeps
                            ) -> tuple[asyncpg.Record | None, dict[str, Any]]:
    """The built report of a day (its row and figures), or the provisional figures of a day
    not built yet (row None), counted from every entry recorded so far."""
    existing = await archive.get_report(uow.conn, query.day)
    if existing is not None:
        return existing, existing["figures"]
    return None, {**await _figures(uow.conn, deps, query.day, claimed_only=False), "provisional": True}


async def list_daily_reports(query: ListDailyReports, uow: UnitOfWork, deps: ReportingDeps
                             ) -> tuple[list[dict[str, Any]], int]:
    rows, total = await archive.list_reports(uow.conn, limit=query.limit, offset=query.offset)
    files = await archive.file_summaries(uow.conn, [row["day"] for row in rows])
    return [{**dict(row), "files": files.get(row["day"], [])} for row in rows], total


async def show_report_file(query: ShowReportFile, uow: UnitOfWork, deps: ReportingDeps) -> ReportFile:
    found = await archive.get_file(uow.conn, query.day, query.format)
    if found is None:
        raise ReportNotBuilt(f"No report was built for {query.day}: only JSON and CSV exist before it is built.")
    return found


async def show_audit(query: ShowAudit, uow: UnitOfWork, deps: ReportingDeps) -> list[dict[str, Any]]:
    return [dict(row) for row in await archive.audit_of(uow.conn, query.day)]


# --- steps ----------------------------------------------------------------------------------

async def _figures(conn: asyncpg.Connection, deps: ReportingDeps, day: date, *, claimed_only: bool) -> dict:
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
    figures = await _figures(uow.conn, deps, day, claimed_only=True)
    built_at = deps.clock()
    language = deps.settings.directorate_language
    files = await asyncio.to_thread(render_files, figures, language=language, catalogue=deps.catalogue,
                                    font=deps.settings.report_font, agency=deps.agency, built_at=built_at)
    revision = await archive.save_report(uow.conn, day=day, language=language, figures=figures,
                                         built_at=built_at, built_by=actor)
    await archive.save_files(uow.conn, day, files)
    rebuilt = previous is not None
    await archive.audit(uow.conn, day=day, action="rebuilt" if rebuilt else "built", actor=actor, revision=revision,
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
    await archive.mark_sent(uow.conn, built.day, deps.clock())
    await archive.audit(uow.conn, day=built.day, action="sent", actor=actor, revision=built.revision,
                        details={"files": {f.format: f.sha256 for f in attached}})
    uow.emit(ReportDailyPublished(
        report_date=built.day, totals=headline(built.figures), language=built.language,
        revision=built.revision, corrections=len(built.figures["corrections"]),
        files=[ReportFileRef(**f.summary()) for f in attached],
    ), subject=f"daily-report-{built.day.isoformat()}")
    log.info("daily_report_published", day=built.day.isoformat(), revision=built.revision)


async def _keep(deps: ReportingDeps, file: ReportFile) -> None:
    if deps.report_files.exists(file.sha256):
        return

    async def chunks():
        yield file.content

    staged = await deps.report_files.stage(chunks(), check=lambda head, size: None)
    if staged.sha256 != file.sha256:  # the archive's bytes no longer match their recorded hash
        deps.report_files.discard(staged)
        raise RuntimeError(f"the stored {file.format} of the report does not match its sha256")
    deps.report_files.keep(staged)
