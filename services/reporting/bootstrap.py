"""Composition root of the reporting service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.reporting import api
from services.reporting.consumers import subscriptions
from services.reporting.management import RabbitManagement
from services.reporting.settings import ReportingSettings
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

MIGRATIONS = Path(__file__).parent / "migrations"


def build_app(settings: ReportingSettings) -> FastAPI:
    configure_logging("reporting", json=settings.log_json, level=settings.log_level)
    runtime = Runtime(service="reporting", settings=settings, migrations=MIGRATIONS, subscriptions=subscriptions)
    app = create_app(
        runtime,
        title="Lamadi reporting",
        description="Daily report of the services delivered, and the operators' view of the queues.",
        routers=[api.router],
    )
    app.state.management = RabbitManagement.from_settings(settings)
    return app
