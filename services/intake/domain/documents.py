"""Upload rules: type by magic bytes (PDF, PNG, JPEG), size limit, sanitised names."""

from __future__ import annotations

from dataclasses import dataclass

from pathvalidate import sanitize_filename

from shared.blobs import EXTENSIONS, named_by_type
from shared.errors import TooLarge, UnsupportedContent
from shared.text import clean_file_name

ALLOWED_TYPES = EXTENSIONS  # PDF, PNG and JPEG, each with the extension its files are named with


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


def safe_name(name: str | None, content_type: str, index: int) -> str:
    """The stored name: the client's last path component, without control, bidirectional or
    zero-width characters, and with the extension of the file's real type."""
    cleaned = sanitize_filename(clean_file_name(name or ""), max_len=120).strip().lstrip(".")
    stem = cleaned.rsplit(".", 1)[0].strip() if "." in cleaned else cleaned
    return named_by_type(stem or f"document-{index}", content_type)
