"""Routing key -> handler, for each of the notifier's work queues (their bindings in
shared/messaging/topology.py are exactly these keys)."""

from __future__ import annotations

from services.notifier import handlers
from shared import events
from shared.runtime import Subscription

SUBSCRIPTIONS = [
    Subscription(
        "applicant-emails",
        {
            events.SubmissionReceived.TYPE: handlers.send_receipt,
            events.ReviewObservationsIssued.TYPE: handlers.send_observations,
            events.ReviewDecided.TYPE: handlers.send_decision,
            events.SubmissionWithdrawn.TYPE: handlers.send_withdrawal,
            events.ReviewStepRecorded.TYPE: handlers.send_invoice_step,
            events.CommitteeOpinionPublished.TYPE: handlers.send_committee_adjourned,
            events.SubmissionContested.TYPE: handlers.send_contest_received,
            events.DraftSaved.TYPE: handlers.send_draft_link,
        },
        on_exhausted=handlers.record_failed_deliveries,
    ),
    Subscription(
        "staff-alerts",
        {
            events.ReviewDeadlineApproaching.TYPE: handlers.send_staff_alert,
            events.ReviewDeadlineBreached.TYPE: handlers.send_staff_alert,
            events.ReportDailyPublished.TYPE: handlers.send_daily_report,
        },
        on_exhausted=handlers.record_failed_deliveries,
    ),
]
