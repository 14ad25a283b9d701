"""Where the notifier emails the daily report: asked by ``lamadi report send``, which must say
where a report went without reading the notifier's settings itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from services.notifier import handlers
from services.notifier.deps import Deps
from services.notifier.domain.commands import ShowReportRecipients
from shared.auth import Staff, require
from shared.deps import UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1/daily-report", tags=["deliveries"], responses=documented_problems(401, 403))


class ReportRecipients(BaseModel):
    addresses: list[str] = Field(description="The Directorate's addresses each daily report is emailed to "
                                             "(LAMADI_DIRECTORATE_EMAILS); empty: reports are archived, "
                                             "emailed to nobody.")


@router.get("/recipients", summary="Where the daily report is emailed", response_model=ReportRecipients)
async def get_report_recipients(staff: Annotated[Staff, Depends(require("deliveries"))], uow: UnitOfWorkDep,
                                deps: Deps) -> ReportRecipients:
    return ReportRecipients(addresses=await handlers.show_report_recipients(ShowReportRecipients(), uow, deps))
