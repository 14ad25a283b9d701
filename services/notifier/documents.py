"""The PDF documents an email carries. A delivery's context names its attachments
(``{"document": ..., "content": {...}}``); they are rendered again from it at each sending, so
a resent email carries the same PDF."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from services.notifier.domain.emails import Attachment
from shared.catalogue import Catalogue
from shared.pdf import InformationNote, Receipt, render_information_note, render_receipt

RECEIPT = "receipt"
INFORMATION_NOTE = "information_note"


def attachment_spec(document: Receipt | InformationNote) -> dict[str, Any]:
    """What a delivery's context keeps to render the document again."""
    name = RECEIPT if isinstance(document, Receipt) else INFORMATION_NOTE
    return {"document": name, "content": document.model_dump(mode="json")}


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
