"""Processing times from a filing's timeline: working days, pauses for the applicant, the
legal deadline met or not; percentiles; the public indicators; the decision rule kept."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.reporting.domain.agency_days import AgencyDays
from services.reporting.domain.entries import entry_from
from services.reporting.domain.indicators import indicators
from services.reporting.domain.processing import percentile, processing_times
from services.reporting.domain.timelines import Decision, Step, follow
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.envelope import Envelope
from shared.events import Applicant, SubmissionReceived

CASABLANCA = ZoneInfo("Africa/Casablanca")
CALENDAR = WorkingCalendar()
WORKING = {"decision_days": 10, "decision_unit": "working_days"}


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CASABLANCA)


def step(name: str, when: datetime, status: str | None = None, **details) -> Step:
    return Step(name, "pre_study", status, when, details)


MONDAY = date(2025, 6, 16)  # Islamic New Year falls on Friday 27 June 2025


def test_working_days_skip_the_weekend_and_the_deadline_is_met():
    filing = follow([step("submission.received", at(MONDAY), **WORKING),
                     step("review.decided", at(MONDAY + timedelta(days=9)), "decided", outcome="approved")], CALENDAR)
    [decision] = filing.decisions
    assert decision.working_days == 7  # Tue..Fri (4), Mon..Wed (3)
    assert decision.met_deadline is True and not filing.open


def test_a_pause_for_the_applicant_is_not_counted_and_moves_the_deadline():
    steps = [
        step("submission.received", at(MONDAY), **WORKING),
        step("review.observations_issued", at(MONDAY + timedelta(days=1)), "awaiting_applicant"),
        step("submission.resubmitted", at(MONDAY + timedelta(days=8))),  # no status: still paused
        step("review.task_queued", at(MONDAY + timedelta(days=8)), "queued"),  # Tuesday a week later: 5 waited
        step("review.decided", at(MONDAY + timedelta(days=17)), "decided", outcome="approved"),
    ]
    [decision] = follow(steps, CALENDAR).decisions
    # Tue 17 June to Thu 3 July is 12 working days, 5 of which were spent waiting for the applicant.
    assert decision.working_days == 12 - 5
    assert decision.met_deadline is True  # due 1 July, + 5 waited: Tue 8 July
    late = [*steps[:-1], step("review.decided", at(MONDAY + timedelta(days=23)), "decided")]
    assert follow(late, CALENDAR).decisions[0].met_deadline is False


def test_overdue_at_the_end_of_a_day_unless_paused_long_enough():
    received = step("submission.received", at(MONDAY), **WORKING)
    due = CALENDAR.add_days(MONDAY, 10, "working_days")
    assert due == date(2025, 7, 1)  # the holiday pushes it past Monday 30 June
    assert not follow([received], CALENDAR).overdue_at(at(due, 23))
    assert follow([received], CALENDAR).overdue_at(at(due + timedelta(days=1), 1))
    paused = follow([received, step("review.observations_issued", at(MONDAY + timedelta(days=1)),
                                    "awaiting_applicant")], CALENDAR)
    assert not paused.overdue_at(at(due + timedelta(days=1), 1))


def test_a_decision_without_its_reception_seen_has_no_duration():
    filing = follow([step("review.decided", at(MONDAY), "decided")], CALENDAR)
    assert filing.decisions == [] and not filing.open
    assert processing_times([Decision("pre_study", at(MONDAY), "approved", None, None)]).decided == 0


def test_a_contest_restarts_the_clock():
    steps = [step("submission.received", at(MONDAY), **WORKING),
             step("review.decided", at(MONDAY + timedelta(days=2)), "decided", outcome="rejected"),
             step("submission.contested", at(MONDAY + timedelta(days=7)), "queued"),
             step("review.decided", at(MONDAY + timedelta(days=9)), "decided", outcome="approved")]
    first, second = follow(steps, CALENDAR).decisions
    assert (first.working_days, second.working_days) == (2, 2)


def test_median_and_90th_percentile_and_share_on_time():
    decisions = [Decision("pre_study", at(MONDAY), "approved", days, days <= 10) for days in (1, 2, 3, 4, 20)]
    times = processing_times(decisions)
    assert (times.decided, times.with_deadline, times.on_time, times.on_time_share) == (5, 5, 4, 0.8)
    assert times.median_days == 3.0 and times.p90_days == 13.6  # 4 + 0.6 * (20 - 4)
    assert percentile([], 0.9) is None and percentile([7], 0.9) == 7.0
    empty = processing_times([])
    assert (empty.on_time_share, empty.median_days, empty.p90_days) == (None, None, None)


def test_indicators_name_every_kind_with_its_legal_deadlines_and_no_person():
    catalogue = default_catalogue()
    decisions = [Decision("building_permit", at(MONDAY), "approved", 6, True),
                 Decision("building_permit", at(MONDAY), "rejected", 12, False),
                 Decision("daily_report", at(MONDAY), None, 1, None)]
    result = indicators(catalogue, AgencyDays(CASABLANCA), MONDAY, MONDAY + timedelta(days=6), decisions)
    permit = next(row for row in result["kinds"] if row["kind"] == "building_permit")
    assert permit["label"] == {"fr": "Autorisation de construire", "ar": "رخصة البناء"}
    assert {(d["days"], d["unit"]) for d in permit["legal_deadlines"]} == {(10, "calendar_days"), (25, "calendar_days")}
    assert (permit["decided"], permit["on_time_share"], permit["median_days"]) == (2, 0.5, 9.0)
    assert [row["kind"] for row in result["kinds"]] == list(catalogue.kinds)
    assert result["all_kinds"]["decided"] == 2  # a kind outside the catalogue is no filing
    json.dumps(result)


def test_a_received_entry_keeps_its_decision_rule_and_no_personal_data():
    data = SubmissionReceived(
        tracking_number="AU-2025-00001-AAAAA", kind="building_permit", received_at=datetime.now(UTC),
        applicant=Applicant(full_name="Fatima Zahra", email="fz@example.ma", phone="+212600000000", language="ar"),
        details={"cin": "AB123456", "project_size": "large", "ice": "001525879000045"},
    )
    envelope = Envelope.new(data, source="intake", subject=data.tracking_number, correlation_id="c-1")
    entry = entry_from(envelope, default_catalogue())
    assert entry.details == {"decision_days": 25, "decision_unit": "calendar_days", "documents": 0}
    for personal in ("Fatima", "fz@example.ma", "+212600000000", "AB123456", "001525879000045", "large"):
        assert personal not in repr(entry)
