"""Composition root of the notifier: settings → dependencies (the mailer, the PDF workers and
the seal, the report files, the issued documents) → runtime (the two work queues' consumers, the PDF workers) → app."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import FastAPI

from services.notifier import api, consumers
from services.notifier.adapters.documents import Documents
from services.notifier.adapters.email_rendering import EmailRenderer
from services.notifier.adapters.mailer import Mailer
from services.notifier.deps import NotifierDeps
from services.notifier.settings import NotifierSettings
from shared.agency import AgencyIdentity
from shared.blobs import BlobStore
from shared.catalogue import load_catalogue
from shared.container import Clock, Dependencies, system_clock
from shared.http import create_app
from shared.logging import configure_logging
from shared.pdf import warm_up
from shared.runtime import Runtime
from shared.seal import seal_config, trust_roots_of

SERVICE = "notifier"
MIGRATIONS = Path(__file__).parent / "migrations"


def build_deps(settings: NotifierSettings, *, clock: Clock = system_clock) -> NotifierDeps:
    catalogue = load_catalogue(settings.catalogue_path)
    if settings.pdf_workers == 0:
        warm_up(settings.pdf_font, catalogue)  # fonts parsed once per process, before the first email
    agency = AgencyIdentity()
    seal = seal_config(settings)
    return NotifierDeps(service=SERVICE, settings=settings, catalogue=catalogue, agency=agency, clock=clock,
                        mailer=Mailer(settings), renderer=EmailRenderer(catalogue, agency),
                        documents=Documents(settings.pdf_font, catalogue, workers=settings.pdf_workers, seal=seal),
                        report_files=BlobStore(settings.report_files_dir),
                        issued=BlobStore(settings.issued_documents_dir),
                        trust_roots=trust_roots_of(seal) if seal is not None else [])


async def keep_workers(deps: Dependencies) -> None:
    """Runs while the service does: the PDF workers warmed at start, the pools closed at stop."""
    assert isinstance(deps, NotifierDeps)
    try:
        await deps.documents.warm()
        await asyncio.Event().wait()
    finally:
        deps.documents.close()
        await deps.mailer.close()


def build_app(settings: NotifierSettings, *, clock: Clock = system_clock) -> FastAPI:
    """``clock`` gives "now" to the handlers (the system clock by default)."""
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    return create_app(
        Runtime(build_deps(settings, clock=clock), MIGRATIONS, subscriptions=consumers.SUBSCRIPTIONS,
                background=[keep_workers]),
        title="Lamadi notifier",
        description="Emails to applicants (receipt and information note as PDFs, observations, decisions, invoice "
        "steps, committee adjournments, contests, withdrawals) in Arabic or French, deadline alerts to staff, "
        "the daily report to the Urban Planning Directorate, and the record of every delivery for operators.",
        routers=api.routers,
    )
