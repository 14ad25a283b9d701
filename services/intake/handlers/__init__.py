"""Intake's application logic, each ``verb_noun(message, uow, deps)``."""

from services.intake.handlers.drafts import (
    add_draft_documents,
    file_draft,
    purge_expired_drafts,
    save_draft,
    show_draft,
    update_draft,
)
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
    "add_draft_documents", "file_draft", "purge_expired_drafts", "save_draft", "show_draft", "update_draft",
    "contest_decision", "file_submission", "follow_notification", "follow_published_opinion", "follow_review",
    "list_opinions", "respond_to_observations", "show_filing", "show_receipt", "withdraw_filing",
]
