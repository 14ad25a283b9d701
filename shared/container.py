"""What a service's handlers work with, built once by its ``bootstrap.py``.

Each service subclasses ``Dependencies`` with what only it needs (a blob store, a mailer…).
Routes get it through ``shared.deps``, consumers and background jobs from the runtime: the
same object everywhere, and no configuration in module globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from shared.agency import AgencyIdentity
from shared.calendar import WorkingCalendar
from shared.catalogue import Catalogue
from shared.policy import Policy, load_policy
from shared.settings import ServiceSettings
from shared.vocabulary import VOCABULARY

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(kw_only=True)
class Dependencies:
    service: str
    settings: ServiceSettings
    catalogue: Catalogue
    policy: Policy = field(default_factory=load_policy)  # who may do what, beside the catalogue
    agency: AgencyIdentity = field(default_factory=AgencyIdentity)  # names and contacts on emails and PDFs
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    clock: Clock = system_clock
    # The pool is made by the runtime at start-up, on the server's event loop.
    _pool: asyncpg.Pool | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.policy.check_against(self.catalogue)
        VOCABULARY.check_against(self.catalogue)  # every outcome and deadline it uses has its words

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError(f"{self.service} is not started: no database pool yet")
        return self._pool

    @property
    def started(self) -> bool:
        return self._pool is not None

    def attach_pool(self, pool: asyncpg.Pool | None) -> None:
        self._pool = pool
