"""Composition root of the reporting service: settings → dependencies → runtime → app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.reporting import api, consumers, ops_api
from services.reporting.deps import ReportingDeps
from services.reporting.management import RabbitManagement
from services.reporting.settings import ReportingSettings
from shared.catalogue import load_catalogue
from shared.container import Clock, system_clock
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

SERVICE = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations"


def build_app(settings: ReportingSettings, *, clock: Clock = system_clock) -> FastAPI:
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    deps = ReportingDeps(service=SERVICE, settings=settings, catalogue=load_catalogue(), clock=clock,
                         management=RabbitManagement.from_settings(settings))
    runtime = Runtime(deps, MIGRATIONS, subscriptions=consumers.SUBSCRIPTIONS)
    return create_app(
        runtime,
        title="Lamadi reporting",
        description="Daily report of the services delivered, and the operators' view of the queues.",
        routers=[api.router, ops_api.router],
    )
