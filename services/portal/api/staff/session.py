"""A staff page's person: the session cookie (sealed: signed and encrypted, HttpOnly, Secure,
SameSite=Strict) names a server-side session; each page reads it in a short unit of work of its
own (no database connection is held while the page calls the staff APIs), then mints a
short-lived JWT with the person's current roles for those calls, which the page's clients of
review, the notifier and reporting carry. The token never reaches the browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends
from fastapi.responses import RedirectResponse

from services.portal.adapters.notifier import NotifierClient
from services.portal.adapters.reporting import ReportingClient
from services.portal.adapters.review import ReviewClient
from services.portal.api.cookies import sealed
from services.portal.api.staff.catalogue import StaffCatalogue
from services.portal.api.web import Web, WebDep, see_other
from services.portal.deps import PortalDeps
from services.portal.domain.errors import PageRefused, SignInRequired
from services.portal.domain.staff import StaffIdentity
from shared.auth import issue_token
from shared.unit_of_work import UnitOfWork

SESSION_COOKIE = "lamadi_staff"


@dataclass(frozen=True)
class StaffContext:
    web: Web
    identity: StaffIdentity
    token: str

    @property
    def deps(self) -> PortalDeps:
        return self.web.deps

    @property
    def roles(self) -> frozenset[str]:
        return self.identity.roles

    def may(self, action: str, kind: str | None = None) -> bool:
        """What the policy allows: pages show only these actions, and the APIs refuse the rest."""
        return self.deps.policy.allows(self.roles, action, kind)

    # The services, called as this person: each applies its own policy to them.
    @cached_property
    def review(self) -> ReviewClient:
        return self.deps.review.acting_for(self.token)

    @cached_property
    def notifier(self) -> NotifierClient:
        return self.deps.notifier.acting_for(self.token)

    @cached_property
    def reporting(self) -> ReportingClient:
        return self.deps.reporting.acting_for(self.token)

    async def catalogue(self) -> StaffCatalogue:
        """Intake's catalogue, the public pages' own (read once by the intake client)."""
        return StaffCatalogue.of(await self.deps.intake.catalogue())

    async def kinds(self, action: str = "read") -> list[str]:
        """The catalogue's kinds the policy lets this person take ``action`` on."""
        allowed = self.deps.policy.kinds_for(self.roles, action)
        return [kind for kind in (await self.catalogue()).kinds if allowed is None or kind in allowed]

    def path_for(self, route: str, /, **params: object) -> str:
        return self.web.path_for(route, **params)

    def redirect(self, route: str, /, query: dict[str, object] | None = None, **params: object) -> RedirectResponse:
        """See the page of ``route`` (a route's name), with ``query`` if any (a ``done`` flag…)."""
        return see_other(self.path_for(route, **params) + (f"?{urlencode(query)}" if query else ""))


def session_token(web: Web) -> str | None:
    value = sealed(web, "staff", SESSION_COOKIE, web.settings.staff_session_seconds)
    return value if isinstance(value, str) else None


async def signed_in(web: WebDep) -> StaffContext:
    deps, token = web.deps, session_token(web)
    identity = None
    if token:
        async with UnitOfWork(deps.pool, source=deps.service) as uow:
            identity = await deps.identity.current(token, uow, deps)
    if identity is None:
        raise SignInRequired()
    jwt = issue_token(deps.settings.jwt_secret.get_secret_value(), sub=identity.sub, roles=sorted(identity.roles),
                      ttl=timedelta(seconds=deps.settings.staff_token_seconds))
    return StaffContext(web, identity, jwt)


Signed = Annotated[StaffContext, Depends(signed_in)]


def allowed(action: str):
    """A page's person, whose roles allow ``action`` (on some kind): a 403 page otherwise."""

    async def dependency(staff: Signed) -> StaffContext:
        if not staff.may(action):
            raise PageRefused(action)
        return staff

    return Annotated[StaffContext, Depends(dependency)]
