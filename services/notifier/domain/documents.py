"""The register's rules: what a document is called, how its holder is shown, and what a PDF
someone dropped on the verification page is (authentic, altered or unknown, and why)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from services.notifier.domain.errors import DocumentNotCorrectable, DocumentRevokedAlready

REPORT_DOCUMENT_KIND = "daily_report"  # a report's document is of no filing's kind


class DocumentName(StrEnum):
    RECEIPT = "receipt"
    INFORMATION_NOTE = "information_note"
    DECISION_LETTER = "decision_letter"
    DAILY_REPORT = "daily_report"


class Verdict(StrEnum):
    AUTHENTIC = "authentic"
    ALTERED = "altered"
    UNKNOWN = "unknown"


class DocumentState(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


# Why a verdict was given: the verification_reasons of shared/vocabulary.toml.
REASONS = ("issued_and_sealed", "issued_unsealed", "seal_broken", "bytes_differ", "untrusted_seal", "no_seal",
           "not_a_pdf", "not_issued")


def masked(full_name: str | None) -> str | None:
    """The holder as the public page shows them: the first letter of each word ("F. Z. A."),
    never the name."""
    words = [word for word in re.split(r"[\s\-]+", full_name or "") if word]
    return " ".join(f"{word[0].upper()}." for word in words) or None


@dataclass(frozen=True)
class SealFacts:
    """What the seal of a dropped PDF says (shared/seal.py's check, reduced to what matters here)."""

    sealed: bool
    intact: bool  # the signed bytes hash to the seal's digest, and the seal covers the whole file
    trusted: bool  # the signer chains to a configured trust root


def verdict_of(*, same_bytes_as_issued: bool, claims_a_document: bool, sealed_when_issued: bool,
               seal: SealFacts | None) -> tuple[Verdict, str]:
    """The verdict and its reason (a verification_reasons code of shared/vocabulary.toml).

    ``same_bytes_as_issued``: its sha256 is a registered document's; ``claims_a_document``: it
    names a registered code (its metadata) without being its bytes; ``seal``: None for bytes
    that are no PDF."""
    if seal is None:
        return Verdict.UNKNOWN, "not_a_pdf"
    if seal.sealed and not seal.intact:
        return Verdict.ALTERED, "seal_broken"
    if same_bytes_as_issued:
        if not sealed_when_issued:
            return Verdict.AUTHENTIC, "issued_unsealed"
        if seal.trusted:
            return Verdict.AUTHENTIC, "issued_and_sealed"
        return Verdict.UNKNOWN, "untrusted_seal"  # the trust roots changed since it was issued
    if claims_a_document:
        return Verdict.ALTERED, "bytes_differ"
    if seal.sealed and not seal.trusted:
        return Verdict.UNKNOWN, "untrusted_seal"
    return Verdict.UNKNOWN, "no_seal" if not seal.sealed else "not_issued"


def ensure_revocable(state: str) -> None:
    if state == DocumentState.REVOKED:
        raise DocumentRevokedAlready("This document is revoked already.")


def ensure_correctable(document: str, state: str) -> None:
    if document != DocumentName.INFORMATION_NOTE:
        raise DocumentNotCorrectable("Only an information note is corrected by a new document.")
    ensure_revocable(state)
