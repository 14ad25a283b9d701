from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from services.intake.domain import idempotency
from services.intake.domain.documents import detect_type, safe_name
from services.intake.domain.filings import FILING
from services.intake.domain.identifiers import hash_token, new_tracking_number, token_matches
from services.intake.domain.public_status import status_after_decision_email, status_after_review_event
from shared.lifecycle import Status
from tests.files import MINIMAL_PDF, TINY_PNG, complaint


def test_tracking_numbers_are_random_and_readable():
    numbers = {new_tracking_number(datetime(2026, 11, 28, tzinfo=UTC)) for _ in range(1000)}
    assert len(numbers) == 1000
    assert all(n.startswith("AU-2026-") and not set(n[8:]) & set("ILOU") for n in numbers)


def test_token_check_compares_hashes():
    stored = hash_token("secret-token")
    assert token_matches("secret-token", stored)
    assert not token_matches("other", stored) and not token_matches(None, stored)


def test_types_come_from_magic_bytes_not_names():
    assert detect_type(MINIMAL_PDF) == "application/pdf"
    assert detect_type(TINY_PNG) == "image/png"
    assert detect_type(b"%not a pdf at all") is None
    assert detect_type(b"MZ\x90\x00executable") is None


@pytest.mark.parametrize("given, expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\Users\\x\\plan.pdf", "plan.pdf"), ("", "document-3.pdf"),
    ("..", "document-3.pdf"), ("plan<>:?.pdf", "plan.pdf"),
])
def test_names_are_sanitised(given, expected):
    assert safe_name(given, "application/pdf", 3) == expected


def test_idempotent_answers_are_sealed_with_the_key():
    sealed = idempotency.seal("key-1", {"access_token": "t"})
    assert b"access_token" not in sealed
    assert idempotency.unseal("key-1", sealed) == {"access_token": "t"}
    with pytest.raises(ValueError):
        idempotency.unseal("key-2", sealed)


def test_a_complaint_parses_and_a_bad_cin_does_not():
    filing = FILING.validate_python(complaint(cin="AB123456"))
    assert filing.kind == "complaint" and "applicant" not in filing.details()
    with pytest.raises(ValidationError):
        FILING.validate_python(complaint(cin="123"))


def test_public_status_moves_forward_only():
    assert status_after_review_event(Status.RECEIVED, 0, Status.IN_REVIEW, 2, False) == Status.IN_REVIEW
    assert status_after_review_event(Status.IN_REVIEW, 2, Status.QUEUED, 1, False) is None
    assert status_after_review_event(Status.WITHDRAWN, 2, Status.IN_REVIEW, 3, False) is None
    assert status_after_review_event(Status.IN_REVIEW, 3, Status.DECIDED, 4, True) == Status.CLOSED
    assert status_after_decision_email(Status.DECIDED) == Status.CLOSED
    assert status_after_decision_email(Status.IN_REVIEW) is None
