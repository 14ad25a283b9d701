"""The public verification pages (/verify, /verify/<code>) and the issued documents on a task's
page, in front of the real services in this process: documents issued by the notifier for a
filing sent through intake (sealed with the test seal), looked up by code, checked as PDFs,
revoked and corrected by staff. The pages show no personal data beyond the masked holder, count
against their rate limit, and refuse an oversized upload before anything reaches the notifier."""

from __future__ import annotations

import html
import uuid

import httpx
import pytest

from services.portal.adapters.notifier import NotifierClient
from services.portal.api.i18n import load_translations
from services.portal.domain.labels import TASK_DONE
from shared.verification import grouped, new_code
from shared.vocabulary import name
from tests.files import filing, multipart, pdf
from tests.pages import csrf_token, error_summary, text_of
from tests.support import RecordingTransport, emails_about, wait_until

# An information note's filing whose every value is its own: none of them is in any page's
# fixed words (the agency's name and address, the vocabulary), so finding one is a leak.
PERSON = {"full_name": "Zineb Ouazzani Chahdi", "email": "zineb.ouazzani@example.ma", "phone": "+212 661 234 567",
          "cin": "JK987654"}
APPLICANT = {**PERSON, "language": "fr"}
DETAILS = {"land_title": "TF 40417/K", "commune": "Tighassaline", "address": "Derb Zitoune 77, Hay Nakhil",
           "purpose": "Extension d'un garage familial"}
NOTE_FACTS = {"zoning": "Zone R2 résidentielle", "allowed_height_m": 11.5, "setbacks": "4 m sur rue",
              "servitudes": "Aucune"}


@pytest.fixture(autouse=True)
def issued_store(env, tmp_path, monkeypatch):
    """The issued documents' blob store of this test (the notifier writes it, intake reads it)."""
    monkeypatch.setenv("LAMADI_ISSUED_DOCUMENTS_DIR", str(tmp_path / "issued"))


@pytest.fixture
def notifier_settings(env, documents_dir, issued_store, seal_env):
    """The notifier sealing with the test seal, whose CA is its trust root."""
    from services.notifier.settings import NotifierSettings

    return NotifierSettings()


async def file_note(portal) -> dict:
    """An information note filed through intake; its answer (tracking number, access token)."""
    answer = await portal.behind["intake"].client.post(
        "/api/v1/submissions", **multipart(filing("information_note", applicant=APPLICANT, **DETAILS)))
    assert answer.status_code == 202, answer.text
    return answer.json()


async def issued(portal, reference: str, count: int = 1) -> list[dict]:
    """The register's documents for this filing, once it holds ``count`` of them."""
    notifier = portal.behind["notifier"]

    async def listed():
        answer = await notifier.client.get("/api/v1/documents", params={"reference": reference},
                                           headers=notifier.auth("admin", sub="admin-test"))
        assert answer.status_code == 200, answer.text
        items = answer.json()["items"]
        return items if len(items) >= count else None

    # Drawn and sealed in the notifier's PDF worker processes: the first one starts them.
    return await wait_until(listed, timeout=60, message=f"{count} documents issued for {reference}")


async def receipt_of(portal, mailcatcher, tracking_number: str) -> tuple[dict, bytes]:
    """The receipt's record and the bytes the applicant received by email."""
    [record] = await issued(portal, tracking_number)
    [mail] = await wait_until(lambda: emails_about(mailcatcher, tracking_number), timeout=60, message="receipt email")
    [attachment] = list(mail.iter_attachments())
    return record, attachment.get_content()


async def upload(client: httpx.AsyncClient, content: bytes, name: str = "document.pdf") -> httpx.Response:
    token = csrf_token((await client.get("/verify")).text)
    return await client.post("/verify/file", data={"csrftoken": token},
                             files={"file": (name, content, "application/pdf")})


def words(family: str, code: str, language: str = "ar") -> str:
    return name(family, code, language)


async def test_an_unknown_or_malformed_code_is_the_unknown_verdict(portal):
    for path in (f"/verify/{new_code()}", "/verify/not-a-code", f"/verify/{'A' * 31}9"):
        answer = await portal.client.get(path)
        assert answer.status_code == 404, path
        assert words("verification_verdicts", "unknown") in answer.text
        assert words("verification_reasons", "not_issued") in answer.text
        assert 'id="document"' not in answer.text


async def test_a_code_typed_in_any_case_with_spaces_or_dashes_opens_its_page(portal):
    code = new_code()
    token = csrf_token((await portal.client.get("/verify")).text)
    typed = " " + grouped(code).lower().replace("-", " - ", 2) + " "
    answer = await portal.client.post("/verify", data={"csrftoken": token, "code": typed})
    assert answer.status_code == 303 and answer.headers["location"] == f"/verify/{code}"
    # The address as printed under the QR code (grouped) leads to the same page.
    printed = await portal.client.get(f"/verify/{grouped(code)}")
    assert printed.status_code == 303 and printed.headers["location"] == f"/verify/{code}"

    for bad, message in (("ABCD-1234", "32"), ("", "QR")):
        refused = await portal.client.post("/verify", data={"csrftoken": token, "code": bad})
        assert refused.status_code == 400 and message in error_summary(refused.text)
        assert 'aria-invalid="true"' in refused.text and f'value="{bad}"' in refused.text
    forged = await portal.client.post("/verify", data={"code": code})
    assert forged.status_code == 403


async def test_a_documents_page_shows_it_and_no_personal_data(portal, mailcatcher):
    filed = await file_note(portal)
    tracking_number = filed["tracking_number"]
    record, _ = await receipt_of(portal, mailcatcher, tracking_number)
    assert record["holder"] == "Z. O. C."

    for language in ("ar", "fr"):
        await portal.client.get(f"/language/{language}")
        page = await portal.client.get(f"/verify/{record['code']}")
        assert page.status_code == 200
        shown = text_of(page.text)
        assert f'<html lang="{language}"' in page.text
        assert words("document_kinds", "receipt", language) in shown
        assert words("document_states", "valid", language) in shown
        assert tracking_number in shown and record["sha256"] in shown and "Z. O. C." in shown
        assert grouped(record["code"]) in shown and portal.deps.agency.name(language) in shown
        assert record["signer"] and html.escape(record["signer"]) in page.text  # sealed, by the test seal
        personal = [*PERSON.values(), *PERSON["full_name"].split(), *DETAILS.values(),
                    PERSON["phone"].replace(" ", ""), PERSON["email"].split("@")[0]]
        found = [value for value in personal if value.lower() in html.unescape(page.text).lower()]
        assert not found, f"{language}: personal data on the public page: {found}"
    await portal.client.get("/language/ar")


async def test_staff_revoke_a_document_and_its_page_says_so_with_the_reason(portal, mailcatcher):
    filed = await file_note(portal)
    tracking_number = filed["tracking_number"]
    record, _ = await receipt_of(portal, mailcatcher, tracking_number)
    task = await portal.review.wait_task(tracking_number)

    reviewer, _ = await portal.signed_in("reviewer")  # reads the task, holds no `revoke`
    page = await reviewer.get(f"/staff/tasks/{task['id']}")
    assert page.status_code == 200 and 'id="issued-documents"' in page.text and record["code"] in page.text
    assert f'id="revocation-{record["code"]}"' not in page.text
    refused = await reviewer.post(f"/staff/tasks/{task['id']}/issued/{record['code']}/revocation",
                                  data={"csrftoken": csrf_token(page.text), "reason": "Erreur de saisie"})
    assert refused.status_code == 403

    supervisor, _ = await portal.signed_in("supervisor")
    page = await supervisor.get(f"/staff/tasks/{task['id']}")
    assert f'id="revocation-{record["code"]}"' in page.text
    assert f'id="correction-{record["code"]}"' not in page.text  # a receipt is not corrected
    action = f"/staff/tasks/{task['id']}/issued/{record['code']}/revocation"
    empty = await supervisor.post(action, data={"csrftoken": csrf_token(page.text), "reason": " "})
    assert empty.status_code == 422 and f'href="#revocation-{record["code"]}-reason"' in empty.text
    reason = "Délivré sur une adresse erronée"
    done = await supervisor.post(action, data={"csrftoken": csrf_token(page.text), "reason": reason})
    assert done.status_code == 303 and done.headers["location"].endswith("?done=revocation")
    confirmed = await supervisor.get(done.headers["location"])
    assert load_translations()["ar"].gettext(TASK_DONE["revocation"]) in confirmed.text
    assert f'id="revocation-{record["code"]}"' not in confirmed.text  # revoked: no form any more
    again = await supervisor.post(action, data={"csrftoken": csrf_token(page.text), "reason": reason})
    assert again.status_code == 409 and error_summary(again.text)

    public = await portal.client.get(f"/verify/{record['code']}")
    assert public.status_code == 200
    assert words("document_states", "revoked") in public.text and reason in text_of(public.text)
    assert 'id="revoked"' in public.text
    not_this_task = await supervisor.post(f"/staff/tasks/{task['id']}/issued/{new_code()}/revocation",
                                          data={"csrftoken": csrf_token(page.text), "reason": reason})
    assert not_this_task.status_code == 404


async def test_a_corrected_information_note_replaces_the_old_one(portal, mailcatcher):
    filed = await file_note(portal)
    tracking_number = filed["tracking_number"]
    await issued(portal, tracking_number)
    task = await portal.review.wait_task(tracking_number)
    review, headers = portal.review.client, portal.review.auth("supervisor", sub="chief@agence.ma")
    claimed = await review.post(f"/api/v1/tasks/{task['id']}/claim", headers=headers)
    assert claimed.status_code == 200, claimed.text
    decided = await review.post(f"/api/v1/tasks/{task['id']}/decision", headers=headers, json={
        "outcome": "note_issued", "text": "Note délivrée.", "note": NOTE_FACTS})
    assert decided.status_code == 200, decided.text
    notes = [d for d in await issued(portal, tracking_number, 3) if d["document"] == "information_note"]
    assert len(notes) == 1
    old = notes[0]

    supervisor, _ = await portal.signed_in("supervisor")
    page = await supervisor.get(f"/staff/tasks/{task['id']}")
    assert f'id="correction-{old["code"]}"' in page.text
    form = {"csrftoken": csrf_token(page.text), "facts.zoning": "Zone R3 résidentielle", "facts.allowed_height_m": "14,5",
            "facts.setbacks": "5 m sur rue", "facts.servitudes": "Aucune", "reason": "Hauteur corrigée"}
    done = await supervisor.post(f"/staff/tasks/{task['id']}/issued/{old['code']}/correction", data=form)
    assert done.status_code == 303 and done.headers["location"].endswith("?done=correction"), done.text

    [new] = [d for d in await issued(portal, tracking_number, 4)
             if d["document"] == "information_note" and d["code"] != old["code"]]
    assert new["replaces"] == old["code"] and new["state"] == "valid"
    old_page = await portal.client.get(f"/verify/{old['code']}")
    assert words("document_states", "revoked") in old_page.text and "Hauteur corrigée" in old_page.text
    assert f'href="/verify/{new["code"]}"' in old_page.text
    new_page = await portal.client.get(f"/verify/{new['code']}")
    assert f'href="/verify/{old["code"]}"' in new_page.text and 'id="replaces"' in new_page.text


async def test_a_dropped_pdf_is_authentic_altered_or_unknown(portal, mailcatcher):
    filed = await file_note(portal)
    record, receipt = await receipt_of(portal, mailcatcher, filed["tracking_number"])

    authentic = await upload(portal.client, receipt, "récépissé.pdf")
    assert authentic.status_code == 200
    assert words("verification_verdicts", "authentic") in text_of(authentic.text)
    assert words("verification_reasons", "issued_and_sealed") in text_of(authentic.text)
    assert record["sha256"] in authentic.text and filed["tracking_number"] in authentic.text

    middle = len(receipt) // 2
    changed = receipt[:middle] + bytes([receipt[middle] ^ 0x01]) + receipt[middle + 1:]
    altered = await upload(portal.client, changed)
    assert altered.status_code == 200 and words("verification_verdicts", "altered") in text_of(altered.text)

    unknown = await upload(portal.client, pdf(f"random-{uuid.uuid4()}"))
    assert unknown.status_code == 200 and words("verification_verdicts", "unknown") in text_of(unknown.text)
    assert 'id="document"' not in unknown.text

    not_pdf = await upload(portal.client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "photo.pdf")
    assert not_pdf.status_code == 415 and words("verification_reasons", "not_a_pdf") in text_of(not_pdf.text)
    token = csrf_token((await portal.client.get("/verify")).text)
    no_file = await portal.client.post("/verify/file", data={"csrftoken": token},
                                       files={"file": ("", b"", "application/pdf")})
    assert no_file.status_code == 400 and error_summary(no_file.text)


async def test_an_oversized_upload_is_refused_before_the_notifier_sees_it(portal):
    recording = RecordingTransport(portal.behind["notifier"].app)
    portal.deps.notifier = NotifierClient("http://notifier.test", 10, transport=recording)
    token = csrf_token((await portal.client.get("/verify")).text)
    oversized = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024 + 1)

    declared = await portal.client.post("/verify/file", data={"csrftoken": token},
                                        files={"file": ("big.pdf", oversized, "application/pdf")})
    assert declared.status_code == 413 and "10" in error_summary(declared.text)
    assert 'id="v-file-error"' in declared.text

    async def chunked():  # no Content-Length: counted as it comes
        boundary = b"--x"
        yield boundary + b'\r\nContent-Disposition: form-data; name="csrftoken"\r\n\r\n' + token.encode() + b"\r\n"
        yield boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        yield b"Content-Type: application/pdf\r\n\r\n"
        for start in range(0, len(oversized), 1024 * 1024):
            yield oversized[start:start + 1024 * 1024]
        yield b"\r\n" + boundary + b"--\r\n"

    streamed = await portal.client.post("/verify/file", content=chunked(),
                                        headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert streamed.status_code == 413 and 'id="v-file-error"' in streamed.text
    assert recording.requests == []  # nothing reached the notifier


async def test_the_31st_verification_in_a_minute_is_refused_with_retry_after(portal):
    answers = [(await portal.client.get(f"/verify/{'A' * 5}{n}")).status_code for n in range(30)]
    assert answers == [404] * 30
    limited = await portal.client.get(f"/verify/{new_code()}")
    assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 60
    assert "text/html" in limited.headers["content-type"]
    token = csrf_token((await portal.client.get("/verify")).text)  # the form itself is not counted
    assert (await portal.client.post("/verify/file", data={"csrftoken": token},
                                     files={"file": ("a.pdf", pdf("a"), "application/pdf")})).status_code == 429
