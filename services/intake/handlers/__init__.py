"""Intake's application logic, each ``verb_noun(message, uow, deps)``."""

from services.intake.handlers.filings import (
    contest_decision,
    file_submission,
    list_opinions,
    respond_to_observations,
    show_filing,
    show_receipt,
    withdraw_filing,
)
from services.intake.handlers.follow import follow_notification, follow_published_opinion, follow_review

__all__ = [
    "contest_decision", "file_submission", "follow_notification", "follow_published_opinion", "follow_review",
    "list_opinions", "respond_to_observations", "show_filing", "show_receipt", "withdraw_filing",
]
