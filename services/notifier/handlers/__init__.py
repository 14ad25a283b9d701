"""The notifier's application logic, each ``verb_noun(message, uow, deps)``: applicant emails,
staff alerts, the daily report, the delivery ledger (operators' list and resend), and the
register of issued documents. The
ledger's own steps are helpers of the private ``_ledger.py``."""

from services.notifier.handlers.applicant import (
    send_committee_adjourned,
    send_contest_received,
    send_decision,
    send_draft_link,
    send_invoice_step,
    send_observations,
    send_receipt,
    send_withdrawal,
)
from services.notifier.handlers.deliveries import list_deliveries, record_failed_deliveries, resend_delivery
from services.notifier.handlers.documents import (
    correct_information_note,
    list_documents,
    revoke_document,
    show_document,
    verify_document,
)
from services.notifier.handlers.reports import send_daily_report, show_report_recipients
from services.notifier.handlers.staff import send_staff_alert

__all__ = [
    "correct_information_note", "list_documents", "revoke_document", "show_document", "verify_document",
    "list_deliveries", "record_failed_deliveries", "resend_delivery", "send_committee_adjourned",
    "send_contest_received", "send_daily_report", "send_decision", "send_draft_link", "send_invoice_step",
    "send_observations", "send_receipt", "send_staff_alert", "send_withdrawal", "show_report_recipients",
]
