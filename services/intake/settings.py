"""Intake settings (LAMADI_* environment variables), read only in bootstrap.py."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator

from services.intake.domain.location import Area
from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    """The public front door's settings: where documents go and how large they may be, the
    catalogue, the receipt's font, drafts, the agency's area and Open311's contact."""

    port: int = 8001
    documents_dir: Path = Path("var/documents")  # the blob store review reads too
    max_document_bytes: int = 10 * 1024 * 1024
    max_documents: int = 10
    # The documents the notifier issued (receipts, notes, decision letters), kept by sha256: read
    # here for downloads, written only by the notifier.
    issued_documents_dir: Path = Path("var/issued-documents")
    # Drafts (save and resume): how long one lives after its last save (the emailed link opens
    # it on LAMADI_PORTAL_URL), how often expired ones are purged.
    draft_days: int = Field(7, ge=1, le=60)
    draft_purge_interval: float = Field(3600.0, gt=0)
    # The agency's territory, WGS 84, as [west, south, east, north] (LAMADI_AREA_BBOX): a filing's
    # point outside it is refused. Default: Khénifra province, with a margin.
    area_bbox: tuple[float, float, float, float] = (-6.6, 32.4, -4.9, 33.6)
    # Open311 GeoReport v2 (/open311/v2): who answers (the agency's name: shared/agency.py), and
    # where clients ask for a key.
    open311_contact: str = "Agence urbaine de Khénifra, service informatique"
    open311_key_service: str = "Ask the agency's IT service for an API key (lamadi open311 keys add NAME)."

    @field_validator("area_bbox")
    @classmethod
    def _is_an_area(cls, value: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        Area(*value)  # refuses a box whose sides are swapped or out of range
        return value

    max_body_bytes: int = 0  # 0: room for max_documents documents of max_document_bytes, and 1 MB more

    @property
    def area(self) -> Area:
        return Area(*self.area_bbox)

    @model_validator(mode="after")
    def _body_fits_the_documents(self) -> "IntakeSettings":
        if self.max_body_bytes == 0:
            self.max_body_bytes = self.max_documents * self.max_document_bytes + 1024 * 1024
        return self
