"""The legal deadlines a receipt announces, from the catalogue's rules for the filing's details."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from shared.calendar import WorkingCalendar
from shared.catalogue import Catalogue


class LegalDeadline(BaseModel):
    name: str  # the rule's name: decision, to_committee…
    days: int
    unit: str  # working_days or calendar_days
    due_on: date  # counted from the agency-local day of receipt, before any pause


def legal_deadlines(catalogue: Catalogue, calendar: WorkingCalendar, kind: str, details: dict[str, Any],
                    received_at: datetime) -> list[LegalDeadline]:
    """Each applicable rule with its due date. An unknown kind has none (the receipt still goes out)."""
    try:
        rules = catalogue.kind(kind).deadlines_for(details)
    except KeyError:
        return []
    return [
        LegalDeadline(name=rule.name, days=rule.days, unit=rule.unit,
                      due_on=calendar.due_on(received_at, rule.days, rule.unit))
        for rule in rules
    ]
