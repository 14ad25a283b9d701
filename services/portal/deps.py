"""What the portal's handlers and routes work with (built once in bootstrap.py)."""

from __future__ import annotations

from dataclasses import dataclass

from services.portal.adapters.identity import IdentityProvider
from services.portal.adapters.intake import IntakeClient
from services.portal.adapters.notifier import NotifierClient
from services.portal.adapters.passwords import Passwords
from services.portal.adapters.reporting import ReportingClient
from services.portal.adapters.review import ReviewClient
from services.portal.adapters.staging import PendingStore
from services.portal.adapters.upstream import ServiceClient
from services.portal.api.security import CsrfTokens, RateLimit, Sealer
from services.portal.api.views import Views
from services.portal.settings import PortalSettings
from shared.container import Dependencies
from shared.deps import dependencies_of


@dataclass(kw_only=True)
class PortalDeps(Dependencies):
    settings: PortalSettings
    intake: IntakeClient  # the public pages' only source, and the catalogue of every page
    # The staff pages' services, each called with the signed-in person's token (acting_for).
    review: ReviewClient
    notifier: NotifierClient
    reporting: ReportingClient
    identity: IdentityProvider  # the staff directory (or, later, an OpenID Connect provider)
    passwords: Passwords
    views: Views
    csrf: CsrfTokens
    sealers: dict[str, Sealer]  # one key per purpose: track, pending, staff
    rate_limits: dict[str, RateLimit]
    pending_store: PendingStore

    async def intake_answers(self) -> bool:
        """Readiness: the public pages cannot work without intake."""
        return await self.intake.healthy()

    @property
    def clients(self) -> tuple[ServiceClient, ...]:
        """Every service the portal calls (the operations page reads each one's readiness)."""
        return self.intake, self.review, self.notifier, self.reporting

    async def close_clients(self) -> None:
        for client in self.clients:
            await client.close()


Deps = dependencies_of(PortalDeps)
