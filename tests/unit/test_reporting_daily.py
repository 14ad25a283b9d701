"""Reporting's pure logic: what an event leaves behind, how a day adds up, the queue view."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from services.reporting.adapters.documents.csv_table import to_csv
from services.reporting.domain.agency_days import AgencyDays, days_to_build
from services.reporting.domain.daily_report import daily_figures, headline
from services.reporting.domain.entries import entry_from, event_name
from services.reporting.domain.queue_overview import overview
from services.reporting.domain.timelines import Step
from shared.calendar import WorkingCalendar
from shared.catalogue import default_catalogue
from shared.envelope import Envelope
from shared.events import (
    Applicant,
    CommitteeOpinionPublished,
    NotificationFailed,
    ReviewClaimed,
    ReviewDeadlineBreached,
    ReviewDecided,
    ReviewStepRecorded,
    SubmissionContested,
    SubmissionReceived,
)
from shared.lifecycle import Status
from shared.messaging.topology import TOPOLOGY, queues_of

CASABLANCA = ZoneInfo("Africa/Casablanca")
DAY = date(2025, 6, 17)
CALENDAR = WorkingCalendar()
DAYS = AgencyDays(CASABLANCA)
KINDS = list(default_catalogue().kinds)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CASABLANCA)


def step(name: str, kind: str | None, when: datetime, status: str | None = None, **details) -> Step:
    return Step(name, kind, status, when, details)


def figures(filings: dict[str, list[Step]], extra: list[Step] = (), late: list[Step] = ()) -> dict:
    start, end = DAYS.bounds(DAY)
    every = [s for steps in filings.values() for s in steps] + list(extra)
    on_day = sorted((s for s in every if start <= s.at < end), key=lambda s: s.at)
    return daily_figures(DAY, DAYS, CALENDAR, KINDS, day_steps=on_day, filings=filings, trend_steps=every,
                         late_steps=list(late))


def by_kind(report: dict) -> dict[str, dict]:
    return {line["kind"]: line for line in report["kinds"]}


def test_counts_on_the_day_per_kind_and_pending_at_its_end():
    rule = {"decision_days": 60, "decision_unit": "calendar_days"}
    report = figures({
        "A": [step("submission.received", "complaint", at(DAY - timedelta(days=3), 9), **rule),
              step("review.decided", "complaint", at(DAY, 10), "decided", outcome="answered")],
        "B": [step("submission.received", "complaint", at(DAY, 9), **rule)],
        "C": [step("submission.received", "complaint", at(DAY, 11), **rule),
              step("submission.withdrawn", "complaint", at(DAY, 12), "withdrawn")],
        "D": [step("submission.received", "pre_study", at(DAY - timedelta(days=20), 9),
                   decision_days=10, decision_unit="working_days")],
        "E": [step("submission.received", "complaint", at(DAY + timedelta(days=1), 9), **rule)],  # tomorrow
    }, extra=[step("notification.sent", "complaint", at(DAY, 9)), step("notification.failed", None, at(DAY, 9))])
    complaint, pre_study = by_kind(report)["complaint"], by_kind(report)["pre_study"]
    assert (complaint["received"], complaint["decided"], complaint["withdrawn"], complaint["pending"]) == (2, 1, 1, 1)
    assert complaint["decided_by_outcome"] == {"answered": 1} and complaint["emails_sent"] == 1
    assert (pre_study["pending"], pre_study["overdue"]) == (1, 1)  # 10 working days long gone
    assert complaint["overdue"] == 0
    assert by_kind(report)["other"]["emails_failed"] == 1
    assert headline(report) == {"received": 2, "decided": 1, "withdrawn": 1, "pending": 2, "emails_sent": 1,
                                "emails_failed": 1, "deadlines_approaching": 0, "deadlines_breached": 0,
                                "opinions_published": 0, "overdue": 1}
    assert [line["kind"] for line in report["kinds"]] == [*KINDS, "other"]


def test_a_contest_reopens_a_decided_file_until_its_next_decision():
    received = step("submission.received", "building_permit", at(DAY - timedelta(days=30), 9))
    first = step("review.decided", "building_permit", at(DAY - timedelta(days=10), 9), outcome="rejected")
    contested = step("submission.contested", "building_permit", at(DAY, 9), "queued")
    assert by_kind(figures({"P": [received, first, contested]}))["building_permit"]["pending"] == 1
    again = step("review.decided", "building_permit", at(DAY, 15), outcome="approved")
    assert by_kind(figures({"P": [received, first, contested, again]}))["building_permit"]["pending"] == 0


def test_alerts_opinions_and_invoice_steps_are_counted_on_the_day():
    report = figures({}, extra=[
        step("review.deadline_approaching", "building_permit", at(DAY, 8)),
        step("review.deadline_breached", "building_permit", at(DAY, 9)),
        step("committee.opinion_published", "building_permit", at(DAY, 10), opinion="adjourned"),
        step("review.step_recorded", "supplier_invoice", at(DAY, 11), step="verified"),
        step("review.step_recorded", "supplier_invoice", at(DAY, 12), step="approved_for_payment"),
        step("review.decided", "supplier_invoice", at(DAY, 13), outcome="paid"),
    ])
    permit = by_kind(report)["building_permit"]
    assert (permit["deadlines_approaching"], permit["deadlines_breached"], permit["opinions_published"]) == (1, 1, 1)
    assert permit["decided"] == 0  # an adjournment decides nothing
    assert report["invoices"] == {"verified": 1, "approved_for_payment": 1, "paid": 1}


def test_the_trend_covers_thirty_days_ending_with_the_day():
    report = figures({"A": [step("submission.received", "complaint", at(DAY - timedelta(days=29), 9)),
                            step("review.decided", "complaint", at(DAY, 9))],
                      "B": [step("submission.received", "complaint", at(DAY - timedelta(days=30), 9))]})
    trend = report["trend"]
    assert len(trend) == 30 and trend[0]["date"] == str(DAY - timedelta(days=29)) and trend[-1]["date"] == str(DAY)
    assert trend[0] == {"date": str(DAY - timedelta(days=29)), "received": 1, "decided": 0}
    assert trend[-1]["decided"] == 1 and sum(p["received"] for p in trend) == 1


def test_corrections_are_grouped_by_their_own_day_and_kind():
    late = [step("submission.received", "complaint", at(DAY - timedelta(days=1), 16)),
            step("submission.received", "complaint", at(DAY - timedelta(days=1), 17)),
            step("review.decided", "pre_study", at(DAY - timedelta(days=2), 10), outcome="observations_issued")]
    corrections = figures({}, late=late)["corrections"]
    assert [(c["date"], c["kind"], c["received"], c["decided"]) for c in corrections] == [
        (str(DAY - timedelta(days=2)), "pre_study", 0, 1), (str(DAY - timedelta(days=1)), "complaint", 2, 0)]


def test_csv_has_a_header_one_line_per_kind_and_a_total_line():
    lines = to_csv(figures({"A": [step("submission.received", "complaint", at(DAY, 9))]})).splitlines()
    assert lines[0].startswith("date,kind,received,decided,withdrawn,pending,emails_sent,emails_failed,"
                               "deadlines_approaching,deadlines_breached,opinions_published,overdue,processing_")
    assert lines[2].startswith("2025-06-17,complaint,1,0,0,1,0,0,0,0,0,0,0,0,0,,,")
    assert lines[-1].startswith("2025-06-17,total,1,0,0,1,")


def test_agency_days_close_at_the_closing_time():
    midnight = AgencyDays(CASABLANCA)
    start, end = midnight.bounds(date(2025, 1, 15))  # Morocco is UTC+1 outside Ramadan
    assert start.astimezone(UTC) == datetime(2025, 1, 14, 23, 0, tzinfo=UTC) and end - start == timedelta(hours=24)
    assert midnight.day_of(datetime(2025, 1, 14, 23, 30, tzinfo=UTC)) == date(2025, 1, 15)
    evening = AgencyDays(CASABLANCA, time(23, 30))  # closes the day it falls in
    assert evening.bounds(DAY) == (at(DAY - timedelta(days=1), 23) + timedelta(minutes=30),
                                   at(DAY, 23) + timedelta(minutes=30))
    assert evening.day_of(at(DAY, 23) + timedelta(minutes=45)) == DAY + timedelta(days=1)
    assert evening.last_closed(at(DAY, 23) + timedelta(minutes=31)) == DAY
    after_midnight = AgencyDays(CASABLANCA, time(0, 30))  # closes the previous day
    assert after_midnight.end(DAY) == at(DAY + timedelta(days=1), 0) + timedelta(minutes=30)
    assert after_midnight.day_of(at(DAY, 0) + timedelta(minutes=10)) == DAY - timedelta(days=1)
    assert after_midnight.last_closed(at(DAY, 0) + timedelta(minutes=10)) == DAY - timedelta(days=2)


def test_a_day_lasts_25_hours_when_morocco_turns_its_clock_back_for_ramadan():
    start, end = AgencyDays(CASABLANCA).bounds(date(2025, 2, 23))  # 03:00 became 02:00 that Sunday
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)


def test_days_to_build_catch_up_oldest_first_and_never_backfill_history():
    assert days_to_build(None, DAY, limit=31) == [DAY]
    assert days_to_build(DAY - timedelta(days=3), DAY, limit=31) == [DAY - timedelta(days=2),
                                                                       DAY - timedelta(days=1), DAY]
    assert days_to_build(DAY, DAY, limit=31) == []
    assert days_to_build(DAY - timedelta(days=100), DAY, limit=2) == [DAY - timedelta(days=1), DAY]


def _envelope(data, subject="T-1"):
    return Envelope.new(data, source="test", subject=subject, correlation_id="corr-1")


def test_an_entry_keeps_no_personal_data():
    data = SubmissionReceived(
        tracking_number="AU-2025-000001", kind="complaint", received_at=datetime.now(UTC),
        applicant=Applicant(full_name="Fatima Zahra", email="fz@example.ma", phone="+212600000000", language="ar"),
        details={"cin": "AB123456", "message": "le voisin construit sans autorisation"},
    )
    entry = entry_from(_envelope(data, "AU-2025-000001"))
    assert (entry.type, entry.kind, entry.status) == ("submission.received.v1", "complaint", "received")
    assert entry.tracking_number == "AU-2025-000001"
    text = repr(entry)
    for personal in ("Fatima", "fz@example.ma", "+212600000000", "AB123456", "voisin"):
        assert personal not in text


def test_an_entry_keeps_the_outcome_version_and_status_of_a_decision_but_not_its_text():
    data = ReviewDecided(task_id=uuid4(), tracking_number="AU-1", kind="pre_study", status=Status.DECIDED,
                         version=4, outcome="approved", text="Avis favorable pour M. Alaoui")
    entry = entry_from(_envelope(data, "AU-1"))
    assert entry.status == "decided"
    assert entry.details == {"outcome": "approved", "version": 4}


def test_an_entry_leaves_out_assignees_and_error_texts():
    claimed = entry_from(_envelope(ReviewClaimed(task_id=uuid4(), tracking_number="AU-1", kind="complaint",
                                                 status=Status.IN_REVIEW, version=2, assignee="k.bennani")))
    assert "k.bennani" not in repr(claimed)
    failed = entry_from(_envelope(NotificationFailed(
        delivery_id=uuid4(), tracking_number="AU-1", template="receipt", language="fr", cause_event_id=uuid4(),
        error="550 mailbox fz@example.ma unknown")))
    assert failed.kind is None and failed.details == {"template": "receipt", "language": "fr"}
    assert "fz@example.ma" not in repr(failed)


def test_deadline_opinion_and_step_entries_keep_their_codes_but_no_motive():
    breached = entry_from(_envelope(ReviewDeadlineBreached(
        task_id=uuid4(), tracking_number="AU-1", kind="building_permit", status=Status.IN_REVIEW, version=5,
        deadline="to_committee", due_at=datetime(2025, 6, 9, 22, 59, 59, tzinfo=UTC))))
    assert breached.status == "in_review"
    assert breached.details == {"deadline": "to_committee", "version": 5, "due_at": "2025-06-09T22:59:59Z"}
    published = entry_from(_envelope(CommitteeOpinionPublished(
        task_id=uuid4(), tracking_number="AU-1", kind="building_permit", status=Status.DECIDED, version=8,
        opinion="unfavourable", motive="Non conforme au plan d'aménagement, voir M. Tazi",
        session_date=date(2025, 6, 12))))
    assert published.details == {"opinion": "unfavourable", "version": 8, "session_date": "2025-06-12"}
    assert "Tazi" not in repr(published)
    step = entry_from(_envelope(ReviewStepRecorded(
        task_id=uuid4(), tracking_number="AU-2", kind="supplier_invoice", status=Status.IN_REVIEW, version=4,
        step="verified", note="vérifiée par Mme Alami")))
    assert step.details == {"step": "verified", "version": 4} and "Alami" not in repr(step)
    contested = entry_from(_envelope(SubmissionContested(tracking_number="AU-1", kind="building_permit",
                                                         motive="Je conteste, M. Tazi")))
    assert contested.status == "queued" and "Tazi" not in repr(contested)


def test_event_name_drops_the_version():
    assert event_name("review.decided.v1") == "review.decided"
    assert event_name("review.decided.v12") == "review.decided"


def test_queue_overview_adds_up_retry_queues_and_parked_messages():
    spec = queues_of("review")[0]
    broker_queues = [
        {"name": spec.name, "messages_ready": 3, "messages_unacknowledged": 1, "consumers": 2},
        {"name": spec.retry(1), "messages_ready": 2, "messages_unacknowledged": 0},
        {"name": spec.retry(2), "messages_ready": 1},
        {"name": spec.parked, "messages_ready": 4, "messages_unacknowledged": 1},
        {"name": "someone.else", "messages_ready": 99},
    ]
    states = {state.name: state for state in overview(TOPOLOGY, broker_queues)}
    assert set(states) == {s.name for s in TOPOLOGY}
    review = states[spec.name]
    assert (review.messages_ready, review.messages_unacknowledged, review.consumers) == (3, 1, 2)
    assert (review.retrying, review.parked) == (3, 5)
    assert states["lamadi.reporting.entries"].parked == 0  # unknown to the broker yet: empty
