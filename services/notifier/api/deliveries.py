"""Staff API over the delivery ledger: list the deliveries, resend one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from services.notifier import handlers
from services.notifier.deps import Deps
from services.notifier.domain.commands import ListDeliveries, ResendDelivery
from services.notifier.domain.emails import TEMPLATES
from shared.auth import Staff, require
from shared.deps import Offset, UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1/deliveries", tags=["deliveries"],
                   responses=documented_problems(401, 403, 404, 409, 502))
Lister = Annotated[Staff, Depends(require("deliveries"))]
Resender = Annotated[Staff, Depends(require("resend"))]
TemplateName = Literal[TEMPLATES]  # type: ignore[valid-type]


class Delivery(BaseModel):
    id: UUID
    event_id: UUID
    template: str
    recipient: str | None = Field(description="The address; null for roles that do not see the personal data "
                                  "of the filing it is about (ops). The daily report's: shown to every reader.")
    tracking_number: str
    kind: str | None
    language: str
    status: Literal["pending", "sent", "failed"]
    attempts: int
    message_id: str
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class DeliveryPage(BaseModel):
    items: list[Delivery]
    total: int
    limit: int
    offset: int


@router.get("", summary="Deliveries, newest first", response_model=DeliveryPage)
async def list_deliveries(
    staff: Lister,
    uow: UnitOfWorkDep,
    deps: Deps,
    tracking_number: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["pending", "sent", "failed"] | None = None,
    template: TemplateName | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> DeliveryPage:
    query = ListDeliveries(staff.roles, tracking_number, status, template, limit, offset)
    rows, total = await handlers.list_deliveries(query, uow, deps)
    return DeliveryPage(items=[Delivery(**row) for row in rows], total=total, limit=limit, offset=offset)


@router.post("/{delivery_id}/resend", summary="Send a delivery's email again now", response_model=Delivery)
async def resend_delivery(delivery_id: UUID, staff: Resender, uow: UnitOfWorkDep, deps: Deps) -> Delivery:
    return Delivery(**await handlers.resend_delivery(ResendDelivery(delivery_id, staff.roles), uow, deps))
