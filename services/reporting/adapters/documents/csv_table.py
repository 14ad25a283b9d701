"""The report's per-kind table as CSV: codes, not words, for machines to read."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from services.reporting.domain.daily_report import COLUMNS

PROCESSING = ("decided", "with_deadline", "on_time", "on_time_share", "median_days", "p90_days")
# Later columns are appended, so readers of older CSVs keep their positions.
HEADER = ("date", "kind", *COLUMNS, *(f"processing_{name}" for name in PROCESSING))


def to_csv(report: Mapping[str, Any]) -> str:
    """One line per kind, then a ``total`` line; ``other`` holds events about no filing.
    Shares are 0..1; an empty cell is a figure that has no value (no decision that day)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in [*report["kinds"], report["totals"]]:
        processing = line["processing"]
        writer.writerow((report["date"], line["kind"], *(line[c] for c in COLUMNS),
                         *("" if processing[p] is None else processing[p] for p in PROCESSING)))
    return out.getvalue()
