"""What the notifier's handlers work with (built once in bootstrap.py)."""

from __future__ import annotations

from dataclasses import dataclass

from services.notifier.adapters.documents import Documents
from services.notifier.adapters.email_rendering import EmailRenderer
from services.notifier.adapters.mailer import Mailer
from services.notifier.settings import NotifierSettings
from shared.blobs import BlobStore
from shared.container import Dependencies
from shared.deps import dependencies_of


@dataclass(kw_only=True)
class NotifierDeps(Dependencies):
    settings: NotifierSettings
    mailer: Mailer
    renderer: EmailRenderer
    documents: Documents  # draws the attached PDFs (worker processes) and keeps recent ones
    report_files: BlobStore  # the daily report's files, as reporting stored them (read only here)
    issued: BlobStore  # the issued documents' bytes, by sha256 (written here, read by intake too)
    trust_roots: list  # the seal's trust roots (asn1crypto certificates): what a dropped PDF is checked against


Deps = dependencies_of(NotifierDeps)
