"""What a person does on the portal, as Playwright steps: fill a filing form, check the
answers, send, read the confirmation, open a filing to follow; plus the accessibility check
(axe-core) and the screenshots kept as test artefacts."""

from __future__ import annotations

import re
import time

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

from tests.files import TINY_PNG, pdf
from tests.support import ROOT

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
TRACKING_NUMBER = re.compile(r"AU-\d{4}-[0-9A-Z]{5}-[0-9A-Z]{5}")
AXE = Axe()
ARTEFACTS = ROOT / "var" / "artefacts"  # screenshots and logs kept after the run


def pdf_file(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf(name)}


def photo(name: str = "photo.png") -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": TINY_PNG}


async def choose_language(page: Page, language: str) -> None:
    """Follow the header's language link, as a person does (the choice stays in a cookie)."""
    if await page.locator("html").get_attribute("lang") != language:
        await page.click(f"header a[hreflang={language}]")
        # During the navigation the document may have no root element yet.
        await page.wait_for_function(f"document.documentElement?.lang === '{language}'")


async def fill_form(page: Page, values: dict[str, str], files: dict[str, dict] | None = None) -> None:
    """Form names ("subject", "applicant.email") → values; document codes → files."""
    for name, value in values.items():
        field = page.locator(f'[name="{name}"]')
        if await field.evaluate("element => element.tagName") == "SELECT":
            await field.select_option(value)
        else:
            await field.fill(value)
    for code, file in (files or {}).items():
        await page.set_input_files(f'input[type=file][name="{code}"]', files=file)


async def submit_and_wait(page: Page, button: str, url_part: str) -> None:
    """Click a button and wait for the page that follows, with or without htmx."""
    await page.click(button)
    await page.wait_for_url(f"**{url_part}*")
    await page.wait_for_load_state()


async def send_filing(page: Page, kind: str) -> tuple[str, str]:
    """From a filled form: continue, check the answers, send; the confirmation's tracking
    number and access code."""
    await submit_and_wait(page, "button[value=continue]", f"/file/{kind}/check")
    await submit_and_wait(page, "form[action$='/confirm'] button[type=submit]", "/confirmation")
    tracking_number = (await page.inner_text("#tracking-number")).strip()
    access_code = (await page.inner_text("#access-code")).strip()
    assert TRACKING_NUMBER.fullmatch(tracking_number), tracking_number
    assert "access_token" not in page.url and access_code not in page.url
    return tracking_number, access_code


async def open_filing(page: Page, tracking_number: str, access_code: str) -> None:
    await page.goto("/track")
    await fill_form(page, {"tracking_number": tracking_number, "access_code": access_code})
    await submit_and_wait(page, "form[action='/track'] button[type=submit]", f"/track/{tracking_number}")
    assert access_code not in page.url


async def wait_for_text(page: Page, selector: str, text: str, timeout: float = 30) -> str:
    """Reload until ``selector`` shows ``text`` (events reach the public view asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        content = await page.inner_text(selector)
        if text in content or time.monotonic() > deadline:
            assert text in content, f"{text!r} not in {selector} after {timeout}s: {content!r}"
            return content
        await page.wait_for_timeout(500)
        await page.reload()


async def check_accessibility(page: Page, name: str) -> None:
    """axe-core, WCAG 2.1 A and AA: no violation; and a full-page screenshot as an artefact."""
    results = await AXE.run(page, options=WCAG_21_AA)
    shots = ARTEFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
