from pathlib import Path

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    port: int = 8001
    documents_dir: Path = Path("var/documents")  # the blob store review reads too
    max_document_bytes: int = 10 * 1024 * 1024
    max_documents: int = 10
    catalogue_path: Path | None = None  # None: shared/catalogue.toml (LAMADI_CATALOGUE_PATH)

    @property
    def max_request_bytes(self) -> int:
        return self.max_documents * self.max_document_bytes + 1024 * 1024
