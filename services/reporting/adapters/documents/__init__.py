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

    @classmethod
    def of(cls, format_: str, day: str, content: bytes) -> "ReportFile":
        return cls(format=format_, filename=f"lamadi-rapport-journalier-{day}.{format_}",
                   content_type=CONTENT_TYPES[format_], content=content,
                   sha256=hashlib.sha256(content).hexdigest(), size=len(content))

    def summary(self) -> dict[str, Any]:
        return {"format": self.format, "filename": self.filename, "content_type": self.content_type,
                "sha256": self.sha256, "size": self.size}


def figures_json(figures: Mapping[str, Any]) -> bytes:
    return (json.dumps(figures, ensure_ascii=False, indent=2) + "\n").encode()


def render_files(figures: Mapping[str, Any], *, language: str, catalogue: Catalogue, font: Path,
                 agency: AgencyIdentity, built_at: datetime) -> list[ReportFile]:
    """PDF, XLSX, CSV and JSON of one report, the PDF headed by the agency's configured names.
    ``built_at`` fixes the files' own dates, so the same figures give the same bytes."""
    day = figures["date"]
    return [
        ReportFile.of("pdf", day, render_pdf(figures, language=language, catalogue=catalogue, font=font,
                                             agency=agency, built_at=built_at)),
        ReportFile.of("xlsx", day, render_xlsx(figures, language=language, catalogue=catalogue, built_at=built_at)),
        ReportFile.of("csv", day, to_csv(figures).encode()),
        ReportFile.of("json", day, figures_json(figures)),
    ]
