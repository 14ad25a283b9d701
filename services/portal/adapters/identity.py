"""Who a staff member is: the one interface between the staff pages and whatever proves it.

``PasswordDirectory`` (adapters/password_directory.py) is the portal's own directory (argon2
passwords, lockout, server-side sessions). An OpenID Connect provider would implement the same
three calls: ``authenticate`` would take the provider's callback (code and state) instead of an
email and a password and open the same kind of session for the identity its ID token names;
``current`` and ``end`` would not change. Pages, the tokens minted for the staff APIs and the
audit trail only ever see the ``StaffIdentity`` these calls return."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from services.portal.domain.commands import SignIn
from services.portal.domain.staff import SignInResult, StaffIdentity
from shared.unit_of_work import UnitOfWork

if TYPE_CHECKING:  # deps.py names this protocol: the type only, no import cycle
    from services.portal.deps import PortalDeps


class IdentityProvider(Protocol):
    async def authenticate(self, credentials: SignIn, uow: UnitOfWork, deps: PortalDeps) -> SignInResult: ...

    async def current(self, session_token: str, uow: UnitOfWork, deps: PortalDeps) -> StaffIdentity | None: ...

    async def end(self, session_token: str, client: str | None, uow: UnitOfWork, deps: PortalDeps) -> None: ...
