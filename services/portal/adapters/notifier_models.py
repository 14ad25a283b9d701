"""What the portal uses of the notifier's answers: the email deliveries the operations pages list
(services/notifier/api/deliveries.py), and the register of issued documents the verification
pages and a task's page show (services/notifier/api/documents.py)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class NotifierAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Delivery(NotifierAnswer):
    id: UUID
    template: str
    recipient: str | None = None  # hidden from roles that do not see the applicant's personal data
    tracking_number: str
    status: str
    attempts: int
    last_error: str | None = None
    created_at: datetime


class DeliveryPage(NotifierAnswer):
    items: list[Delivery]
    total: int


class IssuedDocument(NotifierAnswer):
    """A document the agency issued, as the register describes it to anyone holding its code: the
    holder's name comes masked (initials) from the notifier, and nothing else of the applicant."""

    code: str
    kind: str = Field(validation_alias=AliasChoices("document", "kind"))  # document_kinds
    reference: str  # the tracking number, or the daily report's day (YYYY-MM-DD)
    issued_at: datetime
    holder: str | None = None
    sha256: str
    signer: str | None = None  # the seal's subject; None: issued unsealed
    sealed_at: datetime | None = None
    timestamped: bool = False
    state: str  # document_states
    revoked_reason: str | None = None
    revoked_at: datetime | None = None
    replaces: str | None = None  # the code of the document this one replaces…
    replaced_by: str | None = None  # …and of the one that replaces it

    @property
    def sealed(self) -> bool:
        return self.signer is not None

    @property
    def is_day(self) -> bool:
        """The daily report is issued for a day, every other document for a filing."""
        return self.kind == "daily_report"


class IssuedDocuments(NotifierAnswer):
    items: list[IssuedDocument]


class Verdict(NotifierAnswer):
    """What the notifier says of a PDF: authentic, altered or unknown (verification_verdicts), why
    (verification_reasons), and the issued document it claims to be, when the register has it."""

    verdict: str
    reason: str
    document: IssuedDocument | None = None
