"""Operators' view of the work queues."""

from __future__ import annotations

from services.reporting.deps import ReportingDeps
from services.reporting.domain.commands import ShowQueues
from services.reporting.domain.queue_overview import QueueState, overview
from shared.messaging.topology import TOPOLOGY
from shared.unit_of_work import UnitOfWork


async def show_queues(query: ShowQueues, uow: UnitOfWork, deps: ReportingDeps) -> list[QueueState]:
    """Raises ManagementUnavailable when the broker's management API cannot answer."""
    return overview(TOPOLOGY, await deps.management.queues())
