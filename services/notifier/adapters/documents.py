"""The PDF documents the notifier issues: drawn from their content (``{"document": ...,
"content": {...}}``), sealed with the agency's seal (shared/seal.py) when one is configured, then
kept in the issued-documents store and registered (handlers/documents.py); an email attaches the
kept bytes, so a resend sends the very file that was issued.

Deliveries recorded before documents were issued name their attachments by content instead;
those are drawn again (unsealed) on a resend, as they always were.

Drawing is CPU-bound Python holding the GIL: done in the event loop's process it stalls every
other message. ``Documents`` draws in a small pool of worker processes (LAMADI_PDF_WORKERS;
0 draws in a thread of this process), each with the fonts parsed and the static texts shaped
once by its initializer. A document drawn is kept by the hash of its content for a while: a
retry after an SMTP failure, or an operator's resend, sends those bytes without drawing again."""

from __future__ import annotations

import asyncio
import hashlib
import json
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from services.notifier.domain.documents import DocumentName
from services.notifier.domain.emails import Attachment
from shared.catalogue import Catalogue
from shared.pdf import (
    DecisionLetter,
    InformationNote,
    Receipt,
    render_decision_letter,
    render_information_note,
    render_receipt,
    warm_up,
)
from shared.pdf.typefaces import Recent
from shared.seal import SealConfig, Sealer

log = structlog.get_logger()
RECEIPT, INFORMATION_NOTE, DECISION_LETTER = DocumentName.RECEIPT, DocumentName.INFORMATION_NOTE, DocumentName.DECISION_LETTER
NAMES = {Receipt: RECEIPT, InformationNote: INFORMATION_NOTE, DecisionLetter: DECISION_LETTER}
KEPT = 512  # documents kept drawn (a receipt is 20-40 kB): a retry wave after an SMTP outage


@dataclass(frozen=True)
class IssuedPdf:
    filename: str
    content: bytes
    signer: str | None  # the seal's subject; None: no seal configured
    sealed_at: datetime | None
    timestamped: bool  # B-T: an RFC 3161 timestamp in the seal


def document_spec(document: Receipt | InformationNote | DecisionLetter) -> dict[str, Any]:
    """The document's content, as the drawing process takes it."""
    name = NAMES[type(document)]
    return {"document": name, "content": document.model_dump(mode="json")}


def draw(spec: dict[str, Any], font: Path, catalogue: Catalogue) -> Attachment:
    if spec["document"] == RECEIPT:
        receipt = Receipt.model_validate(spec["content"])
        return Attachment(receipt.filename, render_receipt(receipt, font, catalogue))
    if spec["document"] == INFORMATION_NOTE:
        note = InformationNote.model_validate(spec["content"])
        return Attachment(note.filename, render_information_note(note, font))
    if spec["document"] == DECISION_LETTER:
        letter = DecisionLetter.model_validate(spec["content"])
        return Attachment(letter.filename, render_decision_letter(letter, font, catalogue))
    raise ValueError(f"unknown attached document {spec['document']!r}")


def issue_pdf(spec: dict[str, Any], font: Path, catalogue: Catalogue, sealer: Sealer | None) -> IssuedPdf:
    """Draw the document, then seal it: both here, in the drawing process (or thread)."""
    drawn = draw(spec, font, catalogue)
    if sealer is None:
        return IssuedPdf(drawn.filename, drawn.content, None, None, False)
    sealed_at = datetime.now(UTC)  # the seal's signing time is taken as it starts
    return IssuedPdf(drawn.filename, sealer.seal_blocking(drawn.content), sealer.subject, sealed_at,
                     sealer.timestamped)


class Documents:
    """Draws attachments off the event loop and keeps the recent ones by content hash."""

    def __init__(self, font: Path, catalogue: Catalogue, *, workers: int, seal: SealConfig | None = None):
        self.font, self.catalogue, self.workers, self.seal = font, catalogue, workers, seal
        self._pool: ProcessPoolExecutor | None = None
        self._kept = Recent(KEPT)
        self._sealer: Sealer | None = None  # this process's, for drawing in a thread (workers=0)
        self.drawn = 0  # documents drawn, not found kept (the tests count them)

    async def issue(self, spec: dict[str, Any]) -> IssuedPdf:
        """Draw and seal a new document, off the event loop."""
        self.drawn += 1
        if self.workers == 0:
            if self._sealer is None and self.seal is not None:
                self._sealer = Sealer(self.seal)
            return await asyncio.to_thread(issue_pdf, spec, self.font, self.catalogue, self._sealer)
        return await self._in_pool(_issue_in_worker, spec)

    async def render(self, specs: Iterable[dict[str, Any]]) -> list[Attachment]:
        attachments = []
        for spec in specs:
            key = _content_hash(spec)
            attachment = self._kept.get(key)
            if attachment is None:
                attachment = self._kept.remember(key, await self._draw(spec))
                self.drawn += 1
            attachments.append(attachment)
        return attachments

    async def _draw(self, spec: dict[str, Any]) -> Attachment:
        if self.workers == 0:
            return await asyncio.to_thread(draw, spec, self.font, self.catalogue)
        return await self._in_pool(_draw_in_worker, spec)

    async def _in_pool(self, work, spec: dict[str, Any]):
        pool = self.start()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, work, spec)
        except BrokenProcessPool:
            log.error("pdf_worker_died")  # killed (out of memory?): a new pool for the retry
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise

    def start(self) -> ProcessPoolExecutor:
        """The worker pool, started on first use (or at start-up by ``warm``)."""
        if self._pool is None:
            # spawn, not fork: the service's process has threads (thread pool, broker) to not copy.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_warm_worker, initargs=(self.font, self.catalogue, self.seal))
        return self._pool

    async def warm(self) -> None:
        """Start every worker now, fonts parsed, so the first emails do not wait for them."""
        if self.workers:
            pool = self.start()
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(pool, os.getpid) for _ in range(self.workers)))

    def worker_pids(self) -> list[int]:
        """The drawing processes (their CPU is the notifier's: bench/receipt_email.py adds it)."""
        return list(self._pool._processes) if self._pool is not None else []  # noqa: SLF001

    def close(self) -> None:
        """Stop the workers; a document still asked for after (a late resend) is drawn in a thread."""
        self.workers = 0
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _content_hash(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


_worker: dict[str, Any] = {}  # in a drawing process: its font, catalogue and sealer


def _warm_worker(font: Path, catalogue: Catalogue, seal: SealConfig | None) -> None:
    # A service killed outright (SIGKILL, out of memory) leaves its workers waiting on a queue
    # nobody will write to: each watches its parent and leaves with it.
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True, name="exit-with-parent").start()
    warm_up(font, catalogue)
    _worker.update(font=font, catalogue=catalogue, sealer=Sealer(seal) if seal is not None else None)


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _draw_in_worker(spec: dict[str, Any]) -> Attachment:
    return draw(spec, _worker["font"], _worker["catalogue"])


def _issue_in_worker(spec: dict[str, Any]) -> IssuedPdf:
    return issue_pdf(spec, _worker["font"], _worker["catalogue"], _worker["sealer"])
