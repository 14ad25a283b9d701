"""PDF documents the notifier attaches to emails: the receipt (récépissé) of a filing and the
urban-planning information note. fpdf2 lays them out; its HarfBuzz text shaping (uharfbuzz)
joins Arabic letters and orders right-to-left runs.

How the text reads back: glyphs are drawn in visual order and the font's ToUnicode map gives
each glyph its base letters (never presentation forms), so an extractor that puts right-to-left
runs back into logical order (pypdf does) reads the Arabic as written.

Each text takes its own base direction from its first strong character (layout.py), so a
French value in the Arabic note reads as typed. Fonts are parsed once per process
(typefaces.py; ``warm_up`` at start-up does it before the first email) and documents are drawn
one at a time, whichever thread calls.

A delivery's context names its attachments (``{"document": ..., "content": {...}}``); they are
rendered again from it at each sending, so a resent email carries the same PDF."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.notifier.domain.emails import Attachment
from services.notifier.pdf.fonts import FontNotFound, resolve_font
from services.notifier.pdf.information_note import InformationNote, render_information_note
from services.notifier.pdf.receipt import Receipt, render_receipt
from services.notifier.pdf.typefaces import typeface
from shared.catalogue import Catalogue

RECEIPT = "receipt"
INFORMATION_NOTE = "information_note"

__all__ = [
    "INFORMATION_NOTE",
    "RECEIPT",
    "FontNotFound",
    "InformationNote",
    "Receipt",
    "attachment_spec",
    "render_attachments",
    "render_information_note",
    "render_receipt",
    "resolve_font",
    "warm_up",
]


def attachment_spec(document: Receipt | InformationNote) -> dict[str, Any]:
    """What a delivery's context keeps to render the document again."""
    name = RECEIPT if isinstance(document, Receipt) else INFORMATION_NOTE
    return {"document": name, "content": document.model_dump(mode="json")}


def warm_up(font: Path, catalogue: Catalogue) -> None:
    """Parse the fonts and draw one document of each sort (well under a second, once per
    process and font), so the first emails find the static texts already shaped and broken into
    lines. Called again with the same font, it does nothing."""
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
    _WARMED.add(path)


_WARMED: set[Path] = set()  # fonts already warmed in this process


def render_attachments(specs: Iterable[dict[str, Any]], font: Path, catalogue: Catalogue) -> list[Attachment]:
    attachments = []
    for spec in specs:
        if spec["document"] == RECEIPT:
            receipt = Receipt.model_validate(spec["content"])
            attachments.append(Attachment(receipt.filename, render_receipt(receipt, font, catalogue)))
        elif spec["document"] == INFORMATION_NOTE:
            note = InformationNote.model_validate(spec["content"])
            attachments.append(Attachment(note.filename, render_information_note(note, font)))
        else:
            raise ValueError(f"unknown attached document {spec['document']!r}")
    return attachments
