"""What reporting's handlers work with (built once in bootstrap.py)."""

from __future__ import annotations

from dataclasses import dataclass

from services.reporting.adapters.management import RabbitManagement
from services.reporting.domain.agency_days import AgencyDays
from services.reporting.settings import ReportingSettings
from shared.blobs import BlobStore
from shared.container import Dependencies
from shared.deps import dependencies_of
from shared.seal import Sealer


@dataclass(kw_only=True)
class ReportingDeps(Dependencies):
    settings: ReportingSettings
    management: RabbitManagement
    days: AgencyDays  # the agency days reports cover (closing time, time zone)
    report_files: BlobStore  # where the emailed files wait for the notifier
    sealer: Sealer | None  # seals the report's PDF as it is drawn; None: no seal configured


Deps = dependencies_of(ReportingDeps)
