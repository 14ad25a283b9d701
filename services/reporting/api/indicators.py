"""Public indicators (no token): processing times against the legal deadlines, per kind."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.reporting import handlers
from services.reporting.api.days import parse_day
from services.reporting.deps import Deps
from services.reporting.domain.indicators import MAX_PERIOD_DAYS
from shared.deps import UnitOfWorkDep
from shared.errors import InvalidInput

router = APIRouter(prefix="/api/v1", tags=["indicators"])
DEFAULT_PERIOD_DAYS = 30


@router.get(
    "/indicators",
    summary="Processing times against the legal deadlines, per kind of filing (public)",
    description="For the decisions taken from `from` to `to` (agency days, both included; default: the 30 "
    "days up to the last closed one): per kind, its legal decision deadline(s) from the catalogue, how many "
    "decisions, the share taken within the legal deadline (pauses while the agency awaited the applicant "
    "excluded), and the median and 90th percentile of working days taken. Counts and durations only, no "
    f"personal data; at most {MAX_PERIOD_DAYS} days.",
)
async def get_indicators(
    response: Response,
    uow: UnitOfWorkDep,
    deps: Deps,
    from_: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
) -> dict:
    last = parse_day(to, "query.to") if to else deps.days.last_closed(deps.clock())
    first = parse_day(from_, "query.from") if from_ else last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if first > last:
        raise InvalidInput("query.from", f"the period starts ({first}) after it ends ({last})", code="period_order")
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput("query.from", f"the period is longer than {MAX_PERIOD_DAYS} days", code="period_length")
    response.headers["Cache-Control"] = "public, max-age=300"
    return await handlers.show_indicators(handlers.ShowIndicators(first, last), uow, deps)
