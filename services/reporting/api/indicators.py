"""Public indicators (no token): processing times against the legal deadlines, per kind."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.reporting import handlers
from services.reporting.api.days import parse_day
from services.reporting.deps import Deps
from services.reporting.domain.commands import ShowIndicators
from services.reporting.domain.indicators import DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS
from shared.deps import UnitOfWorkDep

router = APIRouter(prefix="/api/v1", tags=["indicators"])


@router.get(
    "/indicators",
    summary="Processing times against the legal deadlines, per kind of filing (public)",
    description="For the decisions taken from `from` to `to` (agency days, both included; default: the "
    f"{DEFAULT_PERIOD_DAYS} days up to the last closed one): per kind, its legal decision deadline(s) from the "
    "catalogue, how many decisions, the share taken within the legal deadline (pauses while the agency awaited the applicant "
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
    query = ShowIndicators(first=parse_day(from_, "query.from") if from_ else None,
                           last=parse_day(to, "query.to") if to else None)
    response.headers["Cache-Control"] = "public, max-age=300"
    return await handlers.show_indicators(query, uow, deps)
