"""People filing and following their requests through the portal, in Chromium, each journey
with JavaScript on (htmx) and off: the portal must work as plain HTML forms."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.browser.portal import (
    choose_language,
    fill_form,
    open_filing,
    pdf_file,
    photo,
    send_filing,
    submit_and_wait,
    wait_for_text,
)
from tests.e2e.journey import Journey
from tests.files import REQUIRED_DOCUMENTS
from tests.support import wait_until

pytestmark = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])


def address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.ma"


async def test_a_complaint_filed_in_arabic_with_a_photo(portal_system, new_page, js):
    page, email = await new_page(js=js), address("amina")
    await page.goto("/")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    await page.click("a[href='/file/complaint']")
    await fill_form(page, {"subject": "ورش بناء بدون ترخيص",
                           "message": "ورش بناء في الزنقة 12 بدون لوحة الترخيص منذ ثلاثة أسابيع.",
                           "applicant.full_name": "أمينة برادة", "applicant.email": email},
                    {"evidence": photo()})
    tracking_number, access_code = await send_filing(page, "complaint")

    # The receipt email arrives, in Arabic, naming the filing.
    journey = Journey(portal_system, "complaint", email=email)
    receipt = (await journey.wait_emails(1))[0]
    assert receipt["X-Lamadi-Template"] == "receipt" and tracking_number in receipt["Subject"]

    # The tracking page shows the timeline, up to the receipt email sent.
    await page.click(f"a[href='/track/{tracking_number}']")
    await page.wait_for_url(f"**/track/{tracking_number}")
    timeline = await wait_for_text(page, "#timeline", "إرسال رسالة إلكترونية")  # shared/vocabulary.toml
    assert "التوصل بالطلب" in timeline
    assert "photo.png" in await page.inner_text("main")
    journey.tracking_number, journey.token = tracking_number, access_code
    view = await journey.public_view()
    assert [d["type"] for d in view["documents"]] == ["evidence"]


async def test_a_building_permit_filed_in_french_with_all_its_documents(portal_system, new_page, js):
    page, email = await new_page(js=js), address("architecte")
    await page.goto("/")
    await choose_language(page, "fr")
    assert await page.locator("html").get_attribute("dir") == "ltr"
    await page.click("a[href='/file/building_permit']")
    await fill_form(page, {
        "project_size": "small", "architect_registration": "OA-4521", "project_title": "Maison individuelle R+1",
        "commune": "Khénifra", "land_title": "TF 12345/K", "built_area_m2": "180.5", "floors": "2",
        "applicant.full_name": "Youssef Alaoui", "applicant.email": email, "applicant.phone": "+212 600 000 000",
    }, {code: pdf_file(f"{code}.pdf") for code in REQUIRED_DOCUMENTS["building_permit"]})
    await submit_and_wait(page, "button[value=continue]", "/file/building_permit/check")
    assert "Vérifiez vos réponses" in await page.inner_text("h1")
    assert "architect_contract.pdf" in await page.inner_text("main")
    await submit_and_wait(page, "form[action$='/confirm'] button[type=submit]", "/confirmation")
    tracking_number = (await page.inner_text("#tracking-number")).strip()
    access_code = (await page.inner_text("#access-code")).strip()
    journey = Journey(portal_system, "building_permit", email=email)
    journey.tracking_number, journey.token = tracking_number, access_code
    # The receipt is issued (sealed) a moment after the filing, with its email: then downloaded,
    # it is the very file the email carries.
    receipt = (await journey.wait_emails(1))[0]
    assert receipt["X-Lamadi-Template"] == "receipt"
    issued = await journey.issued_receipt()
    async with page.expect_download() as download_info:
        await page.click("#receipt-link")
    download = await download_info.value
    receipt_pdf = Path(await download.path()).read_bytes()
    assert receipt_pdf.startswith(b"%PDF") and len(receipt_pdf) > 10_000  # the récépissé itself
    assert download.suggested_filename.endswith(".pdf") and tracking_number in download.suggested_filename
    assert [part.get_content() for part in receipt.iter_attachments()] == [receipt_pdf] == [issued]

    view = await journey.public_view()
    assert sorted(d["type"] for d in view["documents"]) == sorted(REQUIRED_DOCUMENTS["building_permit"])
    assert "Autorisation de construire" in receipt.get_body(("plain",)).get_content()


async def test_a_refused_answer_is_linked_from_the_error_summary_and_documents_are_kept(portal_system, new_page, js):
    """An ICE with a wrong check digit passes the browser's checks; intake refuses it and the
    form comes back with the GOV.UK error summary, the documents still attached."""
    page = await new_page(js=js)
    await page.goto("/language/fr?next=/file/supplier_invoice")
    await fill_form(page, {"company_name": "Bureau d'études Atlas", "ice": "001561191000067",
                           "invoice_number": "F-2026-012", "invoice_date": "2026-10-01", "amount_mad": "12000",
                           "applicant.full_name": "Karim Bennani", "applicant.email": address("company")},
                    {code: pdf_file(f"{code}.pdf") for code in REQUIRED_DOCUMENTS["supplier_invoice"]})
    await submit_and_wait(page, "button[value=continue]", "/file/supplier_invoice/check")
    await page.click("form[action$='/confirm'] button[type=submit]")
    summary = page.locator(".error-summary")
    await summary.wait_for()
    assert await summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == ["#f-ice"]
    assert "ICE" in await summary.inner_text()
    assert await page.get_attribute("#f-ice", "aria-invalid") == "true"
    assert "invoice.pdf" in await page.inner_text("main")  # kept: not asked again
    assert await page.get_attribute("#d-invoice", "required") is None
    if js:  # the summary takes the focus, so a screen reader reads it first
        assert await page.evaluate("document.activeElement.classList.contains('error-summary')")


async def test_an_observation_answered_with_a_new_document(portal_system, new_page, js):
    journey = Journey(portal_system, "complaint", email=address("observed"))
    await journey.file(as_json=True)
    await journey.wait_task("queued")
    await journey.staff_post("claim", "reviewer", "reviewer-fatima")
    observations = "Merci de joindre une photo du chantier."
    await journey.staff_post("observations", "reviewer", "reviewer-fatima", {"observations": observations})
    await journey.wait_public_status("awaiting_applicant")

    page = await new_page(js=js)
    await page.goto("/language/fr")
    await open_filing(page, journey.tracking_number, journey.token)
    assert observations in await page.inner_text("main")
    await fill_form(page, {"message": "Voici la photo demandée."}, {"documents": pdf_file("chantier.pdf")})
    await submit_and_wait(page, "form[action$='/respond'] button[type=submit]", "done=answer")
    assert "Votre réponse a été envoyée" in await page.inner_text("[role=status]")

    task = await journey.wait_task("queued")
    assert any(d["name"] == "chantier.pdf" for d in task["documents"])
    await wait_for_text(page, "#timeline", "Réponse du demandeur reçue")


async def test_a_filing_withdrawn(portal_system, new_page, js):
    journey = Journey(portal_system, "pre_study", email=address("withdrawing"))
    await journey.file()
    page = await new_page(js=js)
    await open_filing(page, journey.tracking_number, journey.token)
    await page.click(f"a[href='/track/{journey.tracking_number}/withdraw']")
    await page.wait_for_url("**/withdraw")
    await fill_form(page, {"reason": "Projet abandonné."})
    await submit_and_wait(page, "form[action$='/withdraw'] button[type=submit]", "done=withdrawal")
    assert await page.inner_text("#status") == "مسحوب"
    assert (await journey.public_view())["status"] == "withdrawn"
    assert await page.locator(f"a[href='/track/{journey.tracking_number}/withdraw']").count() == 0


async def test_a_draft_saved_resumed_from_the_emailed_link_and_filed(portal_system, new_page, browser, js):
    page, email = await new_page(js=js), address("draft")
    await page.goto("/file/complaint")
    await fill_form(page, {"subject": "إنارة عمومية", "applicant.full_name": "سعيد", "applicant.email": email},
                    {"evidence": photo("lampe.png")})
    await submit_and_wait(page, "button[value=save]", "/file/complaint")
    # The same address before and after: wait for the new page's content itself (htmx swaps it in).
    await page.locator("main", has_text=email).wait_for()
    assert email in await page.inner_text("main")

    # The emailed link opens the draft in a new browser, in the language it was started in.
    link = await wait_until(lambda: _resume_link(portal_system, email), timeout=30, message="resume link email")
    other = await new_page(js=js)
    await other.goto(link)
    await other.wait_for_url("**/file/complaint")
    assert await other.locator("html").get_attribute("lang") == "ar"
    assert await other.input_value("#f-subject") == "إنارة عمومية"
    assert "lampe.png" in await other.inner_text("main")
    await fill_form(other, {"message": "العمود الكهربائي في الزنقة 4 مطفأ منذ شهر."})
    tracking_number, _ = await send_filing(other, "complaint")
    assert tracking_number


def _resume_link(system, email: str) -> str | None:
    for message in system.mailcatcher.messages():
        if message["To"] and email in message["To"]:
            found = re.search(r"https?://\S+/drafts/[^/\s]+/resume\?token=[\w-]+", message.get_body(("plain",)).get_content())
            if found:
                return found.group(0)
    return None
