"""What an applicant asks of intake (imperative names; the handlers carry them out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.intake.domain.documents import CheckedDocument
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
