"""Upload rules: type by magic bytes (PDF, PNG, JPEG), size limit, sanitised names."""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from pathvalidate import sanitize_filename

from shared.errors import TooLarge, UnsupportedContent

ALLOWED_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


class _Refusal:
    title = "Document refused"

    def __init__(self, name: str, reason: str, *, field: str = "documents"):
        super().__init__(f"{name}: {reason}", errors=[{"field": field, "message": reason, "code": "document"}])
        self.name, self.reason, self.field = name, reason, field


class DocumentRejected(_Refusal, UnsupportedContent):
    """A document whose real type is not accepted, or that is empty (415)."""


class DocumentTooLarge(_Refusal, TooLarge):
    """A document over the size limit (413)."""


@dataclass(frozen=True)
class CheckedDocument:
    name: str
    content_type: str
    size: int
    sha256: str
    type: str | None = None  # a document type code of the catalogue; None for an untyped extra


def detect_type(head: bytes) -> str | None:
    """The real type from the first bytes, whatever name or Content-Type the client gave."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in ALLOWED_TYPES else None


def safe_name(name: str | None, content_type: str, index: int) -> str:
    # Keep only the last path component: a client's directories mean nothing here.
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = sanitize_filename(base, max_len=120).strip().lstrip(".")
    return cleaned or f"document-{index}{ALLOWED_TYPES[content_type]}"
