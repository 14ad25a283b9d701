"""Notifier CPU per email on its real send path, beside baselines measured in the same run.

Each email goes through the handler the notifier's consumer calls (``send_receipt``,
``send_decision``, ``send_withdrawal``) in a real unit of work on its own PostgreSQL database,
four at a time as the consumer's prefetch has them: recipient upsert, delivery ledger, Jinja,
the PDF, the MIME message, SMTP to an aiosmtpd sink (in a child process, which counts the
connections it was opened), marked sent and announced. Logs go as JSON at INFO to /dev/null.
Not included: the broker and the consumer's own work (shared/messaging).

CPU is ``time.process_time`` of this process plus the user and system time of the PDF worker
processes (from /proc), per email. Rows:

- ``withdrawal, no PDF``: the same path without a document, the floor of everything but drawing;
- each document as the notifier sends it now (PDFs in LAMADI_PDF_WORKERS processes, SMTP
  connections kept);
- ``drawing``: the same PDFs drawn again, one after another in this process (warm): the part of
  ``now`` that is fpdf2's; ``rest`` is the remainder (it also holds what drawing costs more when
  it is interleaved with the other work than in a tight loop);
- ``old ways``: the same with PDFs drawn in a thread of the event loop's process and one SMTP
  connection per message (LAMADI_PDF_WORKERS=0, LAMADI_SMTP_CONNECTIONS=0).

    make bench          # or: .venv/bin/python -m bench.receipt_email [--emails 40]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from bench.pdf_render import FILES, NAMES
from services.notifier import handlers
from services.notifier.adapters.documents import draw
from services.notifier.bootstrap import MIGRATIONS, SERVICE, build_deps
from services.notifier.deps import NotifierDeps
from services.notifier.settings import NotifierSettings
from shared.db import create_pool
from shared.envelope import Envelope
from shared.events import Applicant, Contact, DocumentRef, ReviewDecided, SubmissionReceived, SubmissionWithdrawn
from shared.logging import configure_logging
from shared.migrations import migrate
from shared.unit_of_work import UnitOfWork
from tests.support import create_database, drop_database, free_port

QUEUE = "lamadi.notifier.applicant-emails"
IN_FLIGHT = 4  # the consumer's prefetch
TICK = os.sysconf("SC_CLK_TCK")


# --- the SMTP sink, in its own process -----------------------------------------------------

class _Counting:
    def __init__(self, counts):
        self.counts = counts

    async def handle_DATA(self, server, session, envelope) -> str:
        self.counts[1] += 1
        return "250 OK"


def _sink(port: int, counts, ready) -> None:
    handler = _Counting(counts)

    class CountingController(Controller):
        def factory(self):
            smtp = SMTP(self.handler, **self.SMTP_kwargs)
            made = smtp.connection_made

            def connection_made(transport):
                counts[0] += 1
                made(transport)
            smtp.connection_made = connection_made
            return smtp

    CountingController(handler, hostname="127.0.0.1", port=port).start()
    ready.set()
    while True:
        time.sleep(3600)


# --- the emails --------------------------------------------------------------------------

def _documents(n: int) -> list[DocumentRef]:
    return [DocumentRef(name=f"{n}-{FILES[(n + i) % len(FILES)]}", type="architectural_plans",
                        sha256=f"{n * 7 + i:064x}", size=1000 * n + 17 * i, content_type="application/pdf")
            for i in range(1 + n % 4)]


def receipt(n: int, language: str) -> Envelope:
    tracking = f"UA-2025-{language}{n:06d}"
    data = SubmissionReceived(
        tracking_number=tracking, kind="building_permit",
        received_at=datetime(2025, 6, 2, 8, 0, tzinfo=UTC) + timedelta(days=n % 20, minutes=37 * n),
        applicant=Applicant(full_name=NAMES[n % len(NAMES)], email=f"{tracking.lower()}@example.ma", language=language),
        details={"commune": "Khénifra", "project_size": "large" if n % 2 else "small"}, documents=_documents(n))
    return Envelope.new(data, source="intake", subject=tracking, correlation_id=f"bench-{tracking}")


def note_decision(n: int) -> Envelope:
    tracking = f"UA-2025-N{n:06d}"
    data = ReviewDecided(
        task_id=uuid4(), tracking_number=tracking, kind="information_note", version=3, status="decided",
        outcome="note_issued", text="تسلم المذكرة.",
        contact=Contact(full_name=NAMES[n % len(NAMES)], email=f"n{n}@example.ma", language="ar"),
        parcel={"land_title": f"TF {12000 + n}/K", "commune": "Khénifra", "address": f"حي الأمل، زنقة {n}"},
        note={"zoning": "R+2" if n % 2 else "منطقة سكنية مسترسلة", "allowed_height_m": 8 + n % 7,
              "setbacks": f"{n % 5 + 3} m sur rue", "servitudes": "ارتفاق عدم البناء على طول قناة الري",
              "remarks": f"يخضع العقار لتصميم التهيئة المصادق عليه في {n % 28 + 1:02d}/03/2026"})
    return Envelope.new(data, source="review", subject=tracking, correlation_id=f"bench-{tracking}")


def withdrawal(n: int) -> Envelope:
    tracking = f"UA-2025-W{n:06d}"
    data = SubmissionWithdrawn(tracking_number=tracking, kind="building_permit", reason="Projet abandonné.",
                               contact=Contact(full_name=NAMES[n % len(NAMES)], email=f"w{n}@example.ma",
                                               language="fr"))
    return Envelope.new(data, source="intake", subject=tracking, correlation_id=f"bench-{tracking}")


CASES: list[tuple[str, Callable, Callable[[int], Envelope]]] = [
    ("withdrawal, no PDF", handlers.send_withdrawal, withdrawal),
    ("receipt (French)", handlers.send_receipt, lambda n: receipt(n, "fr")),
    ("receipt (Arabic)", handlers.send_receipt, lambda n: receipt(n, "ar")),
    ("information note", handlers.send_decision, note_decision),
]


# --- measuring ---------------------------------------------------------------------------

def cpu_seconds(deps: NotifierDeps) -> float:
    total = time.process_time()
    for pid in deps.documents.worker_pids():
        with contextlib.suppress(OSError):
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return total


async def handle(deps: NotifierDeps, handler: Callable, envelope: Envelope) -> None:
    async with UnitOfWork.for_event(deps.pool, envelope, source=SERVICE, consumer=QUEUE) as uow:
        await handler(envelope, uow, deps)


async def cpu_ms_each(deps: NotifierDeps, handler: Callable, envelopes: list[Envelope]) -> float:
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one(envelope: Envelope) -> None:
        async with slots:
            await handle(deps, handler, envelope)

    started = cpu_seconds(deps)
    await asyncio.gather(*(one(envelope) for envelope in envelopes))
    return (cpu_seconds(deps) - started) * 1000 / len(envelopes)


async def drawing_ms_each(deps: NotifierDeps, envelopes: list[Envelope]) -> float:
    """The same emails' PDFs drawn again in this process, warm: what drawing alone costs."""
    rows = await deps.pool.fetch("SELECT context FROM deliveries WHERE event_id = ANY($1::uuid[])",
                                 [envelope.id for envelope in envelopes])
    specs = [spec for row in rows for spec in row["context"].get("attachments", [])]
    if not specs:
        return 0.0
    draw(specs[0], deps.settings.pdf_font, deps.catalogue)
    started = time.process_time()
    for spec in specs:
        draw(spec, deps.settings.pdf_font, deps.catalogue)
    return (time.process_time() - started) * 1000 / len(envelopes)


async def run(count: int, counts) -> list[tuple[str, str, float, int]]:
    database, port = await create_database(), free_port()
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Event()
    sink = spawn.Process(target=_sink, args=(port, counts, ready), daemon=True)
    sink.start()
    ready.wait(10)
    dsn = f"postgresql://postgres@127.0.0.1:5432/{database}"
    base = dict(database_url=dsn, smtp_port=port, database_pool_max=IN_FLIGHT * 2 + 2, log_level="INFO")
    now = build_deps(NotifierSettings(**base))
    old = build_deps(NotifierSettings(**base, pdf_workers=0, smtp_connections=0))
    results = []
    try:
        await migrate(dsn, SERVICE, MIGRATIONS)
        pool = await create_pool(dsn, SERVICE, max_size=IN_FLIGHT * 2 + 2)
        for deps in (now, old):
            deps.attach_pool(pool)
            await deps.documents.warm()
        batch = 0
        for name, handler, make in CASES:
            for label, deps in (("now", now), ("old ways", old)):
                batch += 1
                events = [make(batch * 10_000 + n) for n in range(count + 2)]
                for envelope in events[:2]:  # warm: templates compiled, connections opened
                    await handle(deps, handler, envelope)
                connections = counts[0]
                ms = await cpu_ms_each(deps, handler, events[2:])
                results.append((name, label, ms, counts[0] - connections))
                if deps is now:
                    results.append((name, "drawing", await drawing_ms_each(deps, events[2:]), 0))
        await pool.close()
    finally:
        for deps in (now, old):
            deps.documents.close()
            await deps.mailer.close()
        sink.kill()
        await drop_database(database)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=40, help="of each sort, for each way")
    args = parser.parse_args()
    stdout = sys.stdout
    with open(os.devnull, "w") as devnull:
        sys.stdout = devnull  # the service's JSON log lines, written as in production, then dropped
        configure_logging(SERVICE, json=True, level="INFO")
        sys.stdout = stdout
        counts = multiprocessing.get_context("spawn").Array("i", 2)
        results = asyncio.run(run(args.emails, counts))
    print(f"{args.emails} emails of each sort, {IN_FLIGHT} in flight; notifier CPU ms per email "
          f"(this process + PDF workers); SMTP connections opened")
    print("drawing: the same PDFs drawn again, alone, in this process; rest: now minus drawing")
    print(f"{'email':22} {'now':>8} {'drawing':>8} {'rest':>6} {'conns':>6} {'old ways':>9} {'conns':>6} "
          f"{'ratio':>6}")
    rows = {(name, label): (ms, conns) for name, label, ms, conns in results}
    for name, _, _ in CASES:
        (now, now_conns), (old, old_conns) = rows[name, "now"], rows[name, "old ways"]
        drawing = rows[name, "drawing"][0]
        print(f"{name:22} {now:8.1f} {drawing:8.1f} {now - drawing:6.1f} {now_conns:6d} {old:9.1f} {old_conns:6d} "
              f"{old / now:5.1f}x")


if __name__ == "__main__":
    main()
