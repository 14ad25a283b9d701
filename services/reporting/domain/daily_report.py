"""The daily report: per kind of filing, what happened on one agency-local day.

The repository counts entries per (kind, event type), on the day and up to the end of the
day; this module turns those counts into the report (and its CSV form)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.reporting.domain.entries import event_name

RECEIVED = "submission.received"
DECIDED = "review.decided"
WITHDRAWN = "submission.withdrawn"
CONTESTED = "submission.contested"
EMAIL_SENT = "notification.sent"
EMAIL_FAILED = "notification.failed"
DEADLINE_APPROACHING = "review.deadline_approaching"
DEADLINE_BREACHED = "review.deadline_breached"
OPINION_PUBLISHED = "committee.opinion_published"
COUNTED_EVENTS = (RECEIVED, DECIDED, WITHDRAWN, CONTESTED, EMAIL_SENT, EMAIL_FAILED, DEADLINE_APPROACHING,
                  DEADLINE_BREACHED, OPINION_PUBLISHED)

# Later columns are appended, so readers of older CSVs keep their positions.
COLUMNS = ("received", "decided", "withdrawn", "pending", "emails_sent", "emails_failed",
           "deadlines_approaching", "deadlines_breached", "opinions_published")


@dataclass(frozen=True)
class CountRow:
    """How many entries of one event type and kind: on the day, and up to the end of the day."""

    kind: str | None
    type: str
    on_day: int
    up_to_end: int


@dataclass
class KindCounts:
    kind: str | None
    received: int = 0
    decided: int = 0
    withdrawn: int = 0
    pending: int = 0
    emails_sent: int = 0
    emails_failed: int = 0
    deadlines_approaching: int = 0  # alerts: a deadline of an open task is near
    deadlines_breached: int = 0  # alerts: a deadline passed before the task met it
    opinions_published: int = 0  # committee opinions made public (adjourned ones included)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DailyReport:
    day: date
    timezone: str
    start: datetime
    end: datetime
    kinds: list[KindCounts]
    totals: dict[str, int]

    def as_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "timezone": self.timezone,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "kinds": [counts.as_dict() for counts in self.kinds],
            "totals": self.totals,
        }


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of an agency-local day, as aware datetimes.
    Days are not always 24 hours long (Morocco moves its clocks around Ramadan)."""
    return datetime.combine(day, time(), tzinfo=zone), datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)


def today(zone: ZoneInfo, now: datetime) -> date:
    return now.astimezone(zone).date()


def build_daily_report(day: date, zone: ZoneInfo, rows: list[CountRow]) -> DailyReport:
    start, end = day_bounds(day, zone)
    on_day: dict[tuple[str | None, str], int] = {}
    up_to_end: dict[tuple[str | None, str], int] = {}
    for row in rows:
        name = event_name(row.type)
        if name not in COUNTED_EVENTS:
            continue
        key = (row.kind, name)
        on_day[key] = on_day.get(key, 0) + row.on_day
        up_to_end[key] = up_to_end.get(key, 0) + row.up_to_end

    kinds: list[KindCounts] = []
    for kind in sorted({kind for kind, _ in up_to_end}, key=lambda k: (k is None, k or "")):
        counts = KindCounts(
            kind=kind,
            received=on_day.get((kind, RECEIVED), 0),
            decided=on_day.get((kind, DECIDED), 0),
            withdrawn=on_day.get((kind, WITHDRAWN), 0),
            emails_sent=on_day.get((kind, EMAIL_SENT), 0),
            emails_failed=on_day.get((kind, EMAIL_FAILED), 0),
            deadlines_approaching=on_day.get((kind, DEADLINE_APPROACHING), 0),
            deadlines_breached=on_day.get((kind, DEADLINE_BREACHED), 0),
            opinions_published=on_day.get((kind, OPINION_PUBLISHED), 0),
        )
        # A contest reopens a decided file: it is open again until its next decision.
        opened = up_to_end.get((kind, RECEIVED), 0) + up_to_end.get((kind, CONTESTED), 0)
        open_files = opened - up_to_end.get((kind, DECIDED), 0) - up_to_end.get((kind, WITHDRAWN), 0)
        # Never below zero: decisions on files received before reporting started must not
        # show as negative work.
        counts.pending = max(open_files, 0)
        kinds.append(counts)
    totals = {column: sum(getattr(counts, column) for counts in kinds) for column in COLUMNS}
    return DailyReport(day=day, timezone=str(zone), start=start, end=end, kinds=kinds, totals=totals)


def to_csv(report: DailyReport) -> str:
    """One line per kind then a ``total`` line; a kind-less line (emails about no filing) has an empty kind."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("date", "kind", *COLUMNS))
    for counts in report.kinds:
        writer.writerow((report.day.isoformat(), counts.kind or "", *(getattr(counts, c) for c in COLUMNS)))
    writer.writerow((report.day.isoformat(), "total", *(report.totals[c] for c in COLUMNS)))
    return out.getvalue()
