"""RFC 9457 problem details: every error answer is application/problem+json.

Handlers raise domain errors (``shared/errors.py``); ``DOMAIN_PROBLEMS`` is the one table
that turns them into HTTP answers, for every service. ``Problem`` is for the HTTP edge only
(malformed bodies, media types): what no handler ever sees."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooLarge,
    Unavailable,
    UnsupportedContent,
    UpstreamFailure,
)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER = {"Retry-After": "2"}  # seconds: a transient fault of the database or the broker
# The database went away mid-request (restarted, connections terminated, none free): the
# request changed nothing and may be retried.
TRANSIENT = (asyncpg.PostgresConnectionError, asyncpg.exceptions.OperatorInterventionError,
             asyncpg.exceptions.InsufficientResourcesError, asyncpg.InterfaceError, ConnectionError, OSError,
             asyncio.TimeoutError)

log = structlog.get_logger()

# Domain error class → (status, default title). The most specific class in an error's MRO wins.
DOMAIN_PROBLEMS: dict[type[DomainError], tuple[int, str]] = {
    NotFound: (404, "Not found"),
    Forbidden: (403, "Forbidden"),
    Conflict: (409, "Conflict"),
    InvalidInput: (422, "Invalid request"),
    TooLarge: (413, "Too large"),
    UnsupportedContent: (415, "Unsupported media type"),
    Unavailable: (503, "Service unavailable"),
    UpstreamFailure: (502, "Bad gateway"),
    DomainError: (422, "Request refused"),
}


# What each status means, for the OpenAPI document of every operation that can answer it.
MEANINGS = {
    400: "Malformed request: the JSON does not parse, or is nested too deeply.",
    401: "No valid bearer token.",
    403: "The token's roles do not allow this action on this kind of filing (shared/policy.toml).",
    404: "Not found (or not yours to know of).",
    409: "The request does not fit the current state.",
    413: "The body, or one of its documents, is too large.",
    415: "Not a body type (or a document type) this operation accepts.",
    422: "A field is missing or wrong; `errors` names each one.",
    429: "Too many requests: see Retry-After.",
    502: "A server this relies on (the mail server) refused or failed.",
    503: "A server this relies on (database, broker) is away for now; nothing changed. Retry after Retry-After "
         "seconds.",
}
PROBLEM_SCHEMA = {
    "type": "object", "required": ["type", "title", "status", "instance"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "instance": {"type": "string"}, "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message", "code"],
                                             "properties": {"field": {"type": "string"},
                                                            "message": {"type": "string"},
                                                            "code": {"type": "string"}}}},
    },
}
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# Any operation can meet these: the edge rules (shared/edge.py), the body limit, a database fault.
EVERY_OPERATION = (400, 413, 422, 503)


def documented_problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these statuses, each application/problem+json (RFC 9457)."""
    return {status: {"description": MEANINGS[status],
                     "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}} for status in statuses}


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str | None = None, *, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.errors, self.headers = status, title, detail, errors, headers


def problem_of(error: DomainError) -> Problem:
    status, title = next(DOMAIN_PROBLEMS[cls] for cls in type(error).__mro__ if cls in DOMAIN_PROBLEMS)
    return Problem(status, error.title or title, error.detail, errors=error.errors)


def problem_body(status: int, title: str, instance: str, detail: str | None = None,
                 errors: list[dict] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "instance": instance}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return body


def problem_response(request: Request, status: int, title: str, detail: str | None = None, *,
                     errors: list[dict] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = problem_body(status, title, request.url.path, detail, errors)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_errors(errors: list[dict]) -> list[dict]:
    return [
        {"field": ".".join(str(part) for part in error["loc"]), "message": error["msg"], "code": error["type"]}
        for error in errors
    ]


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("request_failed_transiently", error=type(exc).__name__)
    return problem_response(request, 503, "Service unavailable",
                            "A server this service needs did not answer; nothing was changed. Retry shortly "
                            "(with the same Idempotency-Key for a filing).", headers=RETRY_AFTER)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc.status, exc.title, exc.detail, errors=exc.errors, headers=exc.headers)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        problem = problem_of(exc)
        return problem_response(request, problem.status, problem.title, problem.detail, errors=problem.errors,
                                headers=RETRY_AFTER if problem.status == 503 else None)

    for transient in TRANSIENT:
        app.add_exception_handler(transient, _unavailable)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(request, 422, "Invalid request", "Some fields are missing or wrong.",
                                errors=field_errors(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return problem_response(request, exc.status_code, str(exc.detail), headers=headers or None)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app takes on this path. The router answers 405 with the
    methods of the first route whose path matched, though each method of a path is its own route."""
    probe = {"type": "http", "path": request.scope["path"], "root_path": request.scope.get("root_path", ""),
             "headers": []}  # a fresh scope: the failed routing left its marks on the request's
    return [method for method in METHODS
            if any(route.matches({**probe, "method": method})[0] == Match.FULL for route in request.app.router.routes)]
