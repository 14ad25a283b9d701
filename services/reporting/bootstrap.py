"""Composition root of the reporting service: settings → dependencies (the agency days, the
broker's management API, the report files) → runtime (the entries consumer, the day closer)
→ app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.reporting import api, consumers
from services.reporting.adapters.management import RabbitManagement
from services.reporting.deps import ReportingDeps
from services.reporting.domain.agency_days import AgencyDays
from services.reporting.scheduler import day_closer
from services.reporting.settings import ReportingSettings
from shared.blobs import BlobStore
from shared.calendar import WorkingCalendar
from shared.catalogue import load_catalogue
from shared.container import Clock, system_clock
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime
from shared.seal import Sealer, seal_config

SERVICE = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations"


def build_deps(settings: ReportingSettings, *, clock: Clock = system_clock) -> ReportingDeps:
    calendar = WorkingCalendar()
    return ReportingDeps(service=SERVICE, settings=settings, catalogue=load_catalogue(settings.catalogue_path),
                         calendar=calendar, clock=clock, management=RabbitManagement.from_settings(settings),
                         days=AgencyDays(calendar.timezone, settings.report_closing_time),
                         report_files=BlobStore(settings.report_files_dir),
                         sealer=Sealer(seal) if (seal := seal_config(settings)) is not None else None)


def build_app(settings: ReportingSettings, *, clock: Clock = system_clock) -> FastAPI:
    """``clock`` gives "now" to the handlers and the day closer (the system clock by default)."""
    configure_logging(SERVICE, json=settings.log_json, level=settings.log_level)
    runtime = Runtime(build_deps(settings, clock=clock), MIGRATIONS, subscriptions=consumers.SUBSCRIPTIONS,
                      background=[day_closer])
    return create_app(
        runtime,
        title="Lamadi reporting",
        description="The daily report to the Urban Planning Directorate (built once per agency day, archived, "
        "emailed as PDF, XLSX and CSV), public indicators of processing times, and the operators' view of "
        "the queues and their parked messages.",
        routers=api.routers,
    )
