"""The document store: files kept once by content hash, ``<root>/<sha[:2]>/<sha>``. Intake
writes it, review reads it, as both would an object store; nobody else builds these paths.

Writing is two steps so that a request's files are kept all together or not at all: each
upload is *staged* (copied to a temporary file while hashed and checked), and only when every
one passed are they *kept* (moved into place)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import filetype

# The types the store holds, with the extension a file of each type is named with: a file is
# named by what it is, never by what its sender called it (a PDF sent as ``poly.html``).
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
SNIFFED_BYTES = 262  # what filetype needs to recognise every type above


def detect_type(head: bytes) -> str | None:
    """The real type from the first bytes, whatever name or Content-Type the sender gave; None
    for a type the store does not hold."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in EXTENSIONS else None


def named_by_type(name: str, content_type: str) -> str:
    """``name`` with the extension of its real type in place of the one it came with."""
    stem = name.rsplit(".", 1)[0].strip() if "." in name else name.strip()
    return f"{stem or 'document'}{EXTENSIONS.get(content_type, '')}"


@dataclass(frozen=True)
class StagedBlob:
    tmp: Path
    sha256: str
    size: int
    head: bytes  # the first bytes, for type detection


class BlobStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    async def stage(self, chunks: AsyncIterator[bytes], *, check: Callable[[bytes, int], None]) -> StagedBlob:
        """Copy ``chunks`` to a temporary file. ``check(head, size_so_far)`` runs on every chunk
        and raises to refuse the file; the temporary file is then removed."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, b""
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                async for chunk in chunks:
                    head = head or chunk[:512]
                    size += len(chunk)
                    check(head, size)
                    digest.update(chunk)
                    tmp.write(chunk)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return StagedBlob(Path(tmp_name), digest.hexdigest(), size, head)

    def keep(self, staged: StagedBlob) -> bool:
        """Move a staged file into place; True if the store did not hold this content yet."""
        final = self.path_of(staged.sha256)
        final.parent.mkdir(exist_ok=True)
        new = not final.exists()
        os.replace(staged.tmp, final)  # same content, same name: storing twice is harmless
        return new

    def put(self, content: bytes) -> str:
        """Keep bytes already in memory (a document the service drew); their sha256. Blocking:
        call it in a thread."""
        self.root.mkdir(parents=True, exist_ok=True)
        sha256 = hashlib.sha256(content).hexdigest()
        final = self.path_of(sha256)
        if not final.is_file():
            final.parent.mkdir(exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".put-")
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(content)
            os.replace(tmp_name, final)  # whole or absent: a reader never sees half a file
        return sha256

    def read(self, sha256: str) -> bytes:
        """The bytes kept under ``sha256``, checked against it (FileNotFoundError, ValueError)."""
        content = self.path_of(sha256).read_bytes()
        if hashlib.sha256(content).hexdigest() != sha256:
            raise ValueError(f"the stored {sha256[:12]}… does not match its sha256")
        return content

    def discard(self, staged: StagedBlob) -> None:
        staged.tmp.unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        self.path_of(sha256).unlink(missing_ok=True)
