"""Staff API over the delivery ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from services.notifier import handlers
from services.notifier.domain.deliveries import DeliveryNotFound, DeliveryPending
from services.notifier.domain.emails import TEMPLATES
from services.notifier.mailer import MailNotSent
from shared.auth import Staff, require_roles
from shared.http import correlation_id
from shared.problems import Problem

router = APIRouter(prefix="/api/v1/deliveries", tags=["deliveries"])
staff_only = require_roles("ops", "supervisor")
TemplateName = Literal[TEMPLATES]  # type: ignore[valid-type]


class Delivery(BaseModel):
    id: UUID
    event_id: UUID
    template: str
    recipient: str
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
    request: Request,
    tracking_number: str | None = Query(None, max_length=64),
    status: Literal["pending", "sent", "failed"] | None = None,
    template: TemplateName | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    staff: Staff = Depends(staff_only),
) -> DeliveryPage:
    rows, total = await handlers.list_deliveries(
        request.app.state.runtime, tracking_number=tracking_number, status=status, template=template,
        limit=limit, offset=offset,
    )
    return DeliveryPage(items=[Delivery(**dict(row)) for row in rows], total=total, limit=limit, offset=offset)


@router.post("/{delivery_id}/resend", summary="Send a delivery's email again now", response_model=Delivery)
async def resend_delivery(delivery_id: UUID, request: Request, staff: Staff = Depends(staff_only)) -> Delivery:
    try:
        row = await handlers.resend_delivery(
            request.app.state.runtime, delivery_id, correlation_id=correlation_id(request)
        )
    except DeliveryNotFound as exc:
        raise Problem(404, "Delivery not found", str(exc)) from None
    except DeliveryPending as exc:
        raise Problem(409, "Delivery still pending", str(exc)) from None
    except MailNotSent as exc:
        raise Problem(502, "Mail server unavailable", f"The email was not sent: {exc}") from None
    return Delivery(**dict(row))
