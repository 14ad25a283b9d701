from pathlib import Path

from pydantic import Field, model_validator

from shared.pdf.fonts import PdfFont
from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    port: int = 8001
    documents_dir: Path = Path("var/documents")  # the blob store review reads too
    max_document_bytes: int = 10 * 1024 * 1024
    max_documents: int = 10
    catalogue_path: Path | None = None  # None: shared/catalogue.toml (LAMADI_CATALOGUE_PATH)
    pdf_font: PdfFont  # the receipt a filer downloads (shared/pdf/fonts.py)
    # Drafts (save and resume): how long one lives after its last save, where the emailed link
    # opens it (the public portal), how often expired ones are purged.
    draft_days: int = Field(7, ge=1, le=60)
    portal_url: str = "http://127.0.0.1:8000"
    draft_purge_interval: float = Field(3600.0, gt=0)

    max_body_bytes: int = 0  # 0: room for max_documents documents of max_document_bytes, and 1 MB more

    @model_validator(mode="after")
    def _body_fits_the_documents(self) -> "IntakeSettings":
        if self.max_body_bytes == 0:
            self.max_body_bytes = self.max_documents * self.max_document_bytes + 1024 * 1024
        return self
