"""The public list of open complaints, for the portal: a citizen sees that a site was already
reported. The same public fields as Open311's GET requests: the place, the service (subtype),
the topic, the status and the date; never the applicant, nor the subject or message (free
text, where people write names and numbers: see services/intake/domain/open311/requests.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, Field

from services.intake import handlers
from services.intake.deps import Deps
from services.intake.domain.commands import ListOpenComplaints
from services.intake.domain.location import Location
from shared.deps import Offset, UnitOfWorkDep
from shared.lifecycle import Status

router = APIRouter(prefix="/api/v1", tags=["public"])
PAGE_MAX = 100


class OpenComplaint(BaseModel):
    reference: str = Field(description="The complaint's tracking number (its Open311 service_request_id)")
    subtype: str = Field(description="complaint, observation or suggestion (the Open311 service_code)")
    topic: str | None = Field(description="building_site, missing_permit_sign, illegal_construction or other")
    location: Location | None
    status: Status
    received_at: AwareDatetime


class OpenComplaintPage(BaseModel):
    items: list[OpenComplaint]
    total: int
    limit: int
    offset: int


@router.get("/complaints/open", response_model=OpenComplaintPage,
            summary="Complaints not yet answered nor withdrawn, newest first (public, no personal data)")
async def get_open_complaints(uow: UnitOfWorkDep, deps: Deps, limit: Annotated[int, Query(ge=1)] = 20,
                              offset: Offset = 0) -> OpenComplaintPage:
    page = await handlers.list_open_complaints(ListOpenComplaints(min(limit, PAGE_MAX), offset), uow, deps)
    items = [OpenComplaint(reference=row["tracking_number"], subtype=row["subtype"], topic=row["topic"],
                           location=row["location"], status=row["status"], received_at=row["received_at"])
             for row in page["items"]]
    return OpenComplaintPage(items=items, total=page["total"], limit=page["limit"], offset=page["offset"])
