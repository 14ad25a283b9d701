"""The delivery ledger's handlers: exhausted events' deliveries marked failed; operators list
the deliveries and resend one (the ledger itself: ``_ledger.py``)."""

from __future__ import annotations

from typing import Any

import asyncpg
import structlog

from services.notifier import repository
from services.notifier.deps import NotifierDeps
from services.notifier.domain.commands import ListDeliveries, ResendDelivery
from services.notifier.domain.deliveries import ensure_resendable, shows_address
from services.notifier.domain.errors import DeliveryNotFound
from services.notifier.handlers._ledger import announce, send
from shared.events import NotificationFailed
from shared.messaging.consumer import Exhausted
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger()


async def record_failed_deliveries(exhausted: Exhausted, uow: UnitOfWork, deps: NotifierDeps) -> None:
    """The event exhausted its retries and is being parked: its pending deliveries failed."""
    envelope, error = exhausted.envelope, exhausted.error
    rows = await repository.mark_failed_for_event(uow.conn, envelope.id, error)
    for row in rows:
        uow.emit(NotificationFailed(
            delivery_id=row["id"], tracking_number=row["tracking_number"], kind=row["kind"],
            template=row["template"], language=row["language"], cause_event_id=envelope.id,
            error=error[:500],  # the summary: the server's own words stay in the delivery record
        ))
        log.error("delivery_failed", delivery_id=str(row["id"]), template=row["template"],
                  tracking_number=row["tracking_number"], attempts=row["attempts"])
    if not rows:
        log.warning("event_parked_without_delivery", subject=envelope.subject)


async def list_deliveries(query: ListDeliveries, uow: UnitOfWork, deps: NotifierDeps
                          ) -> tuple[list[dict[str, Any]], int]:
    rows, total = await repository.list_deliveries(
        uow.conn, tracking_number=query.tracking_number, status=query.status, template=query.template,
        limit=query.limit, offset=query.offset)
    return [_as_seen(row, query.roles, deps) for row in rows], total


async def resend_delivery(command: ResendDelivery, uow: UnitOfWork, deps: NotifierDeps) -> dict[str, Any]:
    """Send a delivery's email again now, with the same content and Message-ID."""
    delivery = await repository.get_delivery(uow.conn, command.delivery_id)
    if delivery is None:
        raise DeliveryNotFound(f"No delivery {command.delivery_id}.")
    ensure_resendable(delivery["status"])
    row = await send(deps, delivery)
    # Had it been reported as failed, this tells the others it went out after all.
    await announce(uow, delivery, subject=delivery["tracking_number"])
    log.info("delivery_resent", delivery_id=str(delivery["id"]), template=delivery["template"],
             tracking_number=delivery["tracking_number"], attempts=row["attempts"])
    return _as_seen(row, command.roles, deps)


def _as_seen(row: asyncpg.Record, roles: frozenset[str], deps: NotifierDeps) -> dict[str, Any]:
    """A delivery as these roles may see it: its states for everyone, its address as the rule says."""
    delivery = dict(row)
    if not shows_address(deps.policy, roles, delivery["kind"], deps.catalogue.kinds):
        delivery["recipient"] = None
    return delivery
