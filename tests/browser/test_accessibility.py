"""Every page of the portal, in Arabic and in French: axe-core finds no WCAG 2.1 A or AA
violation, and each is screenshotted into var/artefacts/screenshots/. A keyboard alone files
a complaint."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.portal import check_accessibility, fill_form, open_filing, submit_and_wait
from tests.e2e.journey import Journey
from tests.files import REQUIRED_DOCUMENTS

KINDS = list(REQUIRED_DOCUMENTS)
STATIC_PAGES = {"home": "/", "track": "/track", "opinions": "/opinions", "accessibility": "/accessibility",
                "contact": "/contact", "not-found": "/no-such-page"}


@pytest.mark.parametrize("language", ["ar", "fr"])
async def test_every_page_has_no_wcag_21_aa_violation(portal_system, new_page, language):
    page = await new_page()
    await page.goto(f"/language/{language}")
    for name, path in STATIC_PAGES.items():
        await page.goto(path)
        assert await page.locator("html").get_attribute("lang") == language
        await check_accessibility(page, f"{language}-{name}")
    for kind in KINDS:
        await page.goto(f"/file/{kind}")
        await check_accessibility(page, f"{language}-file-{kind}")

    # A form with errors (the server's: the browser's own checks are skipped).
    await page.goto("/file/complaint")
    await page.evaluate("document.querySelector('form.filing-form').noValidate = true")
    await submit_and_wait(page, "button[value=continue]", "/file/complaint")
    await page.locator(".error-summary").wait_for()
    await check_accessibility(page, f"{language}-file-errors")

    # Check your answers, the confirmation, the filing followed.
    email = f"a11y-{uuid.uuid4().hex[:8]}@example.ma"
    await fill_form(page, {"subject": "Trottoir encombré", "message": "Des matériaux bloquent le trottoir rue 3.",
                           "applicant.full_name": "Amina Berrada", "applicant.email": email})
    # Saved as a draft first: the page that says where the link went.
    await submit_and_wait(page, "button[value=save]", "/file/complaint")
    await page.locator("main", has_text=email).wait_for()
    await check_accessibility(page, f"{language}-draft-saved")
    await page.goto("/file/complaint")
    await fill_form(page, {"subject": "Trottoir encombré", "message": "Des matériaux bloquent le trottoir rue 3.",
                           "applicant.full_name": "Amina Berrada", "applicant.email": email})
    await submit_and_wait(page, "button[value=continue]", "/file/complaint/check")
    await check_accessibility(page, f"{language}-check-answers")
    await submit_and_wait(page, "form[action$='/confirm'] button[type=submit]", "/confirmation")
    await check_accessibility(page, f"{language}-confirmation")

    # A filing awaiting the applicant: observations, the answer form, withdrawal.
    journey = Journey(portal_system, "complaint", email=email)
    await journey.file(as_json=True)
    await journey.wait_task("queued")
    await journey.staff_post("claim", "reviewer", "reviewer-fatima")
    await journey.staff_post("observations", "reviewer", "reviewer-fatima",
                             {"observations": "Merci de préciser l'adresse exacte."})
    await journey.wait_public_status("awaiting_applicant")
    await open_filing(page, journey.tracking_number, journey.token)
    await check_accessibility(page, f"{language}-track-filing")
    await page.goto(f"/track/{journey.tracking_number}/withdraw")
    await check_accessibility(page, f"{language}-withdraw")

    # Tracking refused: the error summary on the tracking form.
    await page.goto("/track")
    await fill_form(page, {"tracking_number": journey.tracking_number, "access_code": "wrong-code"})
    await page.click("form[action='/track'] button[type=submit]")
    await page.locator(".error-summary").wait_for()
    await check_accessibility(page, f"{language}-track-refused")


async def tab_to(page, selector: str, presses: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(presses):
        await page.keyboard.press("Tab")
        if await page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


async def test_a_complaint_filed_with_the_keyboard_alone(portal_system, new_page):
    page = await new_page()
    await page.goto("/")
    await tab_to(page, "a[href='/file/complaint']")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/file/complaint")
    email = f"keyboard-{uuid.uuid4().hex[:8]}@example.ma"
    for selector, text in (("#f-subject", "رصيف مكسور"), ("#f-message", "الرصيف في شارع الحسن الثاني مكسور منذ شهرين."),
                           ("#f-applicant-full-name", "فاطمة الزهراء"), ("#f-applicant-email", email)):
        await tab_to(page, selector)
        await page.keyboard.type(text)
    await tab_to(page, "button[value=continue]")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/file/complaint/check")
    await tab_to(page, "form[action$='/confirm'] button[type=submit]")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/confirmation")
    tracking_number = (await page.inner_text("#tracking-number")).strip()
    journey = Journey(portal_system, "complaint", email=email)
    assert tracking_number in (await journey.wait_emails(1))[0]["Subject"]


async def test_the_accessibility_check_does_find_violations(new_page):
    """The check above can fail: an image without text and an unlabelled field are caught."""
    page = await new_page()
    await page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        await check_accessibility(page, "known-bad-page")
