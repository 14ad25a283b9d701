"""The files of a daily report, drawn from its frozen figures: PDF (fpdf2, charts by
matplotlib), XLSX (XlsxWriter), CSV and the figures as JSON. CPU-bound: call ``render_files``
off the event loop."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from services.reporting.adapters.documents.csv_table import to_csv
from services.reporting.adapters.documents.pdf import render_pdf
from services.reporting.adapters.documents.xlsx import render_xlsx
from shared.agency import AgencyIdentity
from shared.catalogue import Catalogue
from shared.pdf.qr import Verification
from shared.seal import Sealer

# The three files emailed to the Directorate, in this order; JSON stays in the archive.
ATTACHED = ("pdf", "xlsx", "csv")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@dataclass(frozen=True)
class ReportFile:
    format: str
    filename: str
    content_type: str
    content: bytes = field(repr=False)
    sha256: str
    size: int
    verification_code: str | None = None  # the PDF's, as an issued document (shared/verification.py)

    @classmethod
    def of(cls, format_: str, day: str, content: bytes, verification_code: str | None = None) -> "ReportFile":
        return cls(format=format_, filename=f"lamadi-rapport-journalier-{day}.{format_}",
                   content_type=CONTENT_TYPES[format_], content=content,
                   sha256=hashlib.sha256(content).hexdigest(), size=len(content), verification_code=verification_code)

    def summary(self) -> dict[str, Any]:
        return {"format": self.format, "filename": self.filename, "content_type": self.content_type,
                "sha256": self.sha256, "size": self.size, "verification_code": self.verification_code}


def figures_json(figures: Mapping[str, Any]) -> bytes:
    return (json.dumps(figures, ensure_ascii=False, indent=2) + "\n").encode()


def render_files(figures: Mapping[str, Any], *, language: str, catalogue: Catalogue, font: Path,
                 agency: AgencyIdentity, built_at: datetime,
                 verification: Verification | None = None) -> list[ReportFile]:
    """PDF, XLSX, CSV and JSON of one report, the PDF headed by the agency's configured names
    (and, given a ``verification``, its QR code and code). ``built_at`` fixes the files' own
    dates, so the same figures give the same bytes."""
    day = figures["date"]
    return [
        ReportFile.of("pdf", day, render_pdf(figures, language=language, catalogue=catalogue, font=font,
                                             agency=agency, built_at=built_at, verification=verification)),
        ReportFile.of("xlsx", day, render_xlsx(figures, language=language, catalogue=catalogue, built_at=built_at)),
        ReportFile.of("csv", day, to_csv(figures).encode()),
        ReportFile.of("json", day, figures_json(figures)),
    ]


def issue_files(figures: Mapping[str, Any], *, language: str, catalogue: Catalogue, font: Path,
                agency: AgencyIdentity, built_at: datetime, verification: Verification,
                sealer: Sealer | None) -> list[ReportFile]:
    """The report's files as the agency issues them: the PDF carries ``verification``'s QR code
    and, with a seal configured, is sealed here, where it was drawn (call it in a thread)."""
    files = render_files(figures, language=language, catalogue=catalogue, font=font, agency=agency,
                         built_at=built_at, verification=verification)
    pdf = files[0]
    content = sealer.seal_blocking(pdf.content) if sealer is not None else pdf.content
    return [ReportFile.of("pdf", figures["date"], content, verification.code), *files[1:]]
