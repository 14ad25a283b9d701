from pathlib import Path

from pydantic import field_validator

from services.intake.domain.location import Area
from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    port: int = 8001
    documents_dir: Path = Path("var/documents")  # the blob store review reads too
    max_document_bytes: int = 10 * 1024 * 1024
    max_documents: int = 10
    catalogue_path: Path | None = None  # None: shared/catalogue.toml (LAMADI_CATALOGUE_PATH)
    # The agency's territory, WGS 84, as [west, south, east, north] (LAMADI_AREA_BBOX): a filing's
    # point outside it is refused. Default: Khénifra province, with a margin.
    area_bbox: tuple[float, float, float, float] = (-6.6, 32.4, -4.9, 33.6)
    # Open311 GeoReport v2 (/open311/v2): who answers, and where clients ask for a key.
    agency_name: str = "Agence urbaine de Khénifra"
    open311_contact: str = "Agence urbaine de Khénifra, service informatique"
    open311_key_service: str = "Ask the agency's IT service for an API key (lamadi open311 keys add NAME)."

    @field_validator("area_bbox")
    @classmethod
    def _is_an_area(cls, value: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        Area(*value)  # refuses a box whose sides are swapped or out of range
        return value

    @property
    def area(self) -> Area:
        return Area(*self.area_bbox)

    @property
    def max_request_bytes(self) -> int:
        return self.max_documents * self.max_document_bytes + 1024 * 1024
