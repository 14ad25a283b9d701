"""People get pages, not problem+json: not found, refused, too many requests, a service away.
Every refusal reaches one page (error.html) with its status; a staff page without a session
sends to the sign-in page (htmx: with ``HX-Redirect``)."""

from __future__ import annotations

from urllib.parse import quote

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.portal.adapters.upstream import UpstreamRefused, UpstreamUnavailable
from services.portal.api.security import CsrfRefused, TooManyRequests
from services.portal.api.views import Views
from services.portal.domain.errors import SignInRequired
from shared.errors import DomainError
from shared.problems import DOMAIN_PROBLEMS, Problem

log = structlog.get_logger()
REASONS = {404: "not_found", 403: "forbidden"}
SHOWN_REFUSALS = (403, 404, 409, 413, 415)  # a service's refusal shown with its own status; any other is a 400


def _route(request: Request) -> str:
    return getattr(request.scope.get("route"), "path", "")


def _status_of(exc: DomainError) -> int:
    return next((status for cls, (status, _) in DOMAIN_PROBLEMS.items() if isinstance(exc, cls)), 422)


def install_error_pages(app: FastAPI, views: Views) -> None:
    def page(request: Request, status: int, reason: str | None = None, headers: dict | None = None) -> HTMLResponse:
        return views.render(request, "error.html", {"status": status, "reason": reason or REASONS.get(status, "refused")},
                            status=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        return page(request, exc.status_code)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> HTMLResponse:
        return page(request, exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> HTMLResponse:
        """A mangled address (a task id that is no id, a page that is no number) is not found."""
        in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
        return page(request, 404 if in_path else 400)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> HTMLResponse:
        log.info("page_refused", status=_status_of(exc), route=_route(request), error=type(exc).__name__)
        retry_after = getattr(exc, "retry_after", None)
        return page(request, _status_of(exc), getattr(exc, "reason", None),
                    {"Retry-After": str(retry_after)} if retry_after else None)

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

    @app.exception_handler(UpstreamRefused)  # intake's and the staff APIs' alike
    async def _refused(request: Request, exc: UpstreamRefused) -> HTMLResponse:
        log.info("upstream_refused", status=exc.status, title=exc.title, route=_route(request))
        return page(request, exc.status if exc.status in SHOWN_REFUSALS else 400)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        sign_in = str(app.url_path_for("sign_in_page"))
        location = f"{sign_in}?next={quote(target, safe='')}" if request.method == "GET" else sign_in
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": location})
        return RedirectResponse(location, status_code=303)
