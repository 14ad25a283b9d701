"""FastAPI application shared by every service: lifespan, /healthz, /readyz, /metrics,
problem answers, the body size limit and the edge middleware (shared/edge.py)."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from shared.edge import EdgeMiddleware
from shared.problems import EVERY_OPERATION, documented_problems, install_problem_handlers
from shared.runtime import Runtime


def create_app(runtime: Runtime, *, title: str, description: str, routers: list[APIRouter],
               schemas: dict[str, dict] | None = None) -> FastAPI:
    """``schemas``: JSON Schemas that hand-written request bodies refer to
    (``#/components/schemas/<name>``), added to the OpenAPI document's components."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await runtime.start()
        yield
        await runtime.stop()

    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan,
                  max_body_size=runtime.settings.max_body_bytes)
    app.state.runtime = runtime
    app.state.deps = runtime.deps
    app.state.settings = runtime.settings
    install_problem_handlers(app)
    app.add_middleware(EdgeMiddleware)

    operations = APIRouter(tags=["operations"], responses=documented_problems(*EVERY_OPERATION))

    @operations.get("/healthz", summary="The process is alive", response_model=Health)
    async def healthz() -> Health:
        return Health(status="ok", service=runtime.service)

    @operations.get("/readyz", summary="Database, broker and consumers are up", response_model=Readiness,
                    responses={503: {"description": "Not ready: the checks say what is down.",
                                     "content": {"application/json": {"schema": Readiness.model_json_schema()}}}})
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    @operations.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse,
                    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}})
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    app.include_router(operations)
    for router in routers:
        app.include_router(router, responses=documented_problems(*EVERY_OPERATION))
    if schemas:
        _add_component_schemas(app, schemas)
    return app


def _add_component_schemas(app: FastAPI, schemas: dict[str, dict]) -> None:
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            document = generate()
            document.setdefault("components", {}).setdefault("schemas", {}).update(schemas)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class Health(BaseModel):
    status: str
    service: str


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, bool]
