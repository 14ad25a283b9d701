"""Reporting HTTP API: the daily report and the operators' queue view."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from services.reporting import handlers
from services.reporting.deps import Deps
from services.reporting.domain.daily_report import to_csv, today
from shared.auth import Staff, require
from shared.deps import UnitOfWorkDep
from shared.errors import InvalidInput
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1", responses=documented_problems(401, 403))
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CSV = "text/csv"
FIRST_DAY = date(2000, 1, 1)


def _parse_day(value: str | None, deps: Deps) -> date:
    if value is None:
        zone = deps.calendar.timezone
        return today(zone, deps.clock())
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("query.date", f"not a YYYY-MM-DD date: {value!r}", code="date_format") from None
    if not FIRST_DAY <= day < date.max:  # the day after must exist: the report spans [day, day + 1)
        raise InvalidInput("query.date", f"a report day falls from {FIRST_DAY.isoformat()} to 9999-12-30",
                           code="date_out_of_range")
    return day


@router.get(
    "/reports/daily",
    tags=["reports"],
    summary="What the agency did on one day, per kind of filing",
    description="Counts for one agency-local day (default: today). JSON, or CSV with `format=csv` "
    "or `Accept: text/csv`. `pending` counts files received (or reopened by a contest) up to the end "
    "of the day and neither decided nor withdrawn by then. `deadlines_approaching` and "
    "`deadlines_breached` count the deadline alerts of the day, `opinions_published` the committee "
    "opinions made public.",
    responses={200: {"content": {"application/json": {}, CSV: {}}}},
)
async def get_daily_report(
    request: Request,
    staff: Annotated[Staff, Depends(require("reports"))],
    uow: UnitOfWorkDep,
    deps: Deps,
    date_: Annotated[str | None, Query(alias="date", description="YYYY-MM-DD, agency-local; default today")] = None,
    format_: Annotated[Literal["json", "csv"] | None, Query(alias="format")] = None,
):
    day = _parse_day(date_, deps)
    report = await handlers.show_daily_report(handlers.ShowDailyReport(day), uow, deps)
    wants_csv = format_ == "csv" or (format_ is None and CSV in request.headers.get("accept", ""))
    if wants_csv:
        return Response(
            to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="lamadi-daily-{day.isoformat()}.csv"'},
        )
    return report.as_dict()


@router.get(
    "/ops/queues",
    tags=["operations"],
    summary="Depth, consumers, retrying and parked messages of every work queue",
)
async def get_queues(staff: Annotated[Staff, Depends(require("queues"))], uow: UnitOfWorkDep,
                     deps: Deps) -> dict:
    states = await handlers.show_queues(handlers.ShowQueues(), uow, deps)
    return {"vhost": deps.management.vhost, "queues": [state.as_dict() for state in states]}
