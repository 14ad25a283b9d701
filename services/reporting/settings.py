"""Reporting settings (LAMADI_* environment variables), read once by bootstrap.py."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, field_validator

from services.reporting.adapters.documents.fonts import FontNotFound, report_font
from shared.seal import SealSettings
from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings, SealSettings):
    port: int = 8004
    # RabbitMQ management API; user, password and vhost come from amqp_url.
    rabbit_api_url: str = "http://127.0.0.1:15672/api"
    rabbit_api_timeout: float = 5.0

    # The daily report to the Urban Planning Directorate.
    directorate_language: Literal["ar", "fr"] = "ar"
    # Agency-local HH:MM closing each agency day (see domain/agency_days.py): from noon on it
    # closes the same day (23:30), before noon the previous one (00:00, the default: calendar days).
    report_closing_time: time = time(0, 0)
    report_check_interval: float = Field(default=30.0, gt=0)  # seconds between the scheduler's looks at the clock
    report_catch_up_days: int = Field(default=31, ge=1)  # after downtime, at most this many missed days are built
    # Where the emailed files are put for the notifier (a blob store keyed by sha256, shared with it).
    report_files_dir: Path = Path("var/report-files")
    # TrueType font of the PDF and charts; unset: Amiri, Noto Naskh Arabic or DejaVu Sans.
    report_font: Path | None = Field(default=None, validate_default=True)

    @field_validator("report_font", mode="after")
    @classmethod
    def _font_exists(cls, value: Path | None) -> Path:
        try:
            return report_font(value)
        except FontNotFound as exc:
            raise ValueError(str(exc)) from None

    @property
    def broker_credentials(self) -> tuple[str, str, str]:
        """(user, password, vhost) of amqp_url, as the management API wants them."""
        parts = urlsplit(self.amqp_url)
        vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
        return unquote(parts.username or "guest"), unquote(parts.password or "guest"), vhost
