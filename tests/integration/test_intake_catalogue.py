"""Intake against the real PostgreSQL and RabbitMQ: the catalogue endpoint, and every kind
filed with the documents its catalogue entry requires (multipart, one part per type code)."""

from __future__ import annotations

import hashlib
import json

import pytest

from services.intake.settings import IntakeSettings
from shared.catalogue import DEFAULT_PATH, default_catalogue
from tests.files import MINIMAL_PDF, REQUIRED_DOCUMENTS, filing, multipart, pdf
from tests.in_process import served
from tests.support import count

KINDS = list(REQUIRED_DOCUMENTS)


def kept_files(intake) -> list:
    return [p for p in intake.settings.documents_dir.rglob("*") if p.is_file()]


async def assert_nothing_stored(intake) -> None:
    assert await count(intake.pool, "submissions") == 0
    assert await count(intake.pool, "documents") == 0
    assert await count(intake.pool, "outbox") == 0
    assert kept_files(intake) == []


async def test_the_catalogue_lists_each_kind_with_labels_documents_deadlines_and_path(intake):
    response = await intake.client.get("/api/v1/catalogue")
    assert response.status_code == 200
    entries = {entry["kind"]: entry for entry in response.json()}
    shared = default_catalogue()
    assert set(entries) == set(KINDS)
    for kind, entry in entries.items():
        configured = shared.kind(kind)
        assert entry["labels"] == {"fr": configured.fr, "ar": configured.ar}
        assert entry["filed_by"] == configured.filed_by and entry["review_path"] == configured.review_path
        assert [d["code"] for d in entry["required_documents"]] == REQUIRED_DOCUMENTS[kind]
        assert all(d["fr"] and d["ar"] for d in entry["required_documents"] + entry["optional_documents"])
        assert entry["outcomes"] == configured.outcomes
        assert [rule["name"] for rule in entry["deadlines"]] == [rule.name for rule in configured.deadlines]
        assert "applicant" in entry["fields"] and "applicant" in entry["required"]
    permit = entries["building_permit"]
    assert {rule["days"] for rule in permit["deadlines"] if rule["name"] == "decision"} == {10, 25}
    assert permit["fields"]["project_size"]["enum"] == ["small", "large"]
    assert entries["supplier_invoice"]["fields"]["ice"]["type"] == "string"


@pytest.mark.parametrize("kind", KINDS)
async def test_each_kind_files_with_its_required_documents(intake, kind):
    response = await intake.client.post("/api/v1/submissions", **multipart(filing(kind)))
    assert response.status_code == 202, response.text
    tracking_number = response.json()["tracking_number"]
    rows = await intake.pool.fetch("SELECT type, sha256 FROM documents WHERE tracking_number = $1 ORDER BY id",
                                   tracking_number)
    assert [r["type"] for r in rows] == REQUIRED_DOCUMENTS[kind]
    assert [r["sha256"] for r in rows] == [hashlib.sha256(pdf(code)).hexdigest() for code in REQUIRED_DOCUMENTS[kind]]
    event = await intake.pool.fetchval("SELECT envelope FROM outbox")
    assert event["data"]["kind"] == kind
    assert [(d["type"], d["sha256"]) for d in event["data"]["documents"]] == [(r["type"], r["sha256"]) for r in rows]
    for row in rows:  # the blob store review reads: <dir>/<sha[:2]>/<sha>
        assert (intake.settings.documents_dir / row["sha256"][:2] / row["sha256"]).read_bytes() == pdf(row["type"])


async def test_extra_documents_are_kept_untyped_next_to_the_required_ones(intake):
    extra = [("documents", ("photo.pdf", MINIMAL_PDF, "application/pdf")),
             ("evidence", ("constat.pdf", pdf("constat"), "application/pdf"))]
    response = await intake.client.post("/api/v1/submissions", **multipart(filing("complaint"), extra=extra))
    assert response.status_code == 202, response.text
    rows = await intake.pool.fetch("SELECT name, type FROM documents ORDER BY id")
    assert [(r["name"], r["type"]) for r in rows] == [("photo.pdf", None), ("constat.pdf", "evidence")]


@pytest.mark.parametrize("kind, skip", [
    ("information_note", ("situation_plan",)),
    ("building_permit", ("architect_contract", "property_proof")),
    ("supplier_invoice", ("invoice",)),
])
async def test_a_missing_required_document_is_named_and_nothing_is_stored(intake, kind, skip):
    response = await intake.client.post("/api/v1/submissions", **multipart(filing(kind), skip=skip))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    labels = default_catalogue().documents
    missing = {error["field"]: error for error in problem["errors"]}
    assert set(missing) == set(skip)
    for code in skip:
        assert missing[code]["code"] == "missing_document"
        assert missing[code]["labels"] == {"fr": labels[code].fr, "ar": labels[code].ar}
        assert code in problem["detail"] and labels[code].ar in problem["detail"]
    await assert_nothing_stored(intake)


async def test_a_json_filing_of_a_kind_that_needs_documents_is_refused(intake):
    response = await intake.client.post("/api/v1/submissions", json=filing("pre_study"))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["project_file", "situation_plan"]
    await assert_nothing_stored(intake)


@pytest.mark.parametrize("field", ["photo", "invoice"])  # unknown anywhere; a code of another kind
async def test_a_document_under_an_unknown_field_is_refused(intake, field):
    extra = [(field, ("x.pdf", MINIMAL_PDF, "application/pdf"))]
    response = await intake.client.post("/api/v1/submissions", **multipart(filing("building_permit"), extra=extra))
    assert response.status_code == 422, response.text
    assert response.json()["title"] == "Unknown form fields"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "unknown_field")]
    await assert_nothing_stored(intake)


async def test_a_text_part_where_a_document_is_expected_is_refused(intake):
    payload = multipart(filing("supplier_invoice"), skip=("invoice",))
    payload["files"].append(("invoice", (None, "see attached", "text/plain")))
    response = await intake.client.post("/api/v1/submissions", **payload)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("invoice", "not_a_file")]
    await assert_nothing_stored(intake)


async def test_one_bad_file_among_good_ones_keeps_none_of_them(intake):
    extra = [("documents", ("notes.pdf", b"plain text, not a PDF\n" * 10, "application/pdf"))]
    response = await intake.client.post("/api/v1/submissions", **multipart(filing("building_permit"), extra=extra))
    assert response.status_code == 415
    assert response.json()["errors"][0]["field"] == "documents"
    await assert_nothing_stored(intake)


async def test_an_information_note_without_the_owners_cin_is_refused(intake):
    payload = filing("information_note")
    del payload["applicant"]["cin"]
    response = await intake.client.post("/api/v1/submissions", **multipart(payload))
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "body.information_note.applicant.cin" and "CIN" in error["message"]
    await assert_nothing_stored(intake)


async def test_an_invalid_ice_is_refused_before_any_document_is_kept(intake):
    response = await intake.client.post("/api/v1/submissions", **multipart(filing("supplier_invoice", ice="001561191000065")))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.supplier_invoice.ice"]
    await assert_nothing_stored(intake)


async def test_required_documents_are_configuration_not_code(env, tmp_path, monkeypatch):
    text = DEFAULT_PATH.read_text()
    assert text.count("required_documents = []") == 1  # the complaint's
    custom = tmp_path / "catalogue.toml"
    custom.write_text(text.replace("required_documents = []", 'required_documents = ["cin_copy"]'))
    monkeypatch.setenv("LAMADI_CATALOGUE_PATH", str(custom))
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path / "documents"))
    async with served("intake", IntakeSettings()) as intake:
        entries = {e["kind"]: e for e in (await intake.client.get("/api/v1/catalogue")).json()}
        assert [d["code"] for d in entries["complaint"]["required_documents"]] == ["cin_copy"]
        refused = await intake.client.post("/api/v1/submissions", json=filing("complaint"))
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "cin_copy"
        files = [("submission", (None, json.dumps(filing("complaint")), "application/json")),
                 ("cin_copy", ("cin.pdf", MINIMAL_PDF, "application/pdf"))]
        assert (await intake.client.post("/api/v1/submissions", files=files)).status_code == 202
