"""Documents on local disk, stored once by content hash. Uploads are checked while they are
copied, so an oversized or mistyped file is refused before anything is kept."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile

from services.intake.domain.documents import CheckedDocument, DocumentRejected, detect_type, safe_name

CHUNK = 256 * 1024


class DocumentStore:
    def __init__(self, root: Path, max_bytes: int):
        self.root, self.max_bytes = Path(root), max_bytes

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    async def check_and_store(self, upload: UploadFile, index: int) -> CheckedDocument:
        label = upload.filename or f"document {index}"
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size, content_type = hashlib.sha256(), 0, None
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                while chunk := await upload.read(CHUNK):
                    if content_type is None:
                        content_type = detect_type(chunk[:512])
                        if content_type is None:
                            raise DocumentRejected(label, "only PDF, PNG and JPEG files are accepted")
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise DocumentRejected(label, f"larger than {self.max_bytes // (1024 * 1024)} MB", too_large=True)
                    digest.update(chunk)
                    tmp.write(chunk)
            if size == 0:
                raise DocumentRejected(label, "the file is empty")
            sha256 = digest.hexdigest()
            final = self.path_of(sha256)
            final.parent.mkdir(exist_ok=True)
            os.replace(tmp_name, final)  # same content, same name: storing twice is harmless
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return CheckedDocument(name=safe_name(upload.filename, content_type, index), content_type=content_type,
                               size=size, sha256=sha256)
