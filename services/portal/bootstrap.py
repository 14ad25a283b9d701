"""Composition root: settings → dependencies (a client per service called, the staff directory,
catalogues, views, protections) → runtime → app. The shared runtime without a broker: the
portal publishes and consumes no event, and a broker outage must not take the public pages
down while intake still takes filings. Ready (`/readyz`) when its database and intake answer;
its HTTP clients close at the end."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from limits.storage import MemoryStorage
from starlette.staticfiles import StaticFiles

from services.portal.adapters.intake import IntakeClient
from services.portal.adapters.notifier import NotifierClient
from services.portal.adapters.password_directory import PasswordDirectory
from services.portal.adapters.passwords import Passwords
from services.portal.adapters.reporting import ReportingClient
from services.portal.adapters.review import ReviewClient
from services.portal.adapters.staging import PendingStore
from services.portal.api import drafts, filing, pages, tracking, verify
from services.portal.api.errors import install_error_pages
from services.portal.api.i18n import load_translations
from services.portal.api.security import CsrfTokens, RateLimit, Sealer, SecurityHeaders
from services.portal.api.staff import routers as staff_routers
from services.portal.api.views import Views
from services.portal.consumers import SUBSCRIPTIONS
from services.portal.deps import PortalDeps
from services.portal.settings import PortalSettings
from shared.agency import AgencyIdentity
from shared.catalogue import load_catalogue
from shared.container import Clock, system_clock
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

SERVICE = "portal"
MIGRATIONS = Path(__file__).parent / "migrations"
STATIC = Path(__file__).with_name("static")
SEALED = ("track", "pending", "staff")


def build_deps(settings: PortalSettings, *, clock: Clock = system_clock) -> PortalDeps:
    secret = settings.portal_secret.get_secret_value()
    storage, agency = MemoryStorage(), AgencyIdentity()
    csrf = CsrfTokens(secret, max_age=settings.csrf_token_seconds)
    return PortalDeps(
        service=SERVICE, settings=settings, catalogue=load_catalogue(settings.catalogue_path), clock=clock,
        agency=agency,
        intake=IntakeClient(settings.intake_url, settings.intake_timeout),
        review=ReviewClient(settings.review_url, settings.staff_api_timeout),
        notifier=NotifierClient(settings.notifier_url, settings.staff_api_timeout),
        reporting=ReportingClient(settings.reporting_url, settings.staff_api_timeout),
        identity=PasswordDirectory(), passwords=Passwords(settings.password_hash_profile),
        views=Views(load_translations(), agency, settings.max_document_bytes, csrf=csrf,
                    secure_cookies=settings.secure_cookies),
        csrf=csrf,
        sealers={purpose: Sealer(secret, purpose) for purpose in SEALED},
        rate_limits={name: RateLimit(name, rule, storage) for name, rule in (
            ("filing", settings.filing_rate_limit), ("tracking", settings.tracking_rate_limit),
            ("sign_in", settings.sign_in_rate_limit), ("verify", settings.verify_rate_limit))},
        pending_store=PendingStore(settings.staging_dir, settings.staging_seconds),
    )


def build_app(settings: PortalSettings, *, clock: Clock = system_clock) -> FastAPI:
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    deps = build_deps(settings, clock=clock)
    runtime = Runtime(deps, MIGRATIONS, subscriptions=SUBSCRIPTIONS, uses_broker=False,
                      checks={"intake": deps.intake_answers}, closers=(deps.close_clients,))
    app = create_app(runtime, title="Lamadi portal",
                     description="Web portal: public filing, tracking, committee opinions and the verification of "
                                 "issued documents; staff pages behind "
                                 "a sign-in (HTML).",
                     routers=[pages.router, filing.router, drafts.router, tracking.router, verify.router,
                              *staff_routers])
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders, secure_cookies=settings.secure_cookies)
    install_error_pages(app, deps.views)
    return app
