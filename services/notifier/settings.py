"""Notifier settings (LAMADI_* environment variables), read once by bootstrap.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from pydantic import EmailStr, Field, field_validator, model_validator
from pydantic_settings import NoDecode

from shared.pdf.fonts import PdfFont
from shared.seal import SealSettings
from shared.settings import ServiceSettings

QUEUES = 2  # applicant-emails and staff-alerts (shared/messaging/topology.py)


class NotifierSettings(ServiceSettings, SealSettings):
    port: int = 8003
    # Each message in flight holds the consumer's connection and briefly takes a second one for
    # the delivery ledger, so fewer messages in flight than pooled connections (checked below).
    prefetch: int = 4

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout: float = 10.0
    # SMTP connections kept open between messages (0: one connection per message), and how long
    # an idle one is trusted (servers drop idle clients; Postfix after 300 s).
    smtp_connections: int = Field(4, ge=0)
    smtp_idle_seconds: float = Field(30.0, ge=0)
    mail_from: str = "Agence urbaine <no-reply@lamadi.local>"
    message_id_domain: str = "lamadi.local"
    # Deadline alerts (review.deadline_approaching / _breached) go to this address, in French.
    staff_alert_email: str = "supervision@agence-urbaine.local"
    # The daily report (report.daily_published) goes to each of these addresses of the ministry's
    # Urban Planning Directorate: a JSON list or comma-separated. Unset: the report is built and
    # archived but not emailed (a warning says so each day).
    directorate_emails: Annotated[list[EmailStr], NoDecode] = []
    # Where reporting puts the report's files (a blob store keyed by sha256, shared with it).
    report_files_dir: Path = Path("var/report-files")
    # The documents it issues (receipts, notes, decision letters, the daily report's PDF), kept by
    # sha256: written here, read by intake for downloads.
    issued_documents_dir: Path = Path("var/issued-documents")
    # A PDF checked on the verification page is sent whole (the portal refuses beyond 10 MB).
    max_body_bytes: int = Field(10 * 1024 * 1024 + 64 * 1024, gt=0)
    pdf_font: PdfFont  # the receipt's, the information note's and the decision letter's font (shared/pdf/fonts.py)
    # Processes drawing the PDFs beside the event loop's (0: in a thread of it, holding the GIL).
    # One suits two cores shared with the other services: it takes the second core.
    pdf_workers: int = Field(1, ge=0)

    @field_validator("directorate_emails", mode="before")
    @classmethod
    def _address_list(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [address.strip() for address in text.split(",") if address.strip()]
        return value

    @model_validator(mode="after")
    def _pool_outnumbers_prefetch(self) -> "NotifierSettings":
        # Both queues (applicant emails, staff alerts) take LAMADI_PREFETCH messages each; every
        # one in flight holds a connection and briefly takes a second for the delivery ledger.
        if QUEUES * self.prefetch >= self.database_pool_max:
            raise ValueError(
                f"LAMADI_DATABASE_POOL_MAX must exceed {QUEUES} × LAMADI_PREFETCH for the notifier: each of its "
                f"{QUEUES} queues takes that many messages, and every one in flight needs a second database "
                "connection to record its delivery"
            )
        return self
