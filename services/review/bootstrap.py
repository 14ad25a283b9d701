"""Composition root of review: settings → dependencies (catalogue, calendar, clock, the
document store) → runtime (consumers, the deadline scanner) → app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.review import api, consumers
from services.review.deps import ReviewDeps
from services.review.scheduler import deadline_scanner
from services.review.settings import ReviewSettings
from shared.blobs import BlobStore
from shared.catalogue import load_catalogue
from shared.container import Clock, system_clock
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

SERVICE = "review"
MIGRATIONS = Path(__file__).parent / "migrations"


def build_deps(settings: ReviewSettings, *, clock: Clock = system_clock) -> ReviewDeps:
    """``clock`` gives "now" to the handlers and the deadline scanner."""
    return ReviewDeps(service=SERVICE, settings=settings, catalogue=load_catalogue(settings.catalogue_path),
                      clock=clock, documents=BlobStore(settings.documents_dir))


def build_app(settings: ReviewSettings, *, clock: Clock = system_clock) -> FastAPI:
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    deps = build_deps(settings, clock=clock)
    runtime = Runtime(deps, MIGRATIONS, subscriptions=consumers.SUBSCRIPTIONS, background=[deadline_scanner])
    return create_app(
        runtime,
        title="Lamadi review",
        description="Staff API: review tasks, committee, finance steps, deadlines, documents and audit "
                    "(JWT bearer with staff roles).",
        routers=api.routers,
    )
