"""Answers held between the filing form and "check your answers": the values and the
documents already accepted, in a directory per pending filing (random id, known only to the
browser's sealed cookie), purged after ``ttl`` seconds. Files are copied in chunks, never
read whole into memory. Several portal instances share it as they would an object store."""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

import anyio

from services.portal.adapters.intake import Upload


@dataclass
class Pending:
    id: str
    kind: str
    values: dict[str, str] = field(default_factory=dict)
    # type code → {"name", "size", "content_type"} of a document held here
    documents: dict[str, dict] = field(default_factory=dict)
    # a draft being resumed: {"id", "token", "documents": {code: name}} (documents held by intake)
    draft: dict | None = None
    created_at: float = field(default_factory=time.time)

    def attached(self) -> dict[str, str]:
        """Every document already given, by type code: its file name."""
        held = (self.draft or {}).get("documents", {})
        return {**held, **{code: d["name"] for code, d in self.documents.items()}}


class PendingStore:
    def __init__(self, directory: Path, ttl: int):
        self.directory, self.ttl = Path(directory), ttl

    def _dir(self, pending_id: str) -> Path:
        return self.directory / pending_id

    def create(self, kind: str) -> Pending:
        self.purge_expired()
        pending = Pending(id=secrets.token_urlsafe(24), kind=kind)
        self._dir(pending.id).mkdir(parents=True)
        self.save(pending)
        return pending

    def load(self, pending_id: object) -> Pending | None:
        if not isinstance(pending_id, str) or not pending_id.replace("-", "").replace("_", "").isalnum():
            return None
        meta = self._dir(pending_id) / "pending.json"
        if not meta.exists():
            return None
        pending = Pending(**json.loads(meta.read_text()))
        if time.time() - pending.created_at > self.ttl:
            self.delete(pending)
            return None
        return pending

    def save(self, pending: Pending) -> None:
        (self._dir(pending.id) / "pending.json").write_text(json.dumps(asdict(pending)))

    async def keep_document(self, pending: Pending, code: str, name: str, file: IO[bytes], content_type: str) -> None:
        def copy() -> int:
            file.seek(0)
            with (self._dir(pending.id) / code).open("wb") as out:
                shutil.copyfileobj(file, out, 256 * 1024)
                return out.tell()

        size = await anyio.to_thread.run_sync(copy)
        pending.documents[code] = {"name": name, "size": size, "content_type": content_type}
        self.save(pending)

    def open_documents(self, pending: Pending) -> list[Upload]:
        """The held documents as open files, for the caller to send and close."""
        return [Upload(code, d["name"], (self._dir(pending.id) / code).open("rb"), d["content_type"])
                for code, d in pending.documents.items()]

    def delete(self, pending: Pending) -> None:
        shutil.rmtree(self._dir(pending.id), ignore_errors=True)

    def purge_expired(self) -> int:
        if not self.directory.exists():
            return 0
        cutoff, purged = time.time() - self.ttl, 0
        for entry in self.directory.iterdir():
            if entry.is_dir() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
                purged += 1
        return purged
