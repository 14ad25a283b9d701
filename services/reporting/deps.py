"""What reporting's handlers work with (built once in bootstrap.py)."""

from __future__ import annotations

from dataclasses import dataclass

from services.reporting.management import RabbitManagement
from shared.container import Dependencies
from shared.deps import dependencies_of


@dataclass(kw_only=True)
class ReportingDeps(Dependencies):
    management: RabbitManagement


Deps = dependencies_of(ReportingDeps)
