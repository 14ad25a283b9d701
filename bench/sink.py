"""The pipeline benchmark's SMTP sink, a process of its own: it keeps no message, only a line
per email with its arrival time (CLOCK_MONOTONIC, the same clock in every process of the
machine, so the bench compares it with the time it sent the filing), its template and its
recipients.

    python -m bench.sink --port 2525 --out arrivals.tsv
"""

from __future__ import annotations

import argparse
import time
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import TextIO

from aiosmtpd.controller import Controller

from lamadi_cli.mailcatcher import wait_for_stop_signal


class Stamp:
    """aiosmtpd handler: one line per message, written as it arrives."""

    def __init__(self, out: TextIO):
        self.out, self.parser = out, BytesHeaderParser(policy=compat32)

    async def handle_DATA(self, server, session, envelope) -> str:
        arrived = time.monotonic()
        headers = self.parser.parsebytes(envelope.original_content or envelope.content or b"")
        template, size = headers.get("X-Lamadi-Template", ""), len(envelope.original_content or b"")
        self.out.write(f"{arrived:.6f}\t{template}\t{','.join(envelope.rcpt_tos)}\t{size}\n")
        self.out.flush()
        return "250 OK"


Line = tuple[float, str, list[str], int]


def parse_line(line: str) -> Line | None:
    """(arrival, template, recipients, bytes) of one complete line, None for a partial or bad one."""
    parts = line.rstrip("\n").split("\t")
    if not line.endswith("\n") or len(parts) != 4:
        return None
    try:
        return float(parts[0]), parts[1], parts[2].split(","), int(parts[3])
    except ValueError:
        return None


class Arrivals:
    """Reads the sink's file as it grows (from the bench's process)."""

    def __init__(self, path):
        self.path, self.offset, self.partial = path, 0, ""
        self.lines: list[Line] = []

    def poll(self) -> list[Line]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
                self.offset = handle.tell()
        except FileNotFoundError:
            return []
        text, self.partial = self.partial + chunk, ""
        new = []
        for line in text.splitlines(keepends=True):
            parsed = parse_line(line)
            if parsed is None and not line.endswith("\n"):
                self.partial = line  # the sink is mid-write
            elif parsed is not None:
                new.append(parsed)
        self.lines.extend(new)
        return new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.out, "a", encoding="utf-8") as out:
        controller = Controller(Stamp(out), hostname="127.0.0.1", port=args.port)
        controller.start()
        wait_for_stop_signal()
        controller.stop()


if __name__ == "__main__":
    main()
