"""Composition root of the reporting service: settings → dependencies → runtime (the entries
consumer, the day closer) → app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.reporting import api, consumers, ops_api
from services.reporting.deps import ReportingDeps
from services.reporting.domain.agency_days import AgencyDays
from services.reporting.management import RabbitManagement
from services.reporting.scheduler import day_closer
from services.reporting.settings import ReportingSettings
from shared.blobs import BlobStore
from shared.calendar import WorkingCalendar
from shared.catalogue import load_catalogue
from shared.container import Clock, system_clock
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

SERVICE = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations"


def build_app(settings: ReportingSettings, *, clock: Clock = system_clock) -> FastAPI:
    """``clock`` gives "now" to the handlers and the day closer (the system clock by default)."""
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    calendar = WorkingCalendar()
    deps = ReportingDeps(service=SERVICE, settings=settings, catalogue=load_catalogue(), calendar=calendar,
                         clock=clock, management=RabbitManagement.from_settings(settings),
                         days=AgencyDays(calendar.timezone, settings.report_closing_time),
                         report_files=BlobStore(settings.report_files_dir))
    runtime = Runtime(deps, MIGRATIONS, subscriptions=consumers.SUBSCRIPTIONS, background=[day_closer])
    return create_app(
        runtime,
        title="Lamadi reporting",
        description="The daily report to the Urban Planning Directorate (built once per agency day, archived, "
        "emailed as PDF, XLSX and CSV), public indicators of processing times, and the operators' view of "
        "the queues.",
        routers=[*api.routers, ops_api.router],
    )
