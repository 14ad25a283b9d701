"""Composition root: settings → intake client, catalogues, views, protections → app. The
portal has no database and no broker: its readiness is intake answering."""

from __future__ import annotations

from pathlib import Path

import structlog
from asgi_csrf import asgi_csrf_decorator
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from limits.storage import MemoryStorage
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from services.portal.i18n import LANGUAGE_COOKIE, language_of, load_translations
from services.portal.intake_client import IntakeClient, IntakeRefused, IntakeUnavailable
from services.portal.routes import drafts, filing, pages, tracking
from services.portal.security import RateLimit, Sealer, SecurityHeaders, TooManyRequests
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


class Everywhere:
    """asgi-csrf skips cookie-less requests unless their path is "protected": protect them all."""

    def __contains__(self, path: object) -> bool:
        return True


class CSRF:
    """asgi-csrf (signed double-submit token; in multipart bodies it must come before any file,
    so the upload is not read to check it) as a Starlette middleware."""

    def __init__(self, app: ASGIApp, *, secret: str, secure: bool, views: Views):
        async def refused(scope: Scope, send: Send, message_id) -> None:
            cookies = {k: v for k, v in (c.split("=", 1) for c in _cookie_header(scope).split("; ") if "=" in c)}
            language = language_of(cookies.get(LANGUAGE_COOKIE))
            html = views.page(language, "error.html", {"status": 403, "reason": "csrf"})
            await HTMLResponse(html, status_code=403)(scope, _no_body, send)

        self._app = asgi_csrf_decorator(signing_secret=secret, cookie_secure=secure, always_protect=Everywhere(),
                                        send_csrf_failed=refused)(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


async def _no_body() -> dict:
    return {"type": "http.request", "body": b"", "more_body": False}


def _cookie_header(scope: Scope) -> str:
    return dict(scope.get("headers") or []).get(b"cookie", b"").decode("latin-1")


def build_app(settings: PortalSettings) -> FastAPI:
    configure_logging("portal", json=settings.log_json, level=settings.log_level)
    intake = IntakeClient(settings.intake_url, settings.intake_timeout)
    views = Views(load_translations(), AgencyIdentity(), settings.max_document_bytes, settings.receipt_download)
    app = create_app(PortalRuntime(settings, intake), title="Lamadi portal",
                     description="Public web portal: filing, tracking, committee opinions (HTML).",
                     routers=[pages.router, filing.router, drafts.router, tracking.router])
    secret = settings.portal_secret.get_secret_value()
    storage = MemoryStorage()
    app.state.intake, app.state.views = intake, views
    app.state.pending_store = PendingStore(settings.staging_dir, settings.staging_seconds)
    app.state.sealers = {purpose: Sealer(secret, purpose) for purpose in ("track", "pending")}
    app.state.rate_limits = {"filing": RateLimit("filing", settings.filing_rate_limit, storage),
                             "tracking": RateLimit("tracking", settings.tracking_rate_limit, storage)}
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(CSRF, secret=secret, secure=settings.secure_cookies, views=views)
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
