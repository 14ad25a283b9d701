"""RFC 9457 problem details: every error answer is application/problem+json.

Handlers raise domain errors (``shared/errors.py``); ``DOMAIN_PROBLEMS`` is the one table
that turns them into HTTP answers, for every service. ``Problem`` is for the HTTP edge only
(malformed bodies, media types): what no handler ever sees."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str | None = None, *, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.errors, self.headers = status, title, detail, errors, headers


def problem_of(error: DomainError) -> Problem:
    status, title = next(DOMAIN_PROBLEMS[cls] for cls in type(error).__mro__ if cls in DOMAIN_PROBLEMS)
    return Problem(status, error.title or title, error.detail, errors=error.errors)


def problem_response(request: Request, status: int, title: str, detail: str | None = None, *,
                     errors: list[dict] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "instance": request.url.path}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_errors(errors: list[dict]) -> list[dict]:
    return [
        {"field": ".".join(str(part) for part in error["loc"]), "message": error["msg"], "code": error["type"]}
        for error in errors
    ]


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc.status, exc.title, exc.detail, errors=exc.errors, headers=exc.headers)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        problem = problem_of(exc)
        return problem_response(request, problem.status, problem.title, problem.detail, errors=problem.errors)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(request, 422, "Invalid request", "Some fields are missing or wrong.",
                                errors=field_errors(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))
