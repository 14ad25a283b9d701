"""A day's report before it is built: its figures so far, counted from every entry recorded,
drawn on request and kept nowhere. Only as JSON or CSV: the PDF and the XLSX exist once the
day is built, as the Directorate receives them."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.reporting.domain.errors import ReportNotBuilt

PROVISIONAL_FORMATS = ("json", "csv")


def ensure_provisional_format(day: date, format_: str) -> None:
    if format_ not in PROVISIONAL_FORMATS:
        raise ReportNotBuilt(f"No report was built for {day}: only JSON and CSV exist before it is built.")


def provisional_filename(day: date, format_: str) -> str:
    return f"lamadi-provisional-{day.isoformat()}.{format_}"


def provisional(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures so far, marked as such (``provisional: true`` in the JSON)."""
    return {**figures, "provisional": True}
