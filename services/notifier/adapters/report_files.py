"""Kept files attached to an email: the daily report's, as reporting left them in the shared
report-files blob store, and the documents the notifier issued, from its own store (both keyed by
sha256). Each is checked against its hash at every sending, a resend included, so the recipient
gets the very bytes the email announces."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.notifier.domain.emails import Attachment
from shared.blobs import BlobStore


class ReportFileUnavailable(Exception):
    """A file is not (yet) in its store, or its bytes do not match its sha256: retried later."""


def stored_attachments(store: BlobStore, files: Iterable[Mapping[str, Any]]) -> list[Attachment]:
    attachments = []
    for file in files:
        try:
            content = store.read(file["sha256"])  # checked against its sha256
        except FileNotFoundError:
            raise ReportFileUnavailable(f"{file['filename']} is not in the store ({store.path_of(file['sha256'])})") from None
        except ValueError:
            raise ReportFileUnavailable(f"{file['filename']} in the store does not match its sha256") from None
        media_type = file["content_type"].split(";")[0].strip()  # MIME parameters go on the part, not here
        attachments.append(Attachment(file["filename"], content, media_type))
    return attachments
