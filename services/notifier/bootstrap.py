"""Composition root of the notifier."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.notifier import SERVICE, api
from services.notifier.consumers import subscriptions
from services.notifier.settings import NotifierSettings
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

MIGRATIONS = Path(__file__).parent / "migrations"


def build_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    runtime = Runtime(service=SERVICE, settings=settings, migrations=MIGRATIONS, subscriptions=subscriptions)
    return create_app(
        runtime,
        title="Lamadi notifier",
        description="Emails to applicants (receipt and information note as PDFs, observations, decisions, invoice "
        "steps, committee adjournments, contests, withdrawals) in Arabic or French, deadline alerts to staff, "
        "and the record of every delivery for operators.",
        routers=[api.router],
    )
