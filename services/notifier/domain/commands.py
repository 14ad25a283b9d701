"""What operators ask of the notifier (imperative names; the handlers carry them out). The
events it consumes are its other messages (shared/events.py)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class ListDeliveries:
    """The delivery ledger, newest first, as ``roles`` may see it."""

    roles: frozenset[str]
    tracking_number: str | None
    status: str | None
    template: str | None
    limit: int
    offset: int


@dataclass(frozen=True)
class ResendDelivery:
    """Send a delivery's email again now, with the same content and Message-ID."""

    delivery_id: UUID
    roles: frozenset[str]


@dataclass(frozen=True)
class ShowReportRecipients:
    """Where the daily report is emailed (the Directorate's addresses, LAMADI_DIRECTORATE_EMAILS)."""


@dataclass(frozen=True)
class ShowDocument:
    """An issued document's public record, by its verification code."""

    code: str


@dataclass(frozen=True)
class ListDocuments:
    """A filing's (or a day's) issued documents, for staff who may read that kind."""

    reference: str
    roles: frozenset[str]


@dataclass(frozen=True)
class VerifyDocument:
    """What a PDF someone holds is: authentic, altered or unknown."""

    content: bytes
    sha256: str


@dataclass(frozen=True)
class RevokeDocument:
    code: str
    reason: str
    roles: frozenset[str]
    actor: str


@dataclass(frozen=True)
class CorrectInformationNote:
    """Issue a corrected information note in place of ``code`` (revoked, pointing to the new)."""

    code: str
    facts: dict
    reason: str
    roles: frozenset[str]
    actor: str
