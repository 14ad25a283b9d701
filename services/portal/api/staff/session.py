"""A staff page's person: the session cookie (sealed: signed and encrypted, HttpOnly, Secure,
SameSite=Strict) names a server-side session; each page reads it in a short unit of work of its
own (no database connection is held while the page calls the staff APIs), then mints a
short-lived JWT with the person's current roles for those calls. The token never reaches the
browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends

from services.portal.adapters.upstream import Download
from services.portal.api.cookies import sealed
from services.portal.api.web import Web, WebDep
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

    def kinds(self, action: str = "read") -> list[str]:
        allowed = self.deps.policy.kinds_for(self.roles, action)
        return [k for k in self.deps.catalogue.kinds if allowed is None or k in allowed]

    async def call(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        return await self.deps.staff_api.call(service, method, path, token=self.token, **kwargs)

    async def download(self, service: str, path: str, params: dict | None = None) -> Download:
        return await self.deps.staff_api.download(service, path, token=self.token, params=params)


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
