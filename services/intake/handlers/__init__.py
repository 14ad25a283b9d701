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
    show_issued_document,
    withdraw_filing,
)
from services.intake.handlers.follow import (
    follow_issued_document,
    follow_notification,
    follow_published_opinion,
    follow_review,
)
from services.intake.handlers.open311 import (
    add_client_key,
    authenticate_client,
    file_service_request,
    list_client_keys,
    list_open_complaints,
    list_service_requests,
    revoke_client_key,
)

__all__ = [
    "add_client_key", "add_draft_documents", "authenticate_client", "contest_decision", "file_draft",
    "file_service_request", "file_submission", "follow_issued_document", "follow_notification", "follow_published_opinion", "follow_review",
    "list_client_keys", "list_open_complaints", "list_opinions", "list_service_requests", "purge_expired_drafts",
    "respond_to_observations", "revoke_client_key", "save_draft", "show_draft", "show_filing", "show_issued_document",
    "update_draft", "withdraw_filing",
]
