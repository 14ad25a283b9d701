"""Composition root of intake: settings → dependencies (catalogue, calendar, clock, the
document store) → runtime → app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.intake import api, consumers
from services.intake.deps import IntakeDeps
from services.intake.domain.catalogue import catalogue_view, check_covers
from services.intake.scheduler import draft_purger
from services.intake.settings import IntakeSettings
from shared.blobs import BlobStore
from shared.catalogue import load_catalogue
from shared.container import Clock, system_clock
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

SERVICE = "intake"
DESCRIPTION = (
    "Public filing of urban-planning requests, complaints and invoices.\n\n"
    "Errors are `application/problem+json` (RFC 9457) naming each field at fault. When the database or the "
    "broker is away for a moment, the answer is `503` with `Retry-After` and nothing was stored: retry the "
    "filing with the same `Idempotency-Key` header, and whichever of your attempts went through is the one "
    "answered (the same tracking number and access code), never a second filing."
)
MIGRATIONS = Path(__file__).parent / "migrations"


def build_deps(settings: IntakeSettings, *, clock: Clock = system_clock) -> IntakeDeps:
    """``clock`` gives "now" to the handlers (filing times, draft expiry)."""
    catalogue = load_catalogue(settings.catalogue_path)
    check_covers(catalogue)
    return IntakeDeps(service=SERVICE, settings=settings, catalogue=catalogue, clock=clock,
                      documents=BlobStore(settings.documents_dir),
                      issued=BlobStore(settings.issued_documents_dir), catalogue_view=catalogue_view(catalogue))


def build_app(settings: IntakeSettings, *, clock: Clock = system_clock) -> FastAPI:
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    deps = build_deps(settings, clock=clock)
    runtime = Runtime(deps, MIGRATIONS, subscriptions=consumers.SUBSCRIPTIONS, background=[draft_purger])
    return create_app(runtime, title="Lamadi intake",
                      description=DESCRIPTION,
                      routers=api.routers, schemas=api.component_schemas())
