"""The public verification pages in Chromium: axe-core finds no WCAG 2.1 A or AA violation on
/verify (with and without errors), a document's page, the unknown verdict and a PDF's verdict, in
Arabic and in French; and the whole check works with JavaScript off: a code typed as printed
opens its page, and the PDF received by email, chosen in the form, is found authentic. On a
task's page, a supervisor's forms for the filing's issued documents pass axe too, and revoke a
document without JavaScript; its public page then says so."""

from __future__ import annotations

import uuid

import pytest

from shared.verification import grouped, new_code
from shared.vocabulary import name
from tests.browser.portal import check_accessibility, choose_language, submit_and_wait
from tests.browser.staff import add_staff, sign_in
from tests.builders import staff_headers
from tests.e2e.journey import Journey
from tests.support import wait_until


async def issued_receipt(system) -> tuple[Journey, dict, bytes]:
    """A complaint filed through intake; the receipt's record in the register and the bytes the
    applicant received by email."""
    journey = Journey(system, "complaint", email=f"verify-{uuid.uuid4().hex[:8]}@example.ma")
    await journey.file(as_json=True)

    async def registered():
        answer = await system.http.get(system.url("notifier", "/api/v1/documents"),
                                       params={"reference": journey.tracking_number},
                                       headers=staff_headers("admin", sub="admin-verify"))
        return answer.json()["items"] if answer.status_code == 200 else None

    [record] = await wait_until(registered, timeout=60, message=f"the receipt of {journey.tracking_number}")
    [mail] = await journey.wait_emails(1)
    [attachment] = list(mail.iter_attachments())
    return journey, record, attachment.get_content()


@pytest.mark.parametrize("language", ["ar", "fr"])
async def test_the_verification_pages_have_no_wcag_21_aa_violation(portal_system, new_page, language, tmp_path):
    journey, record, receipt = await issued_receipt(portal_system)
    page = await new_page()
    await page.goto(f"/language/{language}?next=/verify")
    assert await page.locator("html").get_attribute("lang") == language
    await check_accessibility(page, f"{language}-verify")

    await page.goto(f"/verify/{record['code']}")
    assert journey.tracking_number in await page.inner_text("#document-reference")
    await check_accessibility(page, f"{language}-verify-document")

    await page.goto(f"/verify/{new_code()}")
    assert name("verification_verdicts", "unknown", language) in await page.inner_text("#verdict")
    await check_accessibility(page, f"{language}-verify-unknown")

    # The form sent back with its error (the browser's own checks skipped), then a PDF's verdict.
    await page.goto("/verify")
    await page.evaluate("document.querySelector('#verify-code-form').noValidate = true")
    await page.fill("#v-code", "ABCD-1234")
    await submit_and_wait(page, "#verify-code", "/verify")
    await page.locator(".error-summary").wait_for()
    await check_accessibility(page, f"{language}-verify-errors")

    path = tmp_path / "recu.pdf"
    path.write_bytes(receipt)
    await page.set_input_files("#v-file", str(path))
    await submit_and_wait(page, "#verify-file", "/verify/file")
    await page.locator("#verdict").wait_for()
    await check_accessibility(page, f"{language}-verify-verdict")


async def test_a_code_and_a_pdf_are_verified_with_javascript_off(portal_system, new_page, tmp_path):
    journey, record, receipt = await issued_receipt(portal_system)
    page = await new_page(js=False)
    await page.goto("/verify")
    await choose_language(page, "fr")

    # The code as printed under the QR code, typed in small letters.
    await page.fill("#v-code", grouped(record["code"]).lower())
    await submit_and_wait(page, "#verify-code", f"/verify/{record['code']}")
    assert name("document_kinds", "receipt", "fr") in await page.inner_text("#document-kind")
    assert journey.tracking_number in await page.inner_text("#document-reference")
    assert record["sha256"] in await page.inner_text("#document-sha256")
    assert name("document_states", "valid", "fr") in await page.inner_text("#document-state")

    # The PDF received by email, chosen in the form: the bytes the agency issued.
    await page.click("#verify-another")
    await page.wait_for_url("**/verify")
    path = tmp_path / "recepisse.pdf"
    path.write_bytes(receipt)
    await page.set_input_files("#v-file", str(path))
    await submit_and_wait(page, "#verify-file", "/verify/file")
    assert name("verification_verdicts", "authentic", "fr") in await page.inner_text("#verdict-word")
    assert journey.tracking_number in await page.inner_text("#document-reference")

    # The same file with one byte changed is not.
    middle = len(receipt) // 2
    path.write_bytes(receipt[:middle] + bytes([receipt[middle] ^ 0x01]) + receipt[middle + 1:])
    await page.goto("/verify")
    await page.set_input_files("#v-file", str(path))
    await submit_and_wait(page, "#verify-file", "/verify/file")
    assert name("verification_verdicts", "altered", "fr") in await page.inner_text("#verdict-word")


@pytest.mark.parametrize("language", ["ar", "fr"])
async def test_the_issued_documents_forms_of_a_task_have_no_wcag_21_aa_violation(portal_system, new_page, language):
    journey, record, _ = await issued_receipt(portal_system)
    task = await journey.wait_task("queued", role="supervisor")
    page = await new_page()
    await sign_in(page, await add_staff(portal_system, "supervisor"), language=language)
    await page.goto(f"/staff/tasks/{task['id']}")
    form = f"#revocation-{record['code']}"
    await page.click(f"#issued-{record['code']} details summary")
    await page.locator(form).wait_for()
    await check_accessibility(page, f"{language}-staff-task-issued")

    # Sent without a reason (the browser's own check skipped): the error summary and the form, open.
    await page.evaluate(f"document.querySelector('{form}').noValidate = true")
    await page.click(f"{form} button[type=submit]")
    await page.locator(".error-summary").wait_for()
    assert await page.locator(f"{form}-reason[aria-invalid=true]").count() == 1
    await check_accessibility(page, f"{language}-staff-task-issued-errors")


async def test_a_supervisor_revokes_a_document_with_javascript_off(portal_system, new_page):
    journey, record, _ = await issued_receipt(portal_system)
    task = await journey.wait_task("queued", role="supervisor")
    page = await new_page(js=False)
    await sign_in(page, await add_staff(portal_system, "supervisor"), language="fr")
    await page.goto(f"/staff/tasks/{task['id']}")
    form = f"#revocation-{record['code']}"
    await page.click(f"#issued-{record['code']} details summary")
    await page.fill(f"{form}-reason", "Délivré sur une adresse erronée")
    await submit_and_wait(page, f"{form} button[type=submit]", "done=revocation")
    assert name("document_states", "revoked", "fr") in await page.inner_text(f"#issued-{record['code']}")

    await page.goto(f"/verify/{record['code']}")
    assert "Délivré sur une adresse erronée" in await page.inner_text("#revoked")
    assert name("document_states", "revoked", "fr") in await page.inner_text("#document-state")
