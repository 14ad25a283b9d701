"""Request bodies with documents: JSON, or multipart with a JSON part and one file part per
document (named by its type code, or ``documents`` for extras).

Order: the JSON, then the document fields and presence, then every file is checked (type by
magic bytes, size) while it is staged, and only when all passed are they kept in the blob
store. The route's dependency removes the files a refused request newly kept, so a refused
filing keeps nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import UploadFile

from services.intake.domain.catalogue import EXTRA_DOCUMENTS, check_fields
from services.intake.domain.documents import (
    CheckedDocument,
    DocumentRejected,
    DocumentTooLarge,
    safe_name,
)
from services.intake.settings import IntakeSettings
from shared.blobs import BlobStore, StagedBlob, detect_type
from shared.edge import check_json, checked_json_body
from shared.errors import DomainError, InvalidInput
from shared.problems import Problem, field_errors
from shared.text import clean_file_name, visible

CHUNK = 256 * 1024
Parts = list[tuple[str, UploadFile | str]]
# Checks the parsed JSON against the file parts' names before any file is read.
PartsCheck = Callable[[Any, list[str]], None]


@dataclass
class ParsedBody:
    value: Any
    documents: list[CheckedDocument] = field(default_factory=list)
    new_blobs: list[str] = field(default_factory=list)  # kept by this request: removed if it is refused


def parse_json(model: TypeAdapter | type[BaseModel], raw: str | bytes, checked: object = None) -> Any:
    """The shared edge rule (shared/edge.py) on a JSON document the middleware did not see (a
    multipart part), then the model. ``checked``: the document as the middleware parsed and
    checked it already (a JSON body)."""
    parsed = check_json(raw) if checked is None else checked
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(parsed)
        return model.model_validate(parsed)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"], *(("kind",) if e["type"].startswith("union_tag") else ()))}
                  for e in exc.errors()]
        raise Problem(422, "Invalid request", "Some fields are missing or wrong.", errors=field_errors(errors)) from None


async def read_body(request: Request, settings: IntakeSettings, blobs: BlobStore, model: TypeAdapter | type[BaseModel],
                    json_part: str, check: PartsCheck) -> ParsedBody:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        parsed = parse_json(model, await request.body(), checked_json_body(request.scope))
        check(parsed, [])
        return ParsedBody(parsed)
    if content_type == "multipart/form-data":
        form = await request.form(max_files=settings.max_documents, max_fields=20)
        raw = form.get(json_part)
        if not isinstance(raw, str):
            raise InvalidInput(json_part, f"The multipart body needs a '{json_part}' part holding JSON.",
                               code="missing")
        parsed = parse_json(model, raw)
        parts: Parts = [(name, value) for name, value in form.multi_items() if name != json_part]
        _only_files(parts)
        check(parsed, [name for name, _ in parts])
        body = ParsedBody(parsed)
        await store_uploads(blobs, [(n, v) for n, v in parts if isinstance(v, UploadFile)], settings.max_document_bytes, body)
        return body
    raise Problem(415, "Unsupported media type", "Send application/json or multipart/form-data.")


async def read_files(request: Request, settings: IntakeSettings, blobs: BlobStore, accepted: list[str]) -> ParsedBody:
    """A multipart body of documents only, each under an accepted type code."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        raise Problem(415, "Unsupported media type", "Send multipart/form-data, one part per document.")
    form = await request.form(max_files=settings.max_documents, max_fields=settings.max_documents)
    parts: Parts = list(form.multi_items())
    _only_files(parts)
    check_fields([name for name, _ in parts], accepted)
    body = ParsedBody(None)
    await store_uploads(blobs, [(n, v) for n, v in parts if isinstance(v, UploadFile)], settings.max_document_bytes, body)
    return body


def _only_files(parts: Parts) -> None:
    texts = sorted({name for name, value in parts if not isinstance(value, UploadFile)})
    if texts:
        raise DomainError("Document parts must be files.", title="Invalid request",
                          errors=[{"field": name, "message": "not a file", "code": "not_a_file"} for name in texts])


async def store_uploads(blobs: BlobStore, uploads: list[tuple[str, UploadFile]], max_bytes: int, body: ParsedBody) -> None:
    """Check every (field, file) pair while staging it, then keep them all; one refused file keeps none."""
    staged: list[tuple[StagedBlob, CheckedDocument]] = []
    try:
        for index, (name, upload) in enumerate(uploads, start=1):
            staged.append(await _stage(blobs, name, upload, index, max_bytes))
    except BaseException:
        for blob, _ in staged:
            blobs.discard(blob)
        raise
    for blob, document in staged:
        if blobs.keep(blob):
            body.new_blobs.append(blob.sha256)
        body.documents.append(document)


async def _stage(blobs: BlobStore, name: str, upload: UploadFile, index: int,
                 max_bytes: int) -> tuple[StagedBlob, CheckedDocument]:
    label = upload.filename or f"document {index}"
    if upload.filename and not visible(clean_file_name(upload.filename)):
        raise InvalidInput(name, "the file name holds no visible character", code="invisible")

    def check(head: bytes, size: int) -> None:
        if detect_type(head) is None:
            raise DocumentRejected(label, "only PDF, PNG and JPEG files are accepted", field=name)
        if size > max_bytes:
            raise DocumentTooLarge(label, f"larger than {max_bytes // (1024 * 1024)} MB", field=name)

    async def chunks() -> AsyncIterator[bytes]:
        while chunk := await upload.read(CHUNK):
            yield chunk

    blob = await blobs.stage(chunks(), check=check)
    content_type = detect_type(blob.head)
    if blob.size == 0 or content_type is None:
        blobs.discard(blob)
        raise DocumentRejected(label, "the file is empty", field=name)
    document = CheckedDocument(name=safe_name(upload.filename, content_type, index), content_type=content_type,
                               size=blob.size, sha256=blob.sha256, type=None if name == EXTRA_DOCUMENTS else name)
    return blob, document
