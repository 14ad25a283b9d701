"""Reporting HTTP API: the daily report and the operators' queue view."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from services.reporting import handlers
from services.reporting.domain.daily_report import to_csv, today
from services.reporting.management import ManagementUnavailable
from shared.auth import Staff, require_roles
from shared.calendar import AGENCY_TZ
from shared.problems import Problem

router = APIRouter(prefix="/api/v1")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CSV = "text/csv"


def _parse_day(value: str | None, request: Request) -> date:
    if value is None:
        return today(AGENCY_TZ, datetime.now(AGENCY_TZ))
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise Problem(422, "Invalid request", "The date must be a calendar date written YYYY-MM-DD.",
                      errors=[{"field": "query.date", "message": f"not a YYYY-MM-DD date: {value!r}",
                               "code": "date_format"}]) from None


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
    date_: str | None = Query(None, alias="date", description="YYYY-MM-DD, agency-local; default today"),
    format_: Literal["json", "csv"] | None = Query(None, alias="format"),
    staff: Staff = Depends(require_roles("supervisor", "ops", "admin")),
):
    day = _parse_day(date_, request)
    report = await handlers.daily_report(request.app.state.runtime.pool, AGENCY_TZ, day)
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
async def get_queues(request: Request, staff: Staff = Depends(require_roles("ops", "admin"))) -> dict:
    management = request.app.state.management
    try:
        states = await handlers.queue_overview(management)
    except ManagementUnavailable as exc:
        raise Problem(503, "Broker management unavailable", str(exc)) from None
    return {"vhost": management.vhost, "queues": [state.as_dict() for state in states]}
