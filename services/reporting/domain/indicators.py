"""Public indicators: per kind of filing, the processing times of the decisions taken over a
period, against the legal deadlines of the catalogue (what Rokhas shows on its "Indicateurs"
page). Counts and durations only: nothing here names a person or a filing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from services.reporting.domain.agency_days import AgencyDays
from services.reporting.domain.daily_report import kind_key
from services.reporting.domain.processing import processing_times
from services.reporting.domain.timelines import Decision
from shared.catalogue import Catalogue
from shared.errors import InvalidInput

MAX_PERIOD_DAYS = 366
DEFAULT_PERIOD_DAYS = 30


def period(first: date | None, last: date | None, last_closed: date) -> tuple[date, date]:
    """The period asked for, both days included: by default up to the last closed agency day,
    and the DEFAULT_PERIOD_DAYS up to its end; in order, and at most MAX_PERIOD_DAYS long."""
    last = last or last_closed
    first = first or last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if first > last:
        raise InvalidInput("query.from", f"the period starts ({first}) after it ends ({last})", code="period_order")
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput("query.from", f"the period is longer than {MAX_PERIOD_DAYS} days", code="period_length")
    return first, last


def legal_deadlines(catalogue: Catalogue, kind: str) -> list[dict]:
    return [
        {"days": rule.days, "unit": rule.unit, "applies_to": dict(rule.applies_if)}
        for rule in catalogue.kind(kind).deadlines
        if rule.name == "decision"
    ]


def indicators(catalogue: Catalogue, days: AgencyDays, first: date, last: date,
               decisions: Sequence[Decision]) -> dict:
    kinds = list(catalogue.kinds)
    rows = []
    for kind in kinds:
        spec = catalogue.kind(kind)
        rows.append({
            "kind": kind,
            "label": {"fr": spec.fr, "ar": spec.ar},
            "legal_deadlines": legal_deadlines(catalogue, kind),
            **processing_times(d for d in decisions if kind_key(d.kind, kinds) == kind).as_dict(),
        })
    known = [d for d in decisions if d.kind in kinds]
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "timezone": str(days.zone),
        "unit": "working_days",
        "kinds": rows,
        "all_kinds": processing_times(known).as_dict(),
    }
