"""Documents on local disk, stored once by content hash (``<dir>/<sha[:2]>/<sha>``), a blob
store that review reads too. Uploads are checked while they are copied to temporary files;
only when every one of a request's files passes are they moved into place, so an oversized
or mistyped file is refused before anything is kept."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile

from services.intake.domain.catalogue import EXTRA_DOCUMENTS
from services.intake.domain.documents import CheckedDocument, DocumentRejected, detect_type, safe_name

CHUNK = 256 * 1024


@dataclass(frozen=True)
class _Staged:
    tmp: Path
    document: CheckedDocument


class DocumentStore:
    def __init__(self, root: Path, max_bytes: int):
        self.root, self.max_bytes = Path(root), max_bytes

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    async def check_and_store(self, uploads: list[tuple[str, UploadFile]]) -> list[CheckedDocument]:
        """Check every (field, file) pair, then keep them all; one refused file keeps none."""
        staged: list[_Staged] = []
        try:
            for index, (field, upload) in enumerate(uploads, start=1):
                staged.append(await self._stage(field, upload, index))
            return [self._keep(item) for item in staged]
        except BaseException:
            for item in staged:
                item.tmp.unlink(missing_ok=True)
            raise

    async def _stage(self, field: str, upload: UploadFile, index: int) -> _Staged:
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
                            raise DocumentRejected(label, "only PDF, PNG and JPEG files are accepted", field=field)
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise DocumentRejected(label, f"larger than {self.max_bytes // (1024 * 1024)} MB",
                                               too_large=True, field=field)
                    digest.update(chunk)
                    tmp.write(chunk)
            if size == 0 or content_type is None:
                raise DocumentRejected(label, "the file is empty", field=field)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        document = CheckedDocument(name=safe_name(upload.filename, content_type, index), content_type=content_type,
                                   size=size, sha256=digest.hexdigest(),
                                   type=None if field == EXTRA_DOCUMENTS else field)
        return _Staged(Path(tmp_name), document)

    def _keep(self, staged: _Staged) -> CheckedDocument:
        final = self.path_of(staged.document.sha256)
        final.parent.mkdir(exist_ok=True)
        os.replace(staged.tmp, final)  # same content, same name: storing twice is harmless
        return staged.document
