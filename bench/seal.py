"""CPU time of the electronic seal (shared/seal.py), beside baselines measured in the same run.

- ``seal``: one PAdES seal of a drawn receipt, as the notifier's PDF workers make it (a warm
  ``Sealer``, ``seal_blocking``), B-B, and B-T against the tests' RFC 3161 authority
  (tests/tsa.py) in a process of its own: the B-T figure includes this side of the local HTTP
  round trip, not the authority's work. Baseline: pyHanko's defaults (a dry-run signature made
  to size the room kept for the signature; for B-T, also a new HTTP session per token).
- ``receipt``: a receipt drawn and sealed (B-B), beside the same receipt drawn only, in Arabic
  and in French: what sealing adds to issuing one.

Every receipt differs (tracking number, names, files). CPU is ``time.process_time`` of this
process, per document: both ways in alternating rounds, the least round of each (contention on
a busy machine only adds). The test CA's seal (EC P-256), made in a temporary directory.

    make bench          # or: .venv/bin/python -m bench.seal [--documents 40]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.timestamps import HTTPTimeStamper

from bench.pdf_render import receipts
from shared.catalogue import default_catalogue
from shared.pdf import render_receipt, resolve_font, warm_up
from shared.seal import FIELD_NAME, SealConfig, issue_tsa_certificate
from tests.seals import SealKit, make_seal_kit
from tests.tsa import in_process

ROUNDS = 3


def pyhanko_defaults(config: SealConfig) -> Callable[[bytes], bytes]:
    """The same seal the way pyHanko's documentation first shows it: no room given (it signs
    once in a dry run to size it), a timestamper that opens an HTTP session per token."""
    signer = SimpleSigner.load_pkcs12_data(config.pkcs12, other_certs=(), passphrase=config.passphrase)
    timestamper = HTTPTimeStamper(config.tsa_url) if config.tsa_url else None
    pdf_signer = PdfSigner(PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                                subfilter=SigSeedSubFilter.PADES), signer, timestamper=timestamper)
    loop = asyncio.new_event_loop()

    def seal(pdf: bytes) -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        return loop.run_until_complete(pdf_signer.async_sign_pdf(writer)).getvalue()
    return seal


def cpu_ms_each(work: Callable[[object], object], items: list) -> float:
    started = time.process_time()
    for item in items:
        work(item)
    return (time.process_time() - started) * 1000 / len(items)


def side_by_side(baseline: Callable[[object], object], now: Callable[[object], object], items: list,
                 rounds: int = ROUNDS) -> tuple[float, float]:
    """Both ways over the same items, in alternating rounds after a warm-up (key loaded, sessions
    opened, fonts parsed); the least of each way's rounds, since a busy machine only adds."""
    for item in items[:2]:
        baseline(item)
        now(item)
    measured = [(cpu_ms_each(baseline, items), cpu_ms_each(now, items)) for _ in range(rounds)]
    return min(b for b, _ in measured), min(n for _, n in measured)


def seal_rows(kit: SealKit, tsa_url: str, pdfs: list[bytes]) -> list[tuple[str, float, float]]:
    rows = []
    for label, url in (("B-B", None), ("B-T, local TSA round trip", tsa_url)):
        sealer = kit.sealer(url)
        rows.append((label, *side_by_side(pyhanko_defaults(kit.config(url)), sealer.seal_blocking, pdfs)))
        sealer.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=40, help="receipts of each language")
    args = parser.parse_args()
    font, catalogue = resolve_font(), default_catalogue()
    warm_up(font, catalogue)
    directory = tempfile.TemporaryDirectory(prefix="lamadi-bench-seal-")  # the seal's key: removed at the end
    kit = make_seal_kit(Path(directory.name))
    tsa, tsa_url = in_process(*issue_tsa_certificate(kit.files.authority), chain=kit.trust_roots)
    try:
        sealer = kit.sealer()
        french = receipts(args.documents, "fr")
        print(f"seal {sealer.subject} (EC P-256), {args.documents} different receipts of each language; "
              f"CPU ms per document (process_time, least of {ROUNDS} rounds)")
        print(f"\n{'seal alone':28} {'baseline':>9} {'now':>8} {'ratio':>7}")
        pdfs = [render_receipt(receipt, font, catalogue) for receipt in french]
        for label, baseline, now in seal_rows(kit, tsa_url, pdfs):
            print(f"{label:28} {baseline:9.1f} {now:8.1f} {baseline / now:6.1f}x")
        print("baseline: pyHanko's defaults (a dry-run signature sizes the room; B-T: an HTTP session per token)")

        print(f"\n{'receipt':28} {'unsealed':>9} {'sealed':>8} {'seal':>7}")
        for label, language in (("Arabic", "ar"), ("French", "fr")):
            drawn, sealed = side_by_side(
                lambda receipt: render_receipt(receipt, font, catalogue),
                lambda receipt: sealer.seal_blocking(render_receipt(receipt, font, catalogue)),
                receipts(args.documents, language))
            print(f"{label:28} {drawn:9.1f} {sealed:8.1f} {sealed - drawn:+7.1f}")
        print("unsealed: drawn only; sealed: drawn, then sealed B-B, as the notifier issues it")
    finally:
        tsa.kill()
        directory.cleanup()


if __name__ == "__main__":
    main()
