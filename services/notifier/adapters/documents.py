"""The PDF documents an email carries. A delivery's context names its attachments
(``{"document": ..., "content": {...}}``); the same content always gives the same bytes, so a
resent email carries the same PDF.

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
from pathlib import Path
from typing import Any

import structlog

from services.notifier.domain.emails import Attachment
from shared.catalogue import Catalogue
from shared.pdf import InformationNote, Receipt, render_information_note, render_receipt, warm_up
from shared.pdf.typefaces import Recent

log = structlog.get_logger()
RECEIPT = "receipt"
INFORMATION_NOTE = "information_note"
KEPT = 512  # documents kept drawn (a receipt is 20-40 kB): a retry wave after an SMTP outage


def attachment_spec(document: Receipt | InformationNote) -> dict[str, Any]:
    """What a delivery's context keeps to render the document again."""
    name = RECEIPT if isinstance(document, Receipt) else INFORMATION_NOTE
    return {"document": name, "content": document.model_dump(mode="json")}


def draw(spec: dict[str, Any], font: Path, catalogue: Catalogue) -> Attachment:
    if spec["document"] == RECEIPT:
        receipt = Receipt.model_validate(spec["content"])
        return Attachment(receipt.filename, render_receipt(receipt, font, catalogue))
    if spec["document"] == INFORMATION_NOTE:
        note = InformationNote.model_validate(spec["content"])
        return Attachment(note.filename, render_information_note(note, font))
    raise ValueError(f"unknown attached document {spec['document']!r}")


def render_attachments(specs: Iterable[dict[str, Any]], font: Path, catalogue: Catalogue) -> list[Attachment]:
    return [draw(spec, font, catalogue) for spec in specs]


class Documents:
    """Draws attachments off the event loop and keeps the recent ones by content hash."""

    def __init__(self, font: Path, catalogue: Catalogue, *, workers: int):
        self.font, self.catalogue, self.workers = font, catalogue, workers
        self._pool: ProcessPoolExecutor | None = None
        self._kept = Recent(KEPT)
        self.drawn = 0  # documents drawn, not found kept (the tests count them)

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
        pool = self.start()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, _draw_in_worker, spec)
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
                                             initializer=_warm_worker, initargs=(self.font, self.catalogue))
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


_worker: dict[str, Any] = {}  # in a drawing process: its font and catalogue


def _warm_worker(font: Path, catalogue: Catalogue) -> None:
    # A service killed outright (SIGKILL, out of memory) leaves its workers waiting on a queue
    # nobody will write to: each watches its parent and leaves with it.
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True, name="exit-with-parent").start()
    warm_up(font, catalogue)
    _worker.update(font=font, catalogue=catalogue)


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _draw_in_worker(spec: dict[str, Any]) -> Attachment:
    return draw(spec, _worker["font"], _worker["catalogue"])
