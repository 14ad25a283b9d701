"""What one event leaves behind in the report: who/what/when, never personal data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.catalogue import Catalogue
from shared.envelope import Envelope

# Only these data fields are copied into an entry's details. They are codes, numbers and
# dates; names, emails, phones, CIN, assignees, committee members and free text (motives,
# notes, a withdrawal's ``reason``) never are.
DETAIL_FIELDS = ("outcome", "opinion", "committee_opinion", "step", "deadline", "template", "language",
                 "version", "due_at", "session_date", "report_date")

# Status implied by events that do not carry one.
STATUS_BY_EVENT = {"submission.received": "received", "submission.withdrawn": "withdrawn",
                   "submission.contested": "queued"}

_VERSION = re.compile(r"\.v\d+$")


def event_name(event_type: str) -> str:
    """``submission.received.v1`` -> ``submission.received`` (reports count every version)."""
    return _VERSION.sub("", event_type)


@dataclass(frozen=True)
class ReportEntry:
    event_id: UUID
    type: str
    tracking_number: str | None
    kind: str | None
    status: str | None
    occurred_at: datetime
    details: dict[str, Any] = field(default_factory=dict)


def entry_from(envelope: Envelope, catalogue: Catalogue | None = None) -> ReportEntry:
    data = envelope.data
    details: dict[str, Any] = {name: data[name] for name in DETAIL_FIELDS if data.get(name) is not None}
    if isinstance(data.get("documents"), list):
        details["documents"] = len(data["documents"])
    if catalogue is not None and event_name(envelope.type) == "submission.received":
        details.update(decision_rule(catalogue, data.get("kind"), data.get("details")))
    status = data.get("status") or STATUS_BY_EVENT.get(event_name(envelope.type))
    return ReportEntry(
        event_id=envelope.id,
        type=envelope.type,
        tracking_number=_text(data.get("tracking_number")) or envelope.subject or None,
        kind=_text(data.get("kind")),
        status=_text(status),
        occurred_at=envelope.time,
        details=details,
    )


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def decision_rule(catalogue: Catalogue, kind: Any, filing_details: Any) -> dict[str, Any]:
    """The decision deadline that applies to a filing, as the catalogue says when it is received
    (``decision_days``, ``decision_unit``): what processing times are measured against. The
    filing's own details are read, never kept."""
    try:
        rules = catalogue.kind(str(kind)).deadlines_for(filing_details if isinstance(filing_details, dict) else {})
    except KeyError:
        return {}
    for rule in rules:
        if rule.name == "decision":
            return {"decision_days": rule.days, "decision_unit": rule.unit}
    return {}
