"""Typed FastAPI dependencies, defined once for every service (the model: tiangolo's
full-stack-fastapi-template ``api/deps.py``).

- ``UnitOfWorkDep``: the command's unit of work, opened before the route's handler runs and
  committed when it returns, *before* the answer is sent (scope "function"), so a 2xx is
  only ever sent for a committed change.
- ``CorrelationId``: the request's correlation id (middleware in ``shared/http.py``).
- ``dependencies_of(IntakeDeps)``: the service's own dependencies, as built by its bootstrap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request

from shared.container import Dependencies
from shared.unit_of_work import UnitOfWork

DepsT = TypeVar("DepsT", bound=Dependencies)


# The dependencies are coroutines although they never wait: FastAPI runs a plain function
# in its thread pool, a thread hand-off per request that cost intake about a fifth of its CPU.
async def _dependencies(request: Request) -> Dependencies:
    return request.app.state.deps


async def correlation_id(request: Request) -> str:
    return request.state.correlation_id


async def unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    deps: Dependencies = request.app.state.deps
    async with UnitOfWork(deps.pool, source=deps.service, correlation_id=request.state.correlation_id) as uow:
        yield uow


def dependencies_of(deps_type: type[DepsT]) -> type[DepsT]:
    """``Deps = dependencies_of(IntakeDeps)`` in a service's api: ``deps: Deps`` in a route."""
    return Annotated[deps_type, Depends(_dependencies)]  # type: ignore[return-value]


UnitOfWorkDep = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]
CorrelationId = Annotated[str, Depends(correlation_id)]

# Every paginated list: PostgreSQL's OFFSET is a 64-bit integer.
MAX_OFFSET = 2**63 - 1
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many items to skip.")]
