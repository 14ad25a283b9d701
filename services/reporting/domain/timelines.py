"""One filing's way through the agency, rebuilt from its report entries: when its clock
started, when it paused for the applicant, when it was decided, and whether the decision met
its legal deadline.

The rules are review's (services/review/domain/deadlines.py), read back from events:
- the clock starts on the agency-local day of ``submission.received`` (again on that of
  ``submission.contested``, which reopens a decided file with fresh deadlines);
- it pauses on an event with status ``awaiting_applicant`` and resumes on the next event with
  another status; the days waited (in the rule's unit) push the due date back;
- ``review.decided`` closes the file, ``submission.withdrawn`` too (without a decision).
The decision rule (days and unit) is stored on the received entry when it is recorded.
Processing time counts working days from the start day to the decision day, pauses excluded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.calendar import WorkingCalendar

RECEIVED = "submission.received"
CONTESTED = "submission.contested"
WITHDRAWN = "submission.withdrawn"
DECIDED = "review.decided"
AWAITING = "awaiting_applicant"
WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class Step:
    """What a timeline needs of one report entry (``name``: the event type without its version)."""

    name: str
    kind: str | None
    status: str | None
    at: datetime
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    kind: str
    at: datetime
    outcome: str | None
    working_days: int | None  # None when the filing's reception was never seen
    met_deadline: bool | None  # None without a known decision rule


@dataclass
class Filing:
    calendar: WorkingCalendar
    kind: str | None = None
    rule: tuple[int, str] | None = None  # (days, unit) of the decision deadline
    started_on: date | None = None
    due_on: date | None = None
    paused_at: datetime | None = None
    paused_working_days: int = 0
    open: bool = False
    decisions: list[Decision] = field(default_factory=list)

    def apply(self, step: Step) -> None:
        self.kind = self.kind or step.kind
        if step.name == RECEIVED:
            days, unit = step.details.get("decision_days"), step.details.get("decision_unit")
            self.rule = (int(days), str(unit)) if days and unit else None
            self._start(step.at)
        elif step.name == CONTESTED:
            self._start(step.at)
        elif step.name == DECIDED and self.open:
            self._resume(step.at)
            self.decisions.append(self._decision(step))
            self.open = False
        elif step.name == WITHDRAWN:
            self.open = False
        elif self.open and step.status is not None:
            if step.status == AWAITING and self.paused_at is None:
                self.paused_at = step.at
            elif step.status != AWAITING:
                self._resume(step.at)

    def overdue_at(self, moment: datetime) -> bool:
        """Open, and past its decision deadline at ``moment`` (a running pause moves it back)."""
        if not self.open or self.due_on is None or self.rule is None:
            return False
        due = self.due_on
        if self.paused_at is not None:
            due = self.calendar.add_days(due, self._waited(self.paused_at, moment, self.rule[1]), self.rule[1])
        return moment > self.calendar.end_of_day(due)

    # --- rules ---------------------------------------------------------------------------

    def _start(self, at: datetime) -> None:
        self.open, self.paused_at, self.paused_working_days = True, None, 0
        self.started_on = self.calendar.local_day(at)
        self.due_on = self.calendar.add_days(self.started_on, *self.rule) if self.rule else None

    def _resume(self, at: datetime) -> None:
        if self.paused_at is None:
            return
        if self.rule is not None and self.due_on is not None:
            unit = self.rule[1]
            self.due_on = self.calendar.add_days(self.due_on, self._waited(self.paused_at, at, unit), unit)
        self.paused_working_days += self._waited(self.paused_at, at, WORKING_DAYS)
        self.paused_at = None

    def _waited(self, since: datetime, until: datetime, unit: str) -> int:
        return self.calendar.days_between(self.calendar.local_day(since), self.calendar.local_day(until), unit)

    def _decision(self, step: Step) -> Decision:
        day = self.calendar.local_day(step.at)
        working_days = met = None
        if self.started_on is not None:
            working_days = max(0, self.calendar.days_between(self.started_on, day, WORKING_DAYS)
                               - self.paused_working_days)
            met = day <= self.due_on if self.due_on is not None else None
        return Decision(kind=self.kind or step.kind or "", at=step.at, outcome=step.details.get("outcome"),
                        working_days=working_days, met_deadline=met)


def follow(steps: Iterable[Step], calendar: WorkingCalendar, *, until: datetime | None = None) -> Filing:
    """The filing as its steps before ``until`` leave it (steps in time order)."""
    filing = Filing(calendar)
    for step in steps:
        if until is not None and step.at >= until:
            break
        filing.apply(step)
    return filing
