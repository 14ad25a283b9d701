"""CPU time to draw the notifier's PDFs in a warm process, beside a baseline drawn in the same run.

Baseline: the same documents drawn the way the notifier drew them before issue 11, a fresh FPDF
that parses each font file with ``add_font`` and lets fpdf2 subset them with fontTools at
``output()``. Measured: the service as it is (fonts parsed once per process, HarfBuzz subsets).
Every document differs (tracking number, names, files), so per-text caches get the misses a
real stream of emails gives them. CPU is ``time.process_time`` over all renders.

    make bench          # or: .venv/bin/python -m bench.pdf_render [--documents 40] [--font F.ttf]
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

from fpdf.output import OutputProducer

from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.deadlines import legal_deadlines
from shared.pdf import (
    InformationNote,
    Receipt,
    render_information_note,
    render_receipt,
    resolve_font,
    warm_up,
)
from shared.pdf import information_note as note_module
from shared.pdf import receipt as receipt_module
from shared.pdf.fonts import bold_variant, latin_fallback
from shared.pdf.layout import AgencyDocument

NAMES = ["Fatima Zahra El Idrissi", "محمد أمين بنعلي", "Youssef Ait Lahcen", "خديجة الشرقاوي", "Société Atlas Immo"]
FILES = ["plans.pdf", "تصميم الموقع.pdf", "photo façade.jpg", "titre foncier.pdf", "3 coupes R+2.pdf"]


class FontsPerDocument(AgencyDocument):
    """The old way: every document parses its font files and fontTools subsets them at output."""

    producer = OutputProducer

    def add_fonts(self, font: Path) -> None:
        self.add_font("main", fname=str(font))
        self.add_font("main", style="B", fname=str(bold_variant(font) or font))
        fallback = latin_fallback(font)
        if fallback is not None:
            self.add_font("fallback", fname=str(fallback))
            self.set_fallback_fonts(["fallback"])


@contextmanager
def drawn_the_old_way():
    with mock.patch.object(receipt_module, "AgencyDocument", FontsPerDocument), \
            mock.patch.object(note_module, "AgencyDocument", FontsPerDocument):
        yield


def receipts(count: int, language: str) -> list[Receipt]:
    catalogue, calendar = default_catalogue(), WorkingCalendar()
    kinds = sorted(catalogue.kinds)
    made = []
    for n in range(count):
        received = datetime(2025, 6, 2, 8, 0, tzinfo=UTC) + timedelta(days=n % 20, minutes=37 * n)
        kind = kinds[n % len(kinds)]
        made.append(Receipt(
            language=language, tracking_number=f"UA-2025-{n:06d}", kind=kind,
            applicant_name=NAMES[n % len(NAMES)], received_at=received,
            documents=[{"name": f"{n}-{FILES[(n + i) % len(FILES)]}", "type": "architectural_plans",
                        "sha256": f"{n * 7 + i:064x}", "size": 1000 * n + 17 * i} for i in range(1 + n % 4)],
            deadlines=legal_deadlines(catalogue, calendar, kind, {"project_size": "large"}, received),
        ))
    return made


def notes(count: int) -> list[InformationNote]:
    return [InformationNote(
        tracking_number=f"UA-2025-{n:06d}", applicant_name=NAMES[n % len(NAMES)],
        issued_at=datetime(2025, 6, 20, 14, 0, tzinfo=UTC) + timedelta(hours=5 * n),
        parcel={"land_title": f"TF {12000 + n}/K", "commune": "Khénifra", "address": f"حي الأمل، زنقة {n}",
                "purpose": "بناء مسكن فردي"},
        facts={"zoning": "R+2" if n % 2 else "منطقة سكنية مسترسلة", "allowed_height_m": 8 + n % 7,
               "setbacks": f"{n % 5 + 3} m sur rue", "servitudes": "ارتفاق عدم البناء على طول قناة الري",
               "remarks": f"يخضع العقار لتصميم التهيئة المصادق عليه في {n % 28 + 1:02d}/03/2026"},
    ) for n in range(count)]


def _receipt(document, font: Path, *, catalogue) -> bytes:
    return render_receipt(document, font, catalogue)


def cpu_ms_each(draw: Callable[[object, Path], bytes], documents: list, font: Path) -> float:
    for document in documents[:2]:  # warm: fonts parsed, static labels shaped
        draw(document, font)
    started = time.process_time()
    for document in documents:
        draw(document, font)
    return (time.process_time() - started) * 1000 / len(documents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=40, help="of each kind")
    parser.add_argument("--font", type=Path, default=None, help="TrueType file (default: as the notifier finds it)")
    args = parser.parse_args()
    font = resolve_font(args.font)
    catalogue = default_catalogue()
    warm_up(font, catalogue)
    receipt = functools.partial(_receipt, catalogue=catalogue)
    cases = [("receipt (Arabic)", receipt, receipts(args.documents, "ar")),
             ("receipt (French)", receipt, receipts(args.documents, "fr")),
             ("information note", render_information_note, notes(args.documents))]
    print(f"font {font}, bold {bold_variant(font)}, fallback {latin_fallback(font)}")
    print(f"{args.documents} different documents of each kind, CPU ms per document (process_time)")
    print(f"{'document':20} {'baseline':>10} {'now':>10} {'ratio':>8}")
    for name, draw, documents in cases:
        now = cpu_ms_each(draw, documents, font)
        with drawn_the_old_way():
            baseline = cpu_ms_each(draw, documents, font)
        print(f"{name:20} {baseline:10.1f} {now:10.1f} {baseline / now:7.1f}x")


if __name__ == "__main__":
    main()
