"""The staff directory as the task pages show it: each person's name, and the colleagues a task
may be given to (enabled accounts holding one of the roles review or the policy names)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.portal import handlers
from services.portal.api.staff.session import StaffContext
from services.portal.domain import commands
from shared.unit_of_work import run


@dataclass(frozen=True)
class Colleague:
    email: str  # the ``sub`` of their tokens, and what a task's assignee names
    name: str
    roles: frozenset[str]
    enabled: bool


async def colleagues(staff: StaffContext) -> list[Colleague]:
    accounts, _ = await run(handlers.list_staff, commands.ListStaff(audit_limit=0), staff.deps)
    return [Colleague(a.email, a.full_name, frozenset(a.roles), not a.disabled) for a in accounts]


def names_of(people: Iterable[Colleague]) -> dict[str, str]:
    return {person.email: person.name for person in people}


def holding(people: Iterable[Colleague], roles: Iterable[str]) -> list[tuple[str, str]]:
    """(email, name) of the enabled colleagues holding one of ``roles``, by name."""
    wanted = set(roles)
    return sorted(((p.email, p.name) for p in people if p.enabled and p.roles & wanted), key=lambda p: p[1])
