"""Composition root of the notifier: settings → dependencies → runtime → app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.notifier import SERVICE, api, consumers
from services.notifier.deps import NotifierDeps
from services.notifier.domain.emails import EmailRenderer
from services.notifier.mailer import Mailer
from services.notifier.settings import NotifierSettings
from shared.agency import AgencyIdentity
from shared.blobs import BlobStore
from shared.catalogue import load_catalogue
from shared.http import create_app
from shared.logging import configure_logging
from shared.pdf import warm_up
from shared.runtime import Runtime

MIGRATIONS = Path(__file__).parent / "migrations"


def build_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    catalogue = load_catalogue()
    warm_up(settings.pdf_font, catalogue)  # fonts parsed once per process, before the first email
    agency = AgencyIdentity()
    deps = NotifierDeps(service=SERVICE, settings=settings, catalogue=catalogue, agency=agency, mailer=Mailer(settings),
                        renderer=EmailRenderer(catalogue, agency), report_files=BlobStore(settings.report_files_dir))
    return create_app(
        Runtime(deps, MIGRATIONS, subscriptions=consumers.SUBSCRIPTIONS),
        title="Lamadi notifier",
        description="Emails to applicants (receipt and information note as PDFs, observations, decisions, invoice "
        "steps, committee adjournments, contests, withdrawals) in Arabic or French, deadline alerts to staff, "
        "and the record of every delivery for operators.",
        routers=[api.router],
    )
