"""People get pages, not problem+json: not found, refused, too many requests, a service away.
A staff page without a session sends to the sign-in page (htmx: with ``HX-Redirect``)."""

from __future__ import annotations

from urllib.parse import quote

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.portal.intake_client import IntakeRefused
from services.portal.security import CsrfRefused, TooManyRequests
from services.portal.staff_api import StaffApiRefused
from services.portal.upstream import UpstreamUnavailable
from services.portal.views import Views
from shared.errors import DomainError
from shared.problems import DOMAIN_PROBLEMS, Problem

log = structlog.get_logger()


class SignInRequired(Exception):
    """A staff page asked for without a valid session."""


class PageRefused(Exception):
    """The signed-in person's roles do not allow this page or action (shared/policy.toml)."""


def _route(request: Request) -> str:
    return getattr(request.scope.get("route"), "path", "")


def install_error_pages(app: FastAPI, views: Views) -> None:
    def page(request: Request, status: int, reason: str, headers: dict | None = None) -> HTMLResponse:
        return views.render(request, "error.html", {"status": status, "reason": reason}, status=status,
                            headers=headers)

    def refusal(status: int) -> str:
        return {404: "not_found", 403: "forbidden"}.get(status, "refused")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        return page(request, exc.status_code, refusal(exc.status_code))

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> HTMLResponse:
        return page(request, exc.status, "not_found" if exc.status == 404 else "refused")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> HTMLResponse:
        """A mangled address (a task id that is no id, a page that is no number) is not found."""
        in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
        return page(request, 404 if in_path else 400, "not_found" if in_path else "refused")

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> HTMLResponse:
        status = next((s for cls, (s, _) in DOMAIN_PROBLEMS.items() if isinstance(exc, cls)), 422)
        return page(request, status, refusal(status))

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> HTMLResponse:
        log.info("csrf_refused", route=_route(request))
        return page(request, 403, "csrf")

    @app.exception_handler(TooManyRequests)
    async def _too_many(request: Request, exc: TooManyRequests) -> HTMLResponse:
        log.info("rate_limited", route=_route(request))
        return page(request, 429, "too_many", {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(UpstreamUnavailable)  # intake's and the staff APIs' alike
    async def _unavailable(request: Request, exc: Exception) -> HTMLResponse:
        log.warning("upstream_unavailable", reason=str(exc))
        return page(request, 503, "unavailable", {"Retry-After": "30"})

    @app.exception_handler(IntakeRefused)
    async def _refused(request: Request, exc: IntakeRefused) -> HTMLResponse:
        log.info("intake_refused", status=exc.status, title=exc.title)
        return page(request, exc.status if exc.status in (404, 409, 413, 415) else 400, "refused")

    @app.exception_handler(StaffApiRefused)
    async def _staff_refused(request: Request, exc: StaffApiRefused) -> HTMLResponse:
        log.info("staff_api_refused", status=exc.status, title=exc.title, route=_route(request))
        status = exc.status if exc.status in (403, 404, 409) else 400
        return page(request, status, refusal(status))

    @app.exception_handler(PageRefused)
    async def _page_refused(request: Request, exc: PageRefused) -> HTMLResponse:
        log.info("staff_page_refused", route=_route(request))
        return page(request, 403, "forbidden")

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        location = f"/staff/sign-in?next={quote(target, safe='')}" if request.method == "GET" else "/staff/sign-in"
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": location})
        return RedirectResponse(location, status_code=303)
