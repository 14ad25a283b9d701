"""The report's figures as tables, in the Directorate's language: what the XLSX (one sheet
per table) and the PDF both show. Values stay numbers (shares as 0..1), so a spreadsheet
read back gives the JSON figures exactly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.reporting.domain.words import kind_label, word
from shared.catalogue import Catalogue
from shared.vocabulary import Family, name

Value = str | int | float | None


@dataclass(frozen=True)
class Table:
    name: str  # stable code (sheet order, tests)
    title: str  # the sheet's and the section's title
    headings: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    shares: tuple[int, ...] = ()  # columns holding a share (shown as a percentage)


def report_tables(figures: Mapping[str, Any], language: str, catalogue: Catalogue) -> list[Table]:
    def w(name: str) -> str:
        return word(name, language)

    lines = [*figures["kinds"], figures["totals"]]
    label = [kind_label(catalogue, line["kind"], language) for line in lines]
    kinds = Table("kinds", w("kinds"), tuple(w(c) for c in (
        "kind", "received", "decided", "withdrawn", "pending", "overdue", "opinions_published")),
        tuple((label[i], line["received"], line["decided"], line["withdrawn"], line["pending"], line["overdue"],
               line["opinions_published"]) for i, line in enumerate(lines)))
    processing = Table("processing", w("processing"), tuple(w(c) for c in (
        "kind", "decided_with_time", "on_time_share", "median_days", "p90_days")),
        tuple((label[i], line["processing"]["decided"], line["processing"]["on_time_share"],
               line["processing"]["median_days"], line["processing"]["p90_days"]) for i, line in enumerate(lines)),
        shares=(2,))
    outcomes = Table("outcomes", w("outcomes"), (w("kind"), w("outcome"), w("count")), tuple(
        (label[i], name(Family.OUTCOMES, outcome, language), count)
        for i, line in enumerate(figures["kinds"]) for outcome, count in line["decided_by_outcome"].items()))
    totals, invoices = figures["totals"], figures["invoices"]
    activity = Table("activity", w("activity"), (w("measure"), w("count")), (
        (w("opinions_published"), totals["opinions_published"]),
        *((name(Family.FINANCE_STEPS, step, language), invoices[step]) for step in ("verified", "approved_for_payment")),
        (name(Family.OUTCOMES, "paid", language), invoices["paid"]),
        (w("emails_sent"), totals["emails_sent"]),
        (w("emails_failed"), totals["emails_failed"]),
        (w("deadlines_approaching"), totals["deadlines_approaching"]),
        (w("deadlines_breached"), totals["deadlines_breached"]),
    ))
    trend = Table("trend", w("trend"), (w("date"), w("received"), w("decided")),
                  tuple((point["date"], point["received"], point["decided"]) for point in figures["trend"]))
    corrections = Table("corrections", w("corrections"), tuple(w(c) for c in (
        "date", "kind", "received", "decided", "withdrawn", "opinions_published", "emails_sent", "emails_failed")),
        tuple((c["date"], kind_label(catalogue, c["kind"], language), c["received"], c["decided"], c["withdrawn"],
               c["opinions_published"], c["emails_sent"], c["emails_failed"]) for c in figures["corrections"]))
    return [kinds, processing, outcomes, activity, trend, corrections]
