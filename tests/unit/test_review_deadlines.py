"""Legal deadlines (pure): planned in working or calendar days, paused while the agency waits
for the applicant, met by a status, and the alert each calls for at a given moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.review.domain import committee
from services.review.domain.deadlines import Deadline, alert_due, follow, nearest_due_at, plan, restart
from shared.calendar import WorkingCalendar
from shared.catalogue import DeadlineRule, default_catalogue
from shared.lifecycle import Status

CAL = WorkingCalendar()
TEN_WORKING = DeadlineRule(name="decision", days=10, unit="working_days", met_when=["decided", "closed"])
THREE_WORKING = DeadlineRule(name="to_committee", days=3, unit="working_days",
                             met_when=["in_committee", "decided", "closed"])


def at(day: str, hour: int = 10) -> datetime:
    """A moment in Casablanca local time."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=CAL.timezone)


def test_ten_working_days_skip_the_weekend_and_two_public_holidays():
    # Thu 2026-11-05; Fri 11-06 (Green March) and Wed 11-18 (Independence Day) are holidays.
    [deadline] = plan([TEN_WORKING], at("2026-11-05"), CAL)
    assert (deadline.started_on, deadline.due_on) == (date(2026, 11, 5), date(2026, 11, 23))
    assert deadline.due_at(CAL) == datetime(2026, 11, 23, 23, 59, 59, tzinfo=CAL.timezone)
    view = deadline.view(at("2026-11-05", 12), CAL)
    assert (view["days_used"], view["days_left"], view["paused"], view["overdue"]) == (0, 10, False, False)


def test_the_received_day_is_the_agency_local_day():
    # 23:30 UTC on Nov 4 is already Nov 5 in Casablanca (UTC+1).
    [deadline] = plan([TEN_WORKING], datetime(2026, 11, 4, 23, 30, tzinfo=UTC), CAL)
    assert deadline.started_on == date(2026, 11, 5)


def test_calendar_day_rules_count_every_day():
    [rule] = default_catalogue().kind("complaint").deadlines
    [deadline] = plan([rule], at("2026-11-05"), CAL)
    assert deadline.due_on == date(2026, 11, 5) + timedelta(days=60)


def test_the_rules_that_apply_follow_the_filing_details():
    permit = default_catalogue().kind("building_permit")
    small = plan(permit.deadlines_for({"project_size": "small"}), at("2026-11-02"), CAL)
    assert {d.name: d.days for d in small} == {"to_committee": 3, "decision": 10}


def test_five_working_days_waiting_for_the_applicant_move_the_due_date_by_five_working_days():
    [deadline] = plan([TEN_WORKING], at("2026-11-05"), CAL)
    follow([deadline], Status.IN_REVIEW, at("2026-11-09"), CAL)
    follow([deadline], Status.AWAITING_APPLICANT, at("2026-11-09", 11), CAL)
    assert deadline.paused_at == at("2026-11-09", 11)
    paused_view = deadline.view(at("2026-11-13"), CAL)
    assert paused_view["paused"] and paused_view["days_used"] == 1  # Mon 11-09 only; the clock stopped
    # Waiting Tue 10 … Mon 16 = 5 working days.
    follow([deadline], Status.QUEUED, at("2026-11-16", 15), CAL)
    assert (deadline.paused_at, deadline.paused_days) == (None, 5)
    assert deadline.due_on == date(2026, 11, 30)  # 11-23 + 5 working days
    view = deadline.view(at("2026-11-16", 16), CAL)
    assert (view["days_used"], view["days_left"], view["paused"]) == (1, 9, False)
    assert view["days_used"] + view["days_left"] == 10


def test_a_deadline_is_met_by_its_statuses_only():
    deadlines = plan([THREE_WORKING, TEN_WORKING], at("2026-11-02"), CAL)
    follow(deadlines, Status.IN_COMMITTEE, at("2026-11-03"), CAL)
    by_name = {d.name: d for d in deadlines}
    assert by_name["to_committee"].met_at == at("2026-11-03") and by_name["decision"].met_at is None
    assert nearest_due_at(deadlines, CAL) == by_name["decision"].due_at(CAL)
    follow(deadlines, Status.DECIDED, at("2026-11-20"), CAL)
    assert by_name["decision"].met_at == at("2026-11-20") and nearest_due_at(deadlines, CAL) is None
    assert by_name["to_committee"].met_at == at("2026-11-03")  # met once, kept


def test_overdue_and_days_left_once_past_due():
    [deadline] = plan([TEN_WORKING], at("2026-11-05"), CAL)
    view = deadline.view(at("2026-11-25"), CAL)
    assert (view["overdue"], view["days_left"]) == (True, -2)


def test_alerts_approach_within_the_margin_and_breach_after_the_end_of_the_day():
    [deadline] = plan([TEN_WORKING], at("2026-11-05"), CAL)  # due Mon 11-23
    assert alert_due(deadline, at("2026-11-18"), 2, CAL) is None  # Thu 19, Fri 20, Mon 23: 3 left
    assert alert_due(deadline, at("2026-11-19"), 2, CAL) == "approaching"
    assert alert_due(deadline, at("2026-11-23", 23), 2, CAL) == "approaching"
    assert alert_due(deadline, at("2026-11-24", 0), 2, CAL) == "breached"
    deadline.paused_at = at("2026-11-20")
    assert alert_due(deadline, at("2026-11-24"), 2, CAL) is None  # paused: no alert
    deadline.paused_at, deadline.met_at = None, at("2026-11-20")
    assert alert_due(deadline, at("2026-11-24"), 2, CAL) is None  # met: no alert


def test_a_contest_restarts_the_deadlines_from_the_day_it_arrives():
    [deadline] = plan([TEN_WORKING], at("2026-11-05"), CAL)
    follow([deadline], Status.DECIDED, at("2026-11-10"), CAL)
    restart([deadline], at("2026-12-01"), CAL)
    assert (deadline.started_on, deadline.met_at, deadline.paused_days) == (date(2026, 12, 1), None, 0)
    assert deadline.due_on == CAL.add_days(date(2026, 12, 1), 10, "working_days")


@pytest.mark.parametrize(("opinions", "expected"), [
    (["favourable", "favourable_with_conditions", "unfavourable"], "unfavourable"),
    (["favourable", "favourable_with_conditions"], "favourable_with_conditions"),
    (["favourable_with_conditions", "adjourned"], "adjourned"),
    (["adjourned", "unfavourable"], "unfavourable"),
    (["favourable"], "favourable"),
])
def test_the_aggregated_opinion_is_the_most_severe(opinions, expected):
    assert committee.aggregate(opinions) == expected


def test_a_deadline_has_no_alert_before_its_margin_even_with_a_zero_margin():
    deadline = Deadline(name="decision", unit="calendar_days", days=5, started_on=date(2026, 11, 1),
                        due_on=date(2026, 11, 6), met_when=["decided"])
    assert alert_due(deadline, at("2026-11-05"), 0, CAL) is None
    assert alert_due(deadline, at("2026-11-06"), 0, CAL) == "approaching"
