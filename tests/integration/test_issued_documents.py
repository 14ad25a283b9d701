"""Every document the agency issues is issued once, sealed and kept: the receipt a filer
downloads is the one the email carried, a resend sends those bytes again, and pyHanko's
validator finds each kind (receipt, decision letter, information note, daily report) intact,
valid and trusted by the tests' root, over the whole file. The register answers anyone with a
code (never the holder's name), tells a dropped PDF authentic, altered or unknown, and lets
staff who may revoke on the kind revoke a document or correct an information note."""

from __future__ import annotations

import hashlib

import pytest

from services.intake.settings import IntakeSettings
from services.notifier.settings import NotifierSettings
from services.reporting.settings import ReportingSettings
from shared.events import ReviewDecided
from shared.seal import check_seal
from tests.builders import received, review_event
from tests.in_process import served
from tests.support import emails_about, process_seal_kit, wait_until

NOTE = {"zoning": "منطقة سكنية", "allowed_height_m": 11.5, "setbacks": "أربعة أمتار", "servitudes": "لا شيء",
        "remarks": None}


@pytest.fixture
async def system(env, documents_dir, broker, mailcatcher, tmp_path, monkeypatch):
    """Intake, the notifier and reporting, sharing their stores as deployed."""
    monkeypatch.setenv("LAMADI_REPORT_FILES_DIR", str(tmp_path / "report-files"))
    monkeypatch.setenv("LAMADI_REPORT_CHECK_INTERVAL", "3600")
    async with served("intake", IntakeSettings()) as intake, served("notifier", NotifierSettings()) as notifier, \
            served("reporting", ReportingSettings()) as reporting:
        yield intake, notifier, reporting


def attachments_of(mail) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in mail.iter_attachments()}


async def sealed_soundly(pdf: bytes) -> bool:
    check = await check_seal(pdf, process_seal_kit().trust_roots)
    return check.sealed and check.intact and check.trusted and check.whole_file and check.reason is None


async def documents_of(notifier, reference: str) -> list[dict]:
    answer = await notifier.client.get("/api/v1/documents", params={"reference": reference},
                                       headers=notifier.auth("supervisor"))
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def verify(notifier, content: bytes) -> dict:
    answer = await notifier.client.post("/api/v1/documents/verification", content=content,
                                        headers={"Content-Type": "application/pdf"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def one_byte_changed(pdf: bytes) -> bytes:
    """The PDF with one byte of its first page's content changed (a digit of the tracking number)."""
    at = pdf.index(b"stream") + 200
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]


async def test_the_receipt_is_issued_once_sealed_and_the_same_bytes_everywhere(system, mailcatcher):
    intake, notifier, _ = system
    body = await intake.file("building_permit")
    tn, headers = body["tracking_number"], {"X-Access-Token": body["access_token"]}
    mail = await wait_until(lambda: next(iter(emails_about(mailcatcher, tn)), None), message="the receipt email")
    [(filename, emailed)] = attachments_of(mail).items()
    assert filename == f"recepisse-{tn}.pdf"

    async def downloaded():
        answer = await intake.client.get(f"{body['location']}/receipt", headers=headers)
        return answer if answer.status_code == 200 else None

    download = await wait_until(downloaded, message="the receipt served once issued")
    assert download.content == emailed  # the same sha256: one document, issued once
    assert download.headers["content-disposition"] == f'attachment; filename="recepisse-{tn}.pdf"'
    assert await sealed_soundly(emailed)

    [document] = await documents_of(notifier, tn)
    assert document["document"] == "receipt" and document["sha256"] == hashlib.sha256(emailed).hexdigest()
    assert document["holder"] == "A. B." and document["state"] == "valid" and document["signer"]
    view = await intake.view(body)
    assert [(d["code"], d["document"]) for d in view["issued_documents"]] == [(document["code"], "receipt")]
    by_code = await intake.client.get(f"{body['location']}/issued-documents/{document['code']}", headers=headers)
    assert by_code.content == emailed

    # The public record: the initials, never the name, email or phone.
    public = await notifier.client.get(f"/api/v1/documents/{document['code']}")
    assert public.status_code == 200 and public.json()["code"] == document["code"]
    assert not {"Amina", "Berrada", "amina@example.ma", "600 000"} & {w for w in public.text.split('"')}
    assert "Berrada" not in public.text and "amina@" not in public.text
    assert (await notifier.client.get(f"/api/v1/documents/{'A' * 32}")).status_code == 404
    assert (await notifier.client.get("/api/v1/documents/not-a-code")).status_code == 422

    # A resend sends the very same bytes, and issues nothing new.
    deliveries = (await notifier.client.get("/api/v1/deliveries", params={"tracking_number": tn},
                                            headers=notifier.auth("supervisor"))).json()["items"]
    resent = await notifier.client.post(f"/api/v1/deliveries/{deliveries[0]['id']}/resend",
                                        headers=notifier.auth("supervisor"))
    assert resent.status_code == 200, resent.text
    await wait_until(lambda: len(emails_about(mailcatcher, tn)) == 2, message="the resent receipt")
    assert attachments_of(emails_about(mailcatcher, tn)[1]) == {filename: emailed}
    assert len(await documents_of(notifier, tn)) == 1


async def test_a_dropped_pdf_is_authentic_altered_or_unknown(system, mailcatcher, unrelated_seal_kit):
    intake, notifier, _ = system
    body = await intake.file("complaint")
    mail = await wait_until(lambda: next(iter(emails_about(mailcatcher, body["tracking_number"])), None),
                            message="the receipt email")
    [issued] = attachments_of(mail).values()

    authentic = await verify(notifier, issued)
    assert (authentic["verdict"], authentic["reason"]) == ("authentic", "issued_and_sealed")
    assert authentic["document"]["reference"] == body["tracking_number"]

    altered = one_byte_changed(issued)
    assert not await sealed_soundly(altered)  # pyHanko's validator fails it too
    answer = await verify(notifier, altered)
    assert answer["verdict"] == "altered" and answer["reason"] == "seal_broken"
    assert answer["document"]["code"] == authentic["document"]["code"]  # what it claims to be

    # The same document sealed by a certificate outside the trust roots is not authentic.
    stranger = await unrelated_seal_kit.sealer().seal(_unsealed_copy(issued))
    foreign = await verify(notifier, stranger)
    assert foreign["verdict"] != "authentic"
    assert (await verify(notifier, b"%PDF-1.7 not really"))["verdict"] == "unknown"
    not_pdf = await verify(notifier, b"hello, not a PDF at all")
    assert (not_pdf["verdict"], not_pdf["reason"], not_pdf["document"]) == ("unknown", "not_a_pdf", None)
    empty = await notifier.client.post("/api/v1/documents/verification", content=b"",
                                       headers={"Content-Type": "application/pdf"})
    assert empty.status_code == 415


async def test_a_decision_issues_its_letter_and_note_and_staff_revoke_and_correct(system, broker, mailcatcher):
    intake, notifier, _ = system
    body = await intake.file("information_note")
    tn = body["tracking_number"]
    await wait_until(lambda: emails_about(mailcatcher, tn), message="the receipt email")
    await broker.publish(review_event(ReviewDecided, tn, "information_note", status="decided", version=9,
                                      outcome="note_issued", text="تسلم المذكرة.", note=NOTE))
    decision = await wait_until(lambda: next((m for m in emails_about(mailcatcher, tn)
                                              if m["X-Lamadi-Template"] == "decision"), None), message="decision")
    files = attachments_of(decision)
    assert sorted(files) == [f"lettre-decision-{tn}.pdf", f"note-renseignements-{tn}.pdf"]
    for content in files.values():
        assert await sealed_soundly(content)
    documents = {d["document"]: d for d in await documents_of(notifier, tn)}
    assert set(documents) == {"receipt", "decision_letter", "information_note"}
    assert documents["decision_letter"]["language"] == "fr"  # the applicant's

    note = documents["information_note"]
    # Revoking takes the policy's revoke on the kind: ops and reviewers may not; nothing changes.
    for roles in (("ops",), ("reviewer",)):
        refused = await notifier.client.post(f"/api/v1/documents/{note['code']}/revocation",
                                             json={"reason": "superseded"}, headers=notifier.auth(*roles))
        assert refused.status_code == 403
    correction = await notifier.client.post(
        f"/api/v1/documents/{note['code']}/correction", headers=notifier.auth("supervisor"),
        json={"facts": {**NOTE, "allowed_height_m": 9.0}, "reason": "Hauteur corrigée"})
    assert correction.status_code == 201, correction.text
    corrected = correction.json()
    assert corrected["replaces"] == note["code"] and corrected["document"] == "information_note"
    old = (await notifier.client.get(f"/api/v1/documents/{note['code']}")).json()
    assert (old["state"], old["revoked_reason"], old["replaced_by"]) == ("revoked", "Hauteur corrigée",
                                                                         corrected["code"])
    again = await notifier.client.post(f"/api/v1/documents/{note['code']}/revocation", json={"reason": "twice"},
                                       headers=notifier.auth("supervisor"))
    assert again.status_code == 409
    letter = documents["decision_letter"]
    not_a_note = await notifier.client.post(f"/api/v1/documents/{letter['code']}/correction",
                                            headers=notifier.auth("admin"),
                                            json={"facts": NOTE, "reason": "not a note"})
    assert not_a_note.status_code == 409
    revoked = await notifier.client.post(f"/api/v1/documents/{letter['code']}/revocation",
                                         json={"reason": "Erreur matérielle"}, headers=notifier.auth("supervisor"))
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    # Intake lists the corrected note for the applicant, beside the others.
    view = await wait_until(lambda: _with_documents(intake, body, 4), message="intake learns of the correction")
    assert corrected["code"] in {d["code"] for d in view["issued_documents"]}


async def test_the_daily_report_pdf_is_sealed_and_registered(system):
    _, notifier, reporting = system
    day = reporting.deps.days.last_closed(reporting.deps.clock())  # the agency's day, built at start
    documents = await wait_until(lambda: _report_documents(notifier, day.isoformat()), timeout=30,
                                 message="the start-up report registered")
    [document] = documents
    assert document["document"] == "daily_report" and document["holder"] is None
    content = (notifier.deps.issued.path_of(document["sha256"])).read_bytes()
    assert await sealed_soundly(content)
    assert (await verify(notifier, content))["verdict"] == "authentic"


async def _report_documents(notifier, day: str) -> list[dict]:
    answer = await notifier.client.get("/api/v1/documents", params={"reference": day}, headers=notifier.auth("ops"))
    return answer.json()["items"] if answer.status_code == 200 else []


async def _with_documents(intake, body: dict, count: int) -> dict | None:
    view = await intake.view(body)
    return view if len(view["issued_documents"]) >= count else None


def _unsealed_copy(sealed: bytes) -> bytes:
    """The bytes as drawn, before the seal's incremental update (the first %%EOF)."""
    end = sealed.index(b"%%EOF") + len(b"%%EOF")
    return sealed[:end] + b"\n"


async def test_with_a_timestamp_authority_documents_are_sealed_b_t(seal_env_bt, timestamp_authority, env,
                                                                   documents_dir, broker, mailcatcher):
    """LAMADI_SEAL_TSA_URL set: each seal carries an RFC 3161 timestamp from the authority (the
    tests' own, over HTTP), trusted by the same roots, and the register says so."""
    granted = timestamp_authority.granted
    async with served("notifier", NotifierSettings()) as notifier:
        await broker.publish(received("UA-2025-009001", "complaint"))
        mail = await wait_until(lambda: next(iter(emails_about(mailcatcher, "UA-2025-009001")), None),
                                message="the receipt email")
        [content] = attachments_of(mail).values()
        check = await check_seal(content, process_seal_kit().trust_roots)
        assert check.sound and check.timestamp_at is not None and check.timestamp_trusted
        assert timestamp_authority.granted > granted
        [document] = await documents_of(notifier, "UA-2025-009001")
        assert document["timestamped"] is True


async def test_a_pdf_worker_process_draws_and_seals_a_document_as_deployed():
    """The in-process tests draw in a thread (LAMADI_PDF_WORKERS=0); as deployed, a worker
    process takes the seal's settings (pickled), builds its own sealer and seals there."""
    from datetime import UTC, datetime

    from services.notifier.adapters.documents import Documents, document_spec
    from shared.catalogue import default_catalogue
    from shared.pdf import Receipt, Verification, resolve_font
    from shared.verification import new_code, verification_url

    code = new_code()
    receipt = Receipt(language="ar", tracking_number="UA-2025-009002", kind="complaint", applicant_name="Amina B",
                      received_at=datetime(2025, 6, 17, 9, tzinfo=UTC),
                      verification=Verification(code=code, url=verification_url("https://portail.example", code)))
    documents = Documents(resolve_font(None), default_catalogue(), workers=1, seal=process_seal_kit().config())
    try:
        issued = await documents.issue(document_spec(receipt))
        assert documents.worker_pids() and issued.signer == process_seal_kit().sealer().subject
        assert await sealed_soundly(issued.content)
    finally:
        documents.close()
