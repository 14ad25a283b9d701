"""The staff directory in the portal's own schema as an ``IdentityProvider`` (adapters/identity.py):
its three calls are the directory's handlers (handlers/directory.py)."""

from __future__ import annotations

from services.portal import handlers
from services.portal.deps import PortalDeps
from services.portal.domain.commands import CurrentStaff, SignIn, SignOut
from services.portal.domain.staff import SignInResult, StaffIdentity
from shared.unit_of_work import UnitOfWork


class PasswordDirectory:
    async def authenticate(self, credentials: SignIn, uow: UnitOfWork, deps: PortalDeps) -> SignInResult:
        return await handlers.sign_in(credentials, uow, deps)

    async def current(self, session_token: str, uow: UnitOfWork, deps: PortalDeps) -> StaffIdentity | None:
        return await handlers.current_staff(CurrentStaff(session_token), uow, deps)

    async def end(self, session_token: str, client: str | None, uow: UnitOfWork, deps: PortalDeps) -> None:
        await handlers.sign_out(SignOut(session_token, client), uow, deps)
