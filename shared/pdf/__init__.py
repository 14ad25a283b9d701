"""The agency's PDF documents: the receipt (récépissé) of a filing, the urban-planning
information note and the decision letter, which the notifier issues (emails, and keeps for
intake's downloads), each with an optional verification block (qr.py: a vector QR code of its
``/verify`` address and the code, on page 1). fpdf2 lays them out; its HarfBuzz text shaping (uharfbuzz)
joins Arabic letters and orders right-to-left runs.

How the text reads back: glyphs are drawn in visual order and the font's ToUnicode map gives
each glyph its base letters (never presentation forms), so an extractor that puts right-to-left
runs back into logical order (pypdf does) reads the Arabic as written.

Each text takes its own base direction from its first strong character (layout.py), so a
French value in the Arabic note reads as typed. Fonts are parsed once per process
(typefaces.py; ``warm_up`` at start-up does it before the first email) and documents are drawn
one at a time, whichever thread calls."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from shared.catalogue import Catalogue
from shared.pdf.decision_letter import DecisionLetter, render_decision_letter
from shared.pdf.fonts import FontNotFound, resolve_font
from shared.pdf.information_note import InformationNote, render_information_note
from shared.pdf.layout import AgencyNames
from shared.pdf.qr import Verification
from shared.pdf.receipt import Receipt, receipt_for, render_receipt
from shared.pdf.typefaces import typeface

__all__ = [
    "AgencyNames",
    "DecisionLetter",
    "FontNotFound",
    "InformationNote",
    "Receipt",
    "Verification",
    "receipt_for",
    "render_decision_letter",
    "render_information_note",
    "render_receipt",
    "resolve_font",
    "warm_up",
]


def warm_up(font: Path, catalogue: Catalogue) -> None:
    """Parse the fonts and draw one document of each sort (well under a second, once per
    process and font), so the first emails find the static texts already shaped and broken into
    lines; the decision letters carry a verification block, so segno is loaded and its lines
    shaped too. Called again with the same font, it does nothing."""
    path = typeface(font).regular.ttffile
    if path in _WARMED:
        return
    drawn_at = datetime(2025, 1, 1, tzinfo=UTC)
    for language in ("ar", "fr"):
        render_receipt(Receipt(language=language, tracking_number="UA-0000-000000", kind="building_permit",
                               applicant_name="-", received_at=drawn_at), path, catalogue)
    render_information_note(InformationNote(
        tracking_number="UA-0000-000000", applicant_name="-", issued_at=drawn_at,
        facts={"zoning": "-", "allowed_height_m": 0, "setbacks": "-", "servitudes": "-"},
    ), path)
    verification = Verification(code="A" * 32, url="https://portal.invalid/verify/" + "A" * 32)
    for language in ("ar", "fr"):
        render_decision_letter(DecisionLetter(
            tracking_number="UA-0000-000000", language=language, kind="building_permit", applicant_name="-",
            decided_at=drawn_at, outcome="approved", text="-", committee_opinion="favourable",
            verification=verification,
        ), path, catalogue)
    _WARMED.add(path)


_WARMED: set[Path] = set()  # fonts already warmed in this process
