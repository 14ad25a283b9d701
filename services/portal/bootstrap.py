"""Composition root: settings → intake client, catalogues, views, protections → app. The
portal has no database and no broker: its readiness is intake answering."""

from __future__ import annotations

from pathlib import Path

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from limits.storage import MemoryStorage
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from services.portal.i18n import load_translations
from services.portal.intake_client import IntakeClient, IntakeRefused, IntakeUnavailable
from services.portal.routes import drafts, filing, pages, tracking
from services.portal.security import CsrfRefused, CsrfTokens, RateLimit, Sealer, SecurityHeaders, TooManyRequests
from services.portal.settings import PortalSettings
from services.portal.staging import PendingStore
from services.portal.views import Views
from shared.agency import AgencyIdentity
from shared.http import create_app
from shared.logging import configure_logging
from shared.problems import Problem

log = structlog.get_logger()
STATIC = Path(__file__).with_name("static")


class PortalRuntime:
    """What shared.http.create_app expects of a runtime, for a service with no database or broker."""

    service = "portal"
    deps = None  # no handlers of the shared shape (yet): the portal calls the others' HTTP APIs

    def __init__(self, settings: PortalSettings, intake: IntakeClient):
        self.settings, self.intake = settings, intake

    async def start(self) -> None:
        log.info("service_started", port=self.settings.port)

    async def stop(self) -> None:
        log.info("service_stopping")
        await self.intake.close()
        log.info("service_stopped")

    async def readiness(self) -> dict[str, bool]:
        return {"intake": await self.intake.healthy()}


def build_app(settings: PortalSettings) -> FastAPI:
    configure_logging("portal", json=settings.log_json, level=settings.log_level)
    intake = IntakeClient(settings.intake_url, settings.intake_timeout)
    views = Views(load_translations(), AgencyIdentity(), settings.max_document_bytes)
    app = create_app(PortalRuntime(settings, intake), title="Lamadi portal",
                     description="Public web portal: filing, tracking, committee opinions (HTML).",
                     routers=[pages.router, filing.router, drafts.router, tracking.router])
    secret = settings.portal_secret.get_secret_value()
    storage = MemoryStorage()
    app.state.intake, app.state.views = intake, views
    app.state.csrf = CsrfTokens(secret, max_age=settings.csrf_token_seconds)
    app.state.pending_store = PendingStore(settings.staging_dir, settings.staging_seconds)
    app.state.sealers = {purpose: Sealer(secret, purpose) for purpose in ("track", "pending")}
    app.state.rate_limits = {"filing": RateLimit("filing", settings.filing_rate_limit, storage),
                             "tracking": RateLimit("tracking", settings.tracking_rate_limit, storage)}
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders, secure_cookies=settings.secure_cookies)
    _install_error_pages(app, views)
    return app


def _install_error_pages(app: FastAPI, views: Views) -> None:
    """People get pages, not problem+json: not found, too many requests, intake unavailable."""

    def page(request: Request, status: int, reason: str, headers: dict | None = None) -> HTMLResponse:
        return views.render(request, "error.html", {"status": status, "reason": reason}, status=status,
                            headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        return page(request, exc.status_code, "not_found" if exc.status_code == 404 else "refused")

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> HTMLResponse:
        return page(request, exc.status, "not_found" if exc.status == 404 else "refused")

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> HTMLResponse:
        log.info("csrf_refused", route=getattr(request.scope.get("route"), "path", ""))
        return page(request, 403, "csrf")

    @app.exception_handler(TooManyRequests)
    async def _too_many(request: Request, exc: TooManyRequests) -> HTMLResponse:
        log.info("rate_limited", route=getattr(request.scope.get("route"), "path", ""))
        return page(request, 429, "too_many", {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(IntakeUnavailable)
    async def _unavailable(request: Request, exc: IntakeUnavailable) -> HTMLResponse:
        log.warning("intake_unavailable", reason=str(exc))
        return page(request, 503, "unavailable", {"Retry-After": "30"})

    @app.exception_handler(IntakeRefused)
    async def _refused(request: Request, exc: IntakeRefused) -> HTMLResponse:
        log.info("intake_refused", status=exc.status, title=exc.title)
        return page(request, exc.status if exc.status in (404, 409, 413, 415) else 400, "refused")
