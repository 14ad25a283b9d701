from datetime import UTC, datetime
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.intake.domain import catalogue as intake_catalogue
from services.intake.domain import idempotency
from services.intake.domain.catalogue import (
    catalogue_view,
    check_covers,
    document_fields,
    missing_documents,
    unknown_fields,
)
from services.intake.domain.documents import safe_name
from services.intake.domain.filings import FILING, KINDS
from services.intake.domain.follow_ups import contest_refusal, previous_pre_study_refusal
from services.intake.domain.identifiers import hash_token, new_tracking_number, token_matches
from services.intake.domain.public_status import (
    HIDDEN_STEPS,
    decision_of,
    public_decision,
    public_detail,
    status_after_decision_email,
    status_after_review_event,
    step_of,
)
from shared.blobs import detect_type
from shared.catalogue import default_catalogue
from shared.lifecycle import Status
from tests.files import MINIMAL_PDF, REQUIRED_DOCUMENTS, TINY_PNG, complaint, filing


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


def test_closed_is_final_unless_the_decision_was_contested_and_withdrawn_always_is():
    assert status_after_review_event(Status.CLOSED, 5, Status.QUEUED, 6, False) is None
    assert status_after_review_event(Status.CLOSED, 5, Status.QUEUED, 6, False, contested=True) == Status.QUEUED
    assert status_after_review_event(Status.CLOSED, 5, Status.QUEUED, 5, False, contested=True) is None
    assert status_after_review_event(Status.WITHDRAWN, 5, Status.QUEUED, 6, False, contested=True) is None


def test_the_catalogue_view_takes_labels_documents_and_deadlines_from_the_shared_catalogue():
    shared = default_catalogue()
    view = {entry["kind"]: entry for entry in catalogue_view(shared)}
    assert set(view) == set(KINDS)
    note = view["information_note"]
    assert note["labels"] == {"fr": shared.kind("information_note").fr, "ar": "مذكرة المعلومات التعميرية"}
    assert [d["code"] for d in note["required_documents"]] == ["cin_copy", "property_proof", "situation_plan"]
    assert note["required_documents"][0]["ar"] == "نسخة من البطاقة الوطنية للتعريف"
    assert note["deadlines"] == [{"name": "decision", "days": 10, "unit": "working_days",
                                  "met_when": ["decided", "closed"], "applies_if": {}}]
    assert note["review_path"] == "reviewer" and note["outcomes"] == ["note_issued", "rejected"]
    assert view["building_permit"]["review_path"] == "committee"
    assert [d["code"] for d in view["complaint"]["optional_documents"]] == ["evidence"]
    assert "previous_tracking_number" in view["pre_study"]["fields"]
    assert "cin" in note["$defs"]["Owner"]["required"]
    for kind, codes in REQUIRED_DOCUMENTS.items():
        assert [d["code"] for d in view[kind]["required_documents"]] == codes
    # Labels live only in shared/catalogue.toml.
    assert not hasattr(intake_catalogue, "LABELS")


def test_a_catalogue_missing_a_kind_is_refused():
    partial = default_catalogue().model_copy(deep=True)
    del partial.kinds["supplier_invoice"]
    with pytest.raises(ValueError, match="supplier_invoice"):
        check_covers(partial)


def test_document_rules_name_missing_and_unknown_fields():
    permit = default_catalogue().kind("building_permit")
    assert missing_documents(permit, ["situation_plan", "documents"]) == [
        "architectural_plans", "property_proof", "architect_contract"]
    assert missing_documents(default_catalogue().kind("complaint"), []) == []
    accepted = document_fields(permit)
    assert "documents" in accepted and "architect_contract" in accepted
    assert unknown_fields(["situation_plan", "photo", "invoice", "photo"], accepted) == ["invoice", "photo"]


def test_an_information_note_needs_the_owners_cin():
    with pytest.raises(ValidationError) as refused:
        FILING.validate_python(filing("information_note", applicant={"cin": None}))
    [error] = refused.value.errors()
    assert error["loc"] == ("information_note", "applicant", "cin") and "CIN" in error["msg"]
    assert FILING.validate_python(filing("information_note")).applicant.cin == "AB123456"
    assert FILING.validate_python(filing("complaint")).applicant.cin is None  # others may omit it


def test_only_a_pre_study_names_a_previous_filing_and_it_stays_out_of_the_details():
    linked = FILING.validate_python(filing("pre_study", previous_tracking_number="AU-2026-ABCDE-12345"))
    assert linked.previous == "AU-2026-ABCDE-12345" and "previous_tracking_number" not in linked.details()
    with pytest.raises(ValidationError):
        FILING.validate_python(filing("pre_study", previous_tracking_number="not a number"))
    with pytest.raises(ValidationError):
        FILING.validate_python(filing("building_permit", previous_tracking_number="AU-2026-ABCDE-12345"))


@pytest.mark.parametrize("previous, refused", [
    (None, "No filing of yours"),
    ({"kind": "pre_study", "status": "closed", "email": "other@example.ma"}, "No filing of yours"),
    ({"kind": "building_permit", "status": "closed", "email": "amina@example.ma"}, "not a pre-study"),
    ({"kind": "pre_study", "status": "in_review", "email": "amina@example.ma"}, "not decided"),
    ({"kind": "pre_study", "status": "decided", "email": "Amina@Example.ma"}, None),
    ({"kind": "pre_study", "status": "closed", "email": "amina@example.ma"}, None),
])
def test_a_pre_study_links_only_a_decided_pre_study_of_the_same_applicant(previous, refused):
    answer = previous_pre_study_refusal(previous, "amina@example.ma")
    assert answer is None if refused is None else refused in answer


REJECTED = {"outcome": "rejected", "text": "Défavorable"}


@pytest.mark.parametrize("path, status, decision, contested, refused", [
    ("committee", "closed", REJECTED, False, None),
    ("committee", "decided", REJECTED, False, None),
    ("committee", "closed", REJECTED, True, "already contested"),
    ("reviewer", "closed", {"outcome": "rejected", "text": "Non"}, False, "Only committee decisions"),
    ("committee", "in_committee", None, False, "Only a decided filing"),
    ("committee", "closed", {"outcome": "approved", "text": "Favorable"}, False, "Only a rejected"),
])
def test_only_a_rejected_committee_decision_can_be_contested_once(path, status, decision, contested, refused):
    answer = contest_refusal(review_path=path, status=status, decision=decision, contested=contested)
    assert answer is None if refused is None else refused in answer


def test_public_steps_never_carry_staff_names():
    assert step_of("review.task_queued.v1") == "queued"
    assert step_of("committee.opinion_published.v1") == "opinion_published"
    assert "opinion_recorded" in HIDDEN_STEPS
    assert public_detail("claimed", {"assignee": "reviewer-fatima"}) == {}
    published = public_detail("opinion_published", {"opinion": "unfavourable", "motive": "Hauteur dépassée",
                                                    "session_date": "2026-11-30", "member": "m-1"})
    assert published == {"opinion": "unfavourable", "motive": "Hauteur dépassée", "session_date": "2026-11-30"}
    assert public_detail("step_recorded", {"step": "verified", "note": "par Karim"}) == {"step": "verified"}


def test_a_decision_keeps_its_kind_extras_and_hides_its_event_id():
    stored = decision_of({"outcome": "observations_issued", "text": "Voir", "preliminary_observations": ["Recul"],
                          "note": None}, datetime(2026, 11, 28, tzinfo=UTC), uuid4())
    assert stored["preliminary_observations"] == ["Recul"] and "note" not in stored and "event_id" in stored
    assert "event_id" not in public_decision(stored) and public_decision(None) is None
