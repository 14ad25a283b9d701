"""The daily report's files, as reporting left them in the shared report-files blob store
(keyed by sha256). Each is checked against its hash at every sending, a resend included, so
the Directorate gets the very bytes the report's email announces."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from services.notifier.domain.emails import Attachment
from shared.blobs import BlobStore


class ReportFileUnavailable(Exception):
    """A file is not (yet) in the store, or its bytes do not match its sha256: retried later."""


def stored_attachments(store: BlobStore, files: Iterable[Mapping[str, Any]]) -> list[Attachment]:
    attachments = []
    for file in files:
        path = store.path_of(file["sha256"])
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            raise ReportFileUnavailable(f"{file['filename']} is not in the report files store ({path})") from None
        if hashlib.sha256(content).hexdigest() != file["sha256"]:
            raise ReportFileUnavailable(f"{file['filename']} in the report files store does not match its sha256")
        media_type = file["content_type"].split(";")[0].strip()  # MIME parameters go on the part, not here
        attachments.append(Attachment(file["filename"], content, media_type))
    return attachments
