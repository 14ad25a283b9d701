"""What applicants, Open311 clients and operators ask of intake (imperative names; the handlers
carry them out)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.intake.domain.documents import CheckedDocument
from services.intake.domain.drafts import DraftIn
from services.intake.domain.filings import Filing


@dataclass(frozen=True)
class FileSubmission:
    filing: Filing
    documents: list[CheckedDocument]
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ShowFiling:
    """The applicant's own filing: reached with its tracking number and access token only."""

    tracking_number: str
    access_token: str | None


@dataclass(frozen=True)
class ShowIssuedDocument(ShowFiling):
    """One of the documents the agency issued for the filing (its receipt: ``code`` None)."""

    code: str | None = None


@dataclass(frozen=True)
class RespondToObservations(ShowFiling):
    message: str
    documents: list[CheckedDocument]


@dataclass(frozen=True)
class WithdrawFiling(ShowFiling):
    reason: str | None = None


@dataclass(frozen=True)
class ContestDecision(ShowFiling):
    motive: str


@dataclass(frozen=True)
class ListOpinions:
    kind: str | None
    limit: int
    offset: int
    published_from: date | None = None  # agency-local days, both included
    published_to: date | None = None


# --- drafts (save and resume) ------------------------------------------------------------------

@dataclass(frozen=True)
class SaveDraft:
    draft: DraftIn


@dataclass(frozen=True)
class DraftCommand:
    """Anything done to a draft: reached with its id and resume token only."""

    draft_id: UUID
    token: str | None


@dataclass(frozen=True)
class UpdateDraft(DraftCommand):
    data: dict[str, Any]


@dataclass(frozen=True)
class AddDraftDocuments(DraftCommand):
    documents: list[CheckedDocument]


@dataclass(frozen=True)
class FileDraft(DraftCommand):
    pass


@dataclass(frozen=True)
class PurgeExpiredDrafts:
    pass


# --- Open311 ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FileServiceRequest:
    """An Open311 client files a complaint: its key, the form's fields (each name with its
    values), the answer's language, and the media already checked and kept as evidence."""

    api_key: str | None
    fields: Mapping[str, list[str]]
    language: str
    documents: list[CheckedDocument]


@dataclass(frozen=True)
class ListServiceRequests:
    """GET requests: None filters nothing. Dates bound ``requested_datetime``."""

    numbers: list[str] | None
    codes: list[str] | None
    statuses: list[str] | None
    since: datetime | None
    until: datetime | None
    limit: int
    offset: int


@dataclass(frozen=True)
class ListOpenComplaints:
    limit: int
    offset: int


@dataclass(frozen=True)
class AuthenticateClient:
    api_key: str | None


@dataclass(frozen=True)
class AddClientKey:
    name: str


@dataclass(frozen=True)
class RevokeClientKey:
    name: str


@dataclass(frozen=True)
class ListClientKeys:
    pass
