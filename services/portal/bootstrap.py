"""Composition root: settings → dependencies (intake and staff API clients, the staff directory,
catalogues, views, protections) → runtime (migrations of the ``portal`` schema and its pool; no
consumers) → app. Ready (`/readyz`) when its database and intake answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import structlog
from fastapi import FastAPI
from limits.storage import MemoryStorage
from starlette.staticfiles import StaticFiles

from services.portal.deps import PortalDeps
from services.portal.errors import install_error_pages
from services.portal.i18n import load_translations
from services.portal.identity import PasswordDirectory
from services.portal.intake_client import IntakeClient
from services.portal.passwords import Passwords
from services.portal.routes import drafts, filing, pages, tracking
from services.portal.routes.staff import routers as staff_routers
from services.portal.security import CsrfTokens, RateLimit, Sealer, SecurityHeaders
from services.portal.settings import PortalSettings
from services.portal.staff_api import StaffApi
from services.portal.staging import PendingStore
from services.portal.views import Views
from shared.agency import AgencyIdentity
from shared.catalogue import load_catalogue
from shared.container import Clock, system_clock
from shared.db import create_pool
from shared.http import create_app
from shared.logging import configure_logging
from shared.migrations import migrate
from shared.runtime import Runtime

SERVICE = "portal"
MIGRATIONS = Path(__file__).parent / "migrations"
STATIC = Path(__file__).with_name("static")
SEALED = ("track", "pending", "staff")
log = structlog.get_logger()


@dataclass
class PortalRuntime(Runtime):
    """The shared runtime without a broker: the portal publishes and consumes no event, and a
    broker outage must not take the public pages down while intake still takes filings. Intake
    joins the readiness checks; the HTTP clients close at the end."""

    async def start(self) -> None:
        settings = self.settings
        await migrate(settings.database_url, self.service, self.migrations)
        self.deps.attach_pool(await create_pool(settings.database_url, self.service,
                                                max_size=settings.database_pool_max))
        log.info("service_started", port=settings.port)

    async def readiness(self) -> dict[str, bool]:
        checks = await super().readiness()
        return {"database": checks["database"], "intake": await self.deps.intake.healthy()}

    async def stop(self) -> None:
        await self.deps.intake.close()
        await self.deps.staff_api.close()
        await super().stop()


def build_deps(settings: PortalSettings, *, clock: Clock = system_clock) -> PortalDeps:
    secret = settings.portal_secret.get_secret_value()
    storage = MemoryStorage()
    return PortalDeps(
        service=SERVICE, settings=settings, catalogue=load_catalogue(), clock=clock,
        intake=IntakeClient(settings.intake_url, settings.intake_timeout),
        staff_api=StaffApi({"review": settings.review_url, "notifier": settings.notifier_url,
                            "reporting": settings.reporting_url, "intake": settings.intake_url},
                           settings.staff_api_timeout),
        identity=PasswordDirectory(), passwords=Passwords(),
        views=Views(load_translations(), AgencyIdentity(), settings.max_document_bytes),
        csrf=CsrfTokens(secret, max_age=settings.csrf_token_seconds),
        sealers={purpose: Sealer(secret, purpose) for purpose in SEALED},
        rate_limits={name: RateLimit(name, rule, storage) for name, rule in (
            ("filing", settings.filing_rate_limit), ("tracking", settings.tracking_rate_limit),
            ("sign_in", settings.sign_in_rate_limit))},
        pending_store=PendingStore(settings.staging_dir, settings.staging_seconds),
    )


def build_app(settings: PortalSettings, *, clock: Clock = system_clock) -> FastAPI:
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    deps = build_deps(settings, clock=clock)
    app = create_app(PortalRuntime(deps, MIGRATIONS), title="Lamadi portal",
                     description="Web portal: public filing, tracking and committee opinions; staff pages behind "
                                 "a sign-in (HTML).",
                     routers=[pages.router, filing.router, drafts.router, tracking.router, *staff_routers])
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders, secure_cookies=settings.secure_cookies)
    install_error_pages(app, deps.views)
    return app
