"""FastAPI application shared by every service: lifespan, /healthz, /readyz, /metrics,
problem answers, and the correlation id taken from (or given to) each request."""

from __future__ import annotations

import time
import uuid
from contextlib import asynccontextmanager

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.metrics import HTTP_REQUESTS
from shared.problems import install_problem_handlers
from shared.runtime import Runtime

CORRELATION_HEADER = "X-Correlation-ID"
log = structlog.get_logger()


def create_app(runtime: Runtime, *, title: str, description: str, routers: list[APIRouter]) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await runtime.start()
        yield
        await runtime.stop()

    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan)
    app.state.runtime = runtime
    app.state.deps = runtime.deps
    app.state.settings = runtime.settings
    install_problem_handlers(app)

    @app.middleware("http")
    async def bind_correlation_id(request: Request, call_next):
        given = request.headers.get(CORRELATION_HEADER, "")
        cid = given if 8 <= len(given) <= 64 and given.isprintable() else str(uuid.uuid4())
        request.state.correlation_id = cid
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(correlation_id=cid):
            response = await call_next(request)
            route = request.scope.get("route")
            path = getattr(route, "path", "unmatched")
            HTTP_REQUESTS.labels(request.method, path, response.status_code).observe(time.perf_counter() - started)
            if path not in ("/healthz", "/readyz", "/metrics"):
                log.info("http_request", method=request.method, route=path, status=response.status_code)
        response.headers[CORRELATION_HEADER] = cid
        return response

    @app.get("/healthz", tags=["operations"], summary="The process is alive")
    async def healthz() -> dict:
        return {"status": "ok", "service": runtime.service}

    @app.get("/readyz", tags=["operations"], summary="Database, broker and consumers are up")
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for router in routers:
        app.include_router(router)
    return app
