"""Composition root: settings → catalogue, runtime (pool, broker, relay, consumers) → app."""

from pathlib import Path

from fastapi import FastAPI

from services.intake import api, consumers
from services.intake.document_store import DocumentStore
from services.intake.domain.catalogue import catalogue_view, check_covers
from services.intake.settings import IntakeSettings
from shared.catalogue import load_catalogue
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime


def build_app(settings: IntakeSettings) -> FastAPI:
    configure_logging("intake", json=settings.log_json, level=settings.log_level)
    catalogue = load_catalogue(settings.catalogue_path)
    check_covers(catalogue)
    runtime = Runtime(service="intake", settings=settings, migrations=Path(__file__).parent / "migrations",
                      subscriptions=consumers.subscriptions)
    app = create_app(runtime, title="Lamadi intake", routers=[api.router],
                     description="Public filing of urban-planning requests, complaints and invoices.")
    app.state.catalogue = catalogue
    app.state.catalogue_view = catalogue_view(catalogue)
    app.state.document_store = DocumentStore(settings.documents_dir, settings.max_document_bytes)
    return app
