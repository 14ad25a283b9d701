"""Working days in Morocco: weekends and public holidays (from the ``holidays`` package)
are skipped. Deadlines fall at the end of the agency's local day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

AGENCY_TZ = ZoneInfo("Africa/Casablanca")


class WorkingCalendar:
    def __init__(self, timezone: ZoneInfo = AGENCY_TZ, extra_holidays: set[date] | None = None):
        self.timezone = timezone
        self._holidays = holidays.country_holidays("MA")
        self._extra = extra_holidays or set()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays and day not in self._extra

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.timezone).date()

    def add_days(self, start: date, days: int, unit: str) -> date:
        """The day ``days`` days after ``start`` (working days skip weekends and holidays)."""
        if unit == "calendar_days":
            return start + timedelta(days=days)
        day = start
        for _ in range(days):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return day

    def due_on(self, received_at: datetime, days: int, unit: str) -> date:
        """A deadline's day, counted from the agency-local day a filing was received."""
        return self.add_days(self.local_day(received_at), days, unit)

    def days_between(self, start: date, end: date, unit: str) -> int:
        """Days after ``start`` up to and including ``end`` (0 when end <= start)."""
        if end <= start:
            return 0
        if unit == "calendar_days":
            return (end - start).days
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=n)))

    def start_of_day(self, day: date) -> datetime:
        return datetime.combine(day, time(0, 0), tzinfo=self.timezone)

    def end_of_day(self, day: date) -> datetime:
        return datetime.combine(day, time(23, 59, 59), tzinfo=self.timezone)
