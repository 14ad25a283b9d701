"""The daily report to the Urban Planning Directorate: per kind of filing, what happened on
one agency day, with no personal data.

Inputs come from the repository as ``Step``s: the entries of the day itself, the timelines of
the filings still open at the end of the day or touched during it, the received/decided
entries of the last 30 days (the trend), and the late entries this report carries as
corrections. The report is a plain dict once built (``as_dict``): that is what is frozen,
and what the CSV, XLSX and PDF are drawn from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from services.reporting.domain.agency_days import AgencyDays
from services.reporting.domain.processing import ProcessingTimes, processing_times
from services.reporting.domain.timelines import DECIDED, RECEIVED, WITHDRAWN, Decision, Step, follow
from shared.calendar import WorkingCalendar

OTHER = "other"  # events about no filing of the catalogue (e.g. the report's own email)
TREND_DAYS = 30
# Event name -> the count it adds to.
EVENT_COLUMNS = {
    RECEIVED: "received",
    DECIDED: "decided",
    WITHDRAWN: "withdrawn",
    "notification.sent": "emails_sent",
    "notification.failed": "emails_failed",
    "review.deadline_approaching": "deadlines_approaching",
    "review.deadline_breached": "deadlines_breached",
    "committee.opinion_published": "opinions_published",
}
# Later columns are appended, so readers of older CSVs keep their positions.
COLUMNS = ("received", "decided", "withdrawn", "pending", "emails_sent", "emails_failed",
           "deadlines_approaching", "deadlines_breached", "opinions_published", "overdue")
CORRECTION_COLUMNS = tuple(dict.fromkeys(EVENT_COLUMNS.values()))
INVOICE_STEPS = ("verified", "approved_for_payment")


@dataclass
class KindFigures:
    kind: str
    received: int = 0
    decided: int = 0
    withdrawn: int = 0
    pending: int = 0  # open at the end of the day
    emails_sent: int = 0
    emails_failed: int = 0
    deadlines_approaching: int = 0  # alerts: a deadline of an open task is near
    deadlines_breached: int = 0  # alerts: a deadline passed before the task met it
    opinions_published: int = 0  # committee opinions made public (adjourned ones included)
    overdue: int = 0  # of the pending ones, past their decision deadline at the end of the day
    decided_by_outcome: dict[str, int] = field(default_factory=dict)
    processing: ProcessingTimes = field(default_factory=lambda: processing_times(()))

    def as_dict(self) -> dict:
        return asdict(self)


def count_events(figures: KindFigures, steps: Iterable[Step]) -> None:
    outcomes: Counter[str] = Counter(figures.decided_by_outcome)
    for step in steps:
        column = EVENT_COLUMNS.get(step.name)
        if column is not None:
            setattr(figures, column, getattr(figures, column) + 1)
        if step.name == DECIDED:
            outcomes[str(step.details.get("outcome") or "unknown")] += 1
    figures.decided_by_outcome = dict(sorted(outcomes.items()))


def kind_key(kind: str | None, known: Sequence[str]) -> str:
    return kind if kind in known else OTHER


def daily_figures(
    day: date,
    days: AgencyDays,
    calendar: WorkingCalendar,
    kinds: Sequence[str],
    *,
    day_steps: Sequence[Step],
    filings: Mapping[str, Sequence[Step]],
    trend_steps: Sequence[Step],
    late_steps: Sequence[Step],
) -> dict:
    """The report of ``day`` as a JSON-ready dict. ``kinds``: the catalogue's, in its order."""
    start, end = days.bounds(day)
    followed = [follow(steps, calendar, until=end) for steps in filings.values()]
    decisions = [d for f in followed for d in f.decisions if start <= d.at < end]
    rows: dict[str, KindFigures] = {kind: KindFigures(kind) for kind in kinds}
    total = KindFigures("total")
    for key in [*kinds, OTHER]:
        of_kind = [s for s in day_steps if kind_key(s.kind, kinds) == key]
        open_files = [f for f in followed if f.open and kind_key(f.kind, kinds) == key]
        if key == OTHER and not of_kind and not open_files:
            continue
        row = rows.setdefault(key, KindFigures(key))
        count_events(row, of_kind)
        row.pending, row.overdue = len(open_files), sum(1 for f in open_files if f.overdue_at(end))
        row.processing = processing_times(d for d in decisions if kind_key(d.kind, kinds) == key)
    for row in rows.values():
        for column in COLUMNS:
            setattr(total, column, getattr(total, column) + getattr(row, column))
    total.decided_by_outcome = dict(sorted(sum((Counter(r.decided_by_outcome) for r in rows.values()),
                                               Counter()).items()))
    total.processing = processing_times(decisions)
    return {
        "date": day.isoformat(),
        "timezone": str(days.zone),
        "closing_time": days.closing.strftime("%H:%M"),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "kinds": [row.as_dict() for row in rows.values()],
        "totals": total.as_dict(),
        "invoices": invoice_steps(day_steps),
        "trend": trend(day, days, trend_steps),
        "corrections": corrections(days, kinds, late_steps),
    }


def invoice_steps(steps: Iterable[Step]) -> dict[str, int]:
    counts = {"verified": 0, "approved_for_payment": 0, "paid": 0}
    for step in steps:
        if step.kind != "supplier_invoice":
            continue
        if step.name == "review.step_recorded" and step.details.get("step") in INVOICE_STEPS:
            counts[step.details["step"]] += 1
        elif step.name == DECIDED and step.details.get("outcome") == "paid":
            counts["paid"] += 1
    return counts


def trend(day: date, days: AgencyDays, steps: Iterable[Step], length: int = TREND_DAYS) -> list[dict]:
    """Received and decided per agency day, the ``length`` days ending with ``day``."""
    first = day - timedelta(days=length - 1)
    counts = {first + timedelta(days=n): {"received": 0, "decided": 0} for n in range(length)}
    for step in steps:
        column = {RECEIVED: "received", DECIDED: "decided"}.get(step.name)
        on = days.day_of(step.at)
        if column and on in counts:
            counts[on][column] += 1
    return [{"date": on.isoformat(), **values} for on, values in counts.items()]


def corrections(days: AgencyDays, kinds: Sequence[str], steps: Iterable[Step]) -> list[dict]:
    """Events that arrived after their own day's report was built, per (their day, kind)."""
    groups: dict[tuple[date, str], KindFigures] = {}
    for step in steps:
        key = (days.day_of(step.at), kind_key(step.kind, kinds))
        count_events(groups.setdefault(key, KindFigures(key[1])), [step])
    return [
        {"date": on.isoformat(), "kind": kind, **{c: getattr(groups[(on, kind)], c) for c in CORRECTION_COLUMNS}}
        for on, kind in sorted(groups)
    ]


def headline(report: Mapping) -> dict[str, int]:
    """The report's integer totals (what ``report.daily_published`` carries)."""
    return {column: int(report["totals"][column]) for column in COLUMNS}


def decisions_of(steps_by_filing: Mapping[str, Sequence[Step]], calendar: WorkingCalendar, start: datetime,
                 end: datetime) -> list[Decision]:
    """Every decision taken in [start, end) by these filings."""
    return [d for steps in steps_by_filing.values() for d in follow(steps, calendar).decisions if start <= d.at < end]
