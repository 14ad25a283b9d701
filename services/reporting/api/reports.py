"""The daily reports: the archive of built days, each day's files, and the operators' build
and send commands (``lamadi report build|send`` call these)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from services.reporting import handlers
from services.reporting.adapters.documents import CONTENT_TYPES
from services.reporting.api.days import parse_day
from services.reporting.deps import Deps
from services.reporting.domain.commands import (
    BuildDailyReport,
    Built,
    ListDailyReports,
    SendDailyReport,
    ShowAudit,
    ShowDailyReport,
)
from shared.auth import Staff, require
from shared.deps import Offset, UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=documented_problems(401, 403, 404, 409))
READERS = require("reports")
OPERATORS = require("build_reports")
Format = Literal["json", "csv", "xlsx", "pdf"]
ACCEPTED = {"text/csv": "csv", "application/pdf": "pdf", CONTENT_TYPES["xlsx"]: "xlsx"}


class FileSummary(BaseModel):
    format: str
    filename: str
    sha256: str
    size: int


class ReportSummary(BaseModel):
    day: str
    revision: int
    language: str
    files: list[FileSummary]
    built_now: bool
    sent_now: bool


def _summary(built: Built) -> ReportSummary:
    return ReportSummary(day=built.day.isoformat(), revision=built.revision, language=built.language,
                         files=[FileSummary(**f.summary()) for f in built.files], built_now=built.built_now,
                         sent_now=built.sent_now)


def _wanted(request: Request, format_: Format | None) -> str:
    if format_ is not None:
        return format_
    accept = request.headers.get("accept", "")
    return next((fmt for media, fmt in ACCEPTED.items() if media in accept), "json")


@router.get(
    "/reports/daily",
    summary="The archive of daily reports, or one day's report as JSON, CSV, XLSX or PDF",
    description="Without `date`: the built days, newest first, with each file's sha256. With `date` (agency "
    "day, YYYY-MM-DD): that day's report, as built and sent (`format=json|csv|xlsx|pdf`, or `Accept`). A day "
    "not built yet answers its provisional figures so far (JSON or CSV only, `provisional: true`). "
    "`pending` counts files open at the end of the day, `overdue` those of them past their decision "
    "deadline; `processing` gives, for the day's decisions, the share within the legal deadline and the "
    "median and 90th percentile of working days taken; `corrections` holds events that arrived after "
    "their own day's report was built.",
    responses={200: {"content": {"application/json": {}, "text/csv": {}, "application/pdf": {},
                                 CONTENT_TYPES["xlsx"]: {}}}},
)
async def get_daily_reports(
    request: Request,
    staff: Annotated[Staff, Depends(READERS)],
    uow: UnitOfWorkDep,
    deps: Deps,
    date_: Annotated[str | None, Query(alias="date", description="YYYY-MM-DD, an agency day")] = None,
    format_: Annotated[Format | None, Query(alias="format")] = None,
    limit: Annotated[int, Query(ge=1, le=366)] = 60,
    offset: Offset = 0,
):
    if date_ is None:
        rows, total = await handlers.list_daily_reports(ListDailyReports(limit, offset), uow, deps)
        return {"reports": rows, "total": total, "limit": limit, "offset": offset}
    query = ShowDailyReport(parse_day(date_, "query.date"), _wanted(request, format_))
    file, provisional = await handlers.show_daily_report(query, uow, deps)
    if provisional:  # drawn now, kept nowhere: no tag to cache it by
        return Response(file.content, media_type=file.content_type,
                        headers={"Content-Disposition": f'inline; filename="{file.filename}"'})
    return Response(file.content, media_type=file.content_type, headers={
        "Content-Disposition": f'{"inline" if query.format == "json" else "attachment"}; filename="{file.filename}"',
        "ETag": f'"{file.sha256}"',
        "X-Content-SHA256": file.sha256,
    })


@router.post(
    "/reports/daily/{day}/build",
    summary="Build (or rebuild) a closed day's report, without sending it",
    description="A day already sent to the Directorate is rebuilt only with `force=true`, recorded in the "
    "day's audit trail. Answers the new revision and its files' sha256.",
)
async def post_build(day: str, staff: Annotated[Staff, Depends(OPERATORS)], uow: UnitOfWorkDep, deps: Deps,
                     force: bool = False) -> ReportSummary:
    command = BuildDailyReport(parse_day(day, "path.day"), actor=staff.sub, force=force)
    return _summary(await handlers.build_daily_report(command, uow, deps))


@router.post(
    "/reports/daily/{day}/send",
    summary="Send a built report to the Directorate (again)",
    description="Publishes `report.daily_published.v1`; the notifier emails the PDF, XLSX and CSV.",
)
async def post_send(day: str, staff: Annotated[Staff, Depends(OPERATORS)], uow: UnitOfWorkDep,
                    deps: Deps) -> ReportSummary:
    command = SendDailyReport(parse_day(day, "path.day"), actor=staff.sub)
    return _summary(await handlers.send_daily_report(command, uow, deps))


@router.get("/reports/daily/{day}/audit", summary="Who built, rebuilt and sent a day's report, and when")
async def get_audit(day: str, staff: Annotated[Staff, Depends(READERS)], uow: UnitOfWorkDep, deps: Deps) -> dict:
    parsed = parse_day(day, "path.day")
    return {"day": parsed.isoformat(), "audit": await handlers.show_audit(ShowAudit(parsed), uow, deps)}
