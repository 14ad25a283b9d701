"""Notifier settings (LAMADI_* environment variables)."""

from __future__ import annotations

from pydantic import model_validator

from shared.pdf.fonts import PdfFont
from shared.settings import ServiceSettings


class NotifierSettings(ServiceSettings):
    port: int = 8003
    # Each message in flight holds the consumer's connection and briefly takes a second one for
    # the delivery ledger, so fewer messages in flight than pooled connections (checked below).
    prefetch: int = 4

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout: float = 10.0
    mail_from: str = "Agence urbaine <no-reply@lamadi.local>"
    message_id_domain: str = "lamadi.local"
    # Deadline alerts (review.deadline_approaching / _breached) go to this address, in French.
    staff_alert_email: str = "supervision@agence-urbaine.local"
    pdf_font: PdfFont  # the receipt's and the information note's font (shared/pdf/fonts.py)

    @model_validator(mode="after")
    def _pool_outnumbers_prefetch(self) -> "NotifierSettings":
        if self.prefetch >= self.database_pool_max:
            raise ValueError(
                "LAMADI_PREFETCH must be lower than LAMADI_DATABASE_POOL_MAX for the notifier: every "
                "message in flight needs a second database connection to record its delivery"
            )
        return self
