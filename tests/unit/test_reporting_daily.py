"""Reporting's pure logic: what an event leaves behind, how a day adds up, the queue view."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from services.reporting.domain.daily_report import CountRow, build_daily_report, day_bounds, to_csv, today
from services.reporting.domain.entries import entry_from, event_name
from services.reporting.domain.queue_overview import overview
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
DAY = date(2025, 6, 10)


def row(kind, name, on_day, up_to_end):
    return CountRow(kind=kind, type=f"{name}.v1", on_day=on_day, up_to_end=up_to_end)


def test_counts_on_the_day_per_kind_and_pending_up_to_the_end_of_the_day():
    rows = [
        row("complaint", "submission.received", 3, 10),
        row("complaint", "review.decided", 2, 6),
        row("complaint", "submission.withdrawn", 1, 1),
        row("complaint", "notification.sent", 4, 20),
        row("complaint", "notification.failed", 1, 1),
        row("pre_study", "submission.received", 1, 1),
    ]
    report = build_daily_report(DAY, CASABLANCA, rows)
    by_kind = {counts.kind: counts for counts in report.kinds}
    complaint = by_kind["complaint"]
    assert (complaint.received, complaint.decided, complaint.withdrawn) == (3, 2, 1)
    assert complaint.pending == 10 - 6 - 1
    assert (complaint.emails_sent, complaint.emails_failed) == (4, 1)
    assert by_kind["pre_study"].pending == 1 and by_kind["pre_study"].decided == 0
    assert report.totals == {"received": 4, "decided": 2, "withdrawn": 1, "pending": 4,
                             "emails_sent": 4, "emails_failed": 1, "deadlines_approaching": 0,
                             "deadlines_breached": 0, "opinions_published": 0}


def test_deadline_alerts_and_published_opinions_are_counted_per_kind_on_the_day():
    rows = [
        row("building_permit", "review.deadline_approaching", 2, 5),
        row("building_permit", "review.deadline_breached", 1, 3),
        row("building_permit", "committee.opinion_published", 3, 4),
        row("complaint", "review.deadline_breached", 0, 2),
        row("complaint", "review.deadline_approaching", 1, 1),
    ]
    report = build_daily_report(DAY, CASABLANCA, rows)
    by_kind = {counts.kind: counts for counts in report.kinds}
    permit, complaint = by_kind["building_permit"], by_kind["complaint"]
    assert (permit.deadlines_approaching, permit.deadlines_breached, permit.opinions_published) == (2, 1, 3)
    assert (complaint.deadlines_approaching, complaint.deadlines_breached, complaint.opinions_published) == (1, 0, 0)
    assert (report.totals["deadlines_approaching"], report.totals["deadlines_breached"],
            report.totals["opinions_published"]) == (3, 1, 3)
    assert report.totals["decided"] == 0 and permit.pending == 0  # alerts and opinions are no decision


def test_a_contest_reopens_a_decided_file_until_its_next_decision():
    reopened = build_daily_report(DAY, CASABLANCA, [
        row("building_permit", "submission.received", 0, 1),
        row("building_permit", "review.decided", 0, 1),
        row("building_permit", "submission.contested", 1, 1),
    ])
    assert reopened.kinds[0].pending == 1
    decided_again = build_daily_report(DAY, CASABLANCA, [
        row("building_permit", "submission.received", 0, 1),
        row("building_permit", "review.decided", 1, 2),
        row("building_permit", "submission.contested", 0, 1),
    ])
    assert decided_again.kinds[0].pending == 0


def test_a_kind_with_only_older_activity_still_shows_its_pending_files():
    report = build_daily_report(DAY, CASABLANCA, [row("building_permit", "submission.received", 0, 5)])
    [counts] = report.kinds
    assert counts.received == 0 and counts.pending == 5


def test_events_not_counted_are_left_out_and_versions_are_added_together():
    rows = [
        row("complaint", "review.claimed", 7, 7),
        CountRow("complaint", "submission.received.v1", 1, 1),
        CountRow("complaint", "submission.received.v2", 2, 2),
    ]
    report = build_daily_report(DAY, CASABLANCA, rows)
    assert [c.kind for c in report.kinds] == ["complaint"]
    assert report.kinds[0].received == 3
    assert report.totals["decided"] == 0


def test_pending_never_goes_below_zero():
    report = build_daily_report(DAY, CASABLANCA, [row("complaint", "review.decided", 1, 3)])
    assert report.kinds[0].pending == 0


def test_emails_about_no_kind_are_a_line_of_their_own_listed_last():
    rows = [row(None, "notification.sent", 2, 2), row("complaint", "notification.sent", 1, 1)]
    report = build_daily_report(DAY, CASABLANCA, rows)
    assert [c.kind for c in report.kinds] == ["complaint", None]
    assert report.totals["emails_sent"] == 3


def test_an_empty_day_has_zero_totals():
    report = build_daily_report(DAY, CASABLANCA, [])
    assert report.kinds == [] and set(report.totals.values()) == {0}
    assert report.as_dict()["date"] == "2025-06-10"


def test_the_day_runs_midnight_to_midnight_agency_time():
    start, end = day_bounds(date(2025, 1, 15), CASABLANCA)  # Morocco is UTC+1 outside Ramadan
    assert start.astimezone(UTC) == datetime(2025, 1, 14, 23, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=24)
    # Late evening UTC is already the next day in Casablanca.
    assert today(CASABLANCA, datetime(2025, 1, 14, 23, 30, tzinfo=UTC)) == date(2025, 1, 15)


def test_csv_has_a_header_one_line_per_kind_and_a_total_line():
    rows = [row("complaint", "submission.received", 2, 2), row(None, "notification.sent", 1, 1)]
    rows.append(row("complaint", "review.deadline_breached", 1, 1))
    lines = to_csv(build_daily_report(DAY, CASABLANCA, rows)).splitlines()
    assert lines[0] == ("date,kind,received,decided,withdrawn,pending,emails_sent,emails_failed,"
                        "deadlines_approaching,deadlines_breached,opinions_published")
    assert lines[1] == "2025-06-10,complaint,2,0,0,2,0,0,0,1,0"
    assert lines[2] == "2025-06-10,,0,0,0,0,1,0,0,0,0"
    assert lines[3] == "2025-06-10,total,2,0,0,2,1,0,0,1,0"


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
