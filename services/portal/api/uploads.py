"""Documents chosen in a form: which files were really chosen, and whether one is refused
before it goes anywhere (too large, or not of a type the document store holds: the same rule
as intake's, shared/blobs.py)."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile

from shared.blobs import EXTENSIONS, SNIFFED_BYTES, detect_type

# The file input's accept attribute: the extensions and types the store holds.
ACCEPT_ATTRIBUTE = ",".join([*sorted({".jpeg", *EXTENSIONS.values()}), *EXTENSIONS])


def uploads_of(form: FormData, name: str) -> list[UploadFile]:
    """The files chosen under ``name`` (an empty file input sends a nameless, empty part)."""
    return [v for v in form.getlist(name) if isinstance(v, UploadFile) and v.filename and (v.size or 0) > 0]


def content_type_of(upload: UploadFile) -> str | None:
    """The upload's real type, by its first bytes (None: a type the store does not hold)."""
    upload.file.seek(0)
    found = detect_type(upload.file.read(SNIFFED_BYTES))
    upload.file.seek(0)
    return found


def document_error(upload: UploadFile, max_bytes: int) -> str | None:
    """Why a document is refused ("too_large", "document"), judged by size and magic bytes."""
    if (upload.size or 0) > max_bytes:
        return "too_large"
    return None if content_type_of(upload) is not None else "document"
