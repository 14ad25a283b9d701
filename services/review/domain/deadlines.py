"""Legal deadlines of a task (pure): planned from the catalogue's rules and the filing's
reception, paused while the agency waits for the applicant, met by a status.

A deadline falls at the end of the agency's local day ``due_on``. While paused, the days
spent waiting (in the rule's unit) are added to ``due_on`` when the applicant answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from shared.calendar import WorkingCalendar
from shared.catalogue import DeadlineRule
from shared.lifecycle import OPEN_STATES, Status

Alert = Literal["approaching", "breached"]
# How a task stands against its deadlines, as staff lists show it: met when nothing is left to
# meet (no open deadline, or the task is decided, closed or withdrawn).
DeadlineState = Literal["on_time", "approaching", "overdue", "paused", "met"]


@dataclass(frozen=True)
class DueAlert:
    """An alert a task's deadline calls for (the scan found it; emitting it checks again)."""

    task_id: UUID
    tracking_number: str
    deadline: str
    alert: Alert


@dataclass
class Deadline:
    name: str
    unit: str
    days: int
    started_on: date
    due_on: date
    met_when: list[str] = field(default_factory=list)
    paused_days: int = 0
    paused_at: datetime | None = None
    met_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.met_at is None

    def due_at(self, calendar: WorkingCalendar) -> datetime:
        return calendar.end_of_day(self.due_on)

    def is_overdue(self, now: datetime, calendar: WorkingCalendar) -> bool:
        """Past its end at the moment its clock stopped (met or paused), or now."""
        return (self.met_at or self.paused_at or now) > self.due_at(calendar)

    def view(self, now: datetime, calendar: WorkingCalendar) -> dict[str, Any]:
        """What the task JSON shows: time used and left, counted at the moment the clock
        stopped (met or paused) or now."""
        stopped = self.met_at or self.paused_at or now
        day = calendar.local_day(stopped)
        used = max(0, calendar.days_between(self.started_on, day, self.unit) - self.paused_days)
        if day <= self.due_on:
            left = calendar.days_between(day, self.due_on, self.unit)
        else:
            left = -calendar.days_between(self.due_on, day, self.unit)
        return {
            "name": self.name,
            "unit": self.unit,
            "days": self.days,
            "due_at": self.due_at(calendar),
            "days_used": used,
            "days_left": left,
            "paused": self.paused_at is not None,
            "paused_days": self.paused_days,
            "met_at": self.met_at,
            "overdue": self.is_overdue(now, calendar),
        }


def plan(rules: Iterable[DeadlineRule], received_at: datetime, calendar: WorkingCalendar) -> list[Deadline]:
    return [
        Deadline(
            name=rule.name,
            unit=rule.unit,
            days=rule.days,
            started_on=calendar.local_day(received_at),
            due_on=calendar.due_on(received_at, rule.days, rule.unit),
            met_when=[Status(s).value for s in rule.met_when],
        )
        for rule in rules
    ]


def follow(deadlines: Iterable[Deadline], status: Status | str, now: datetime, calendar: WorkingCalendar) -> None:
    """Bring the deadlines in line with the task's new status."""
    status = Status(status).value
    for deadline in deadlines:
        if not deadline.is_open:
            continue
        if deadline.paused_at is not None and status != Status.AWAITING_APPLICANT:
            waited = calendar.days_between(calendar.local_day(deadline.paused_at), calendar.local_day(now),
                                           deadline.unit)
            deadline.due_on = calendar.add_days(deadline.due_on, waited, deadline.unit)
            deadline.paused_days += waited
            deadline.paused_at = None
        if status in deadline.met_when:
            deadline.met_at = now
        elif status == Status.AWAITING_APPLICANT and deadline.paused_at is None:
            deadline.paused_at = now


def nearest_due_at(deadlines: Iterable[Deadline], calendar: WorkingCalendar) -> datetime | None:
    open_ones = [d for d in deadlines if d.is_open]
    return min(open_ones, key=lambda d: d.due_on).due_at(calendar) if open_ones else None


def alert_due(deadline: Deadline, now: datetime, margin_days: int, calendar: WorkingCalendar) -> Alert | None:
    """The alert an open, running deadline calls for at ``now``: breached once past its end,
    approaching within ``margin_days`` (in the rule's unit) of it."""
    if not deadline.is_open or deadline.paused_at is not None:
        return None
    if now > deadline.due_at(calendar):
        return "breached"
    if calendar.days_between(calendar.local_day(now), deadline.due_on, deadline.unit) <= margin_days:
        return "approaching"
    return None


def deadline_state(deadlines: Iterable[Deadline], status: Status | str, now: datetime, margin_days: int,
                   calendar: WorkingCalendar) -> DeadlineState:
    """Overdue if an open deadline is past its end; paused if every open one waits for the
    applicant; approaching if one is within the alerts' margin (``alert_due``); else on time."""
    open_ones = [d for d in deadlines if d.is_open]
    if not open_ones or Status(status) not in OPEN_STATES:
        return "met"
    if any(d.is_overdue(now, calendar) for d in open_ones):
        return "overdue"
    if all(d.paused_at is not None for d in open_ones):
        return "paused"
    if any(alert_due(d, now, margin_days, calendar) == "approaching" for d in open_ones):
        return "approaching"
    return "on_time"


def due_at_of(deadlines: Iterable[Deadline], status: Status | str, calendar: WorkingCalendar) -> datetime | None:
    """The end of the nearest open deadline while the task is open (a final task has none)."""
    return nearest_due_at(deadlines, calendar) if Status(status) in OPEN_STATES else None


def restart(deadlines: Iterable[Deadline], now: datetime, calendar: WorkingCalendar) -> None:
    """A contested decision is reviewed again: each deadline runs afresh from today."""
    today = calendar.local_day(now)
    for deadline in deadlines:
        deadline.started_on = today
        deadline.due_on = calendar.add_days(today, deadline.days, deadline.unit)
        deadline.paused_days, deadline.paused_at, deadline.met_at = 0, None, None
