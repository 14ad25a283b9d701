"""Who a staff member is: the one interface between the staff pages and whatever proves it.

``PasswordDirectory`` is the portal's own directory (argon2 passwords, lockout, server-side
sessions). An OpenID Connect provider would implement the same three calls: ``authenticate``
would take the provider's callback (code and state) instead of an email and a password and
open the same kind of session for the identity its ID token names; ``current`` and ``end``
would not change. Pages, the tokens minted for the staff APIs and the audit trail only ever
see the ``StaffIdentity`` these calls return."""

from __future__ import annotations

from typing import Protocol

from services.portal import handlers
from services.portal.domain.staff import SignInResult, StaffIdentity
from shared.unit_of_work import UnitOfWork


class IdentityProvider(Protocol):
    async def authenticate(self, credentials: handlers.SignIn, uow: UnitOfWork, deps) -> SignInResult: ...

    async def current(self, session_token: str, uow: UnitOfWork, deps) -> StaffIdentity | None: ...

    async def end(self, session_token: str, client: str | None, uow: UnitOfWork, deps) -> None: ...


class PasswordDirectory:
    """The staff directory in the portal's schema (handlers/directory.py)."""

    async def authenticate(self, credentials: handlers.SignIn, uow: UnitOfWork, deps) -> SignInResult:
        return await handlers.sign_in(credentials, uow, deps)

    async def current(self, session_token: str, uow: UnitOfWork, deps) -> StaffIdentity | None:
        return await handlers.current_staff(handlers.CurrentStaff(session_token), uow, deps)

    async def end(self, session_token: str, client: str | None, uow: UnitOfWork, deps) -> None:
        await handlers.sign_out(handlers.SignOut(session_token, client), uow, deps)
