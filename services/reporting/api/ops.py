"""The operators' view of the queues."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from services.reporting import handlers
from services.reporting.deps import Deps
from shared.auth import Staff, require
from shared.deps import UnitOfWorkDep
from shared.problems import documented_problems

router = APIRouter(prefix="/api/v1", responses=documented_problems(401, 403))


@router.get(
    "/ops/queues",
    tags=["operations"],
    summary="Depth, consumers, retrying and parked messages of every work queue",
)
async def get_queues(staff: Annotated[Staff, Depends(require("queues"))], uow: UnitOfWorkDep,
                     deps: Deps) -> dict:
    states = await handlers.show_queues(handlers.ShowQueues(), uow, deps)
    return {"vhost": deps.management.vhost, "queues": [state.as_dict() for state in states]}
