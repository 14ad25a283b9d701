"""Agency days: the window one daily report covers, closed at the agency's closing time.

A closing time from noon on closes the day it falls in (``23:30``: Tuesday runs from Monday
23:30 to Tuesday 23:30); one before noon closes the previous day (``00:30``: Tuesday runs from
Tuesday 00:30 to Wednesday 00:30). The default, ``00:00``, makes agency days calendar days.
Times are agency-local (Africa/Casablanca), so a day is 23 or 25 hours long when Morocco moves
its clocks around Ramadan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NOON = time(12, 0)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class AgencyDays:
    zone: ZoneInfo
    closing: time = time(0, 0)

    @property
    def shift(self) -> timedelta:
        """Local wall time minus this shift falls on the agency day's calendar date."""
        closing = timedelta(hours=self.closing.hour, minutes=self.closing.minute)
        return closing - DAY if self.closing >= NOON else closing

    def end(self, day: date) -> datetime:
        """The moment ``day`` closes (exclusive end of its window)."""
        closes_on = day if self.closing >= NOON else day + DAY
        return datetime.combine(closes_on, self.closing, tzinfo=self.zone)

    def start(self, day: date) -> datetime:
        return self.end(day - DAY)

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        return self.start(day), self.end(day)

    def day_of(self, moment: datetime) -> date:
        """The agency day a moment belongs to."""
        local = moment.astimezone(self.zone).replace(tzinfo=None)
        return (local - self.shift).date()

    def last_closed(self, now: datetime) -> date:
        """The latest day whose closing time has passed at ``now``."""
        return self.day_of(now) - DAY


def days_to_build(last_built: date | None, last_closed: date, *, limit: int) -> list[date]:
    """The closed days still without a report, oldest first: every day after the last one
    built (at most ``limit`` of the most recent), or only the last closed day when none was
    ever built (history before the first report is not backfilled)."""
    if last_built is None:
        return [last_closed]
    first = max(last_built + DAY, last_closed - (limit - 1) * DAY)
    return [first + n * DAY for n in range((last_closed - first).days + 1)]


def parse_closing_time(text: str) -> time:
    """``HH:MM`` (24-hour clock), agency-local."""
    try:
        hours, minutes = text.split(":")
        if len(hours) != 2 or len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"not an HH:MM time: {text!r}") from None
