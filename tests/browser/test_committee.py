"""A committee's unfavourable opinion: published on the public list (no personal data), shown
on the applicant's page, and contested from there."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from tests.browser.portal import check_accessibility, fill_form, open_filing, submit_and_wait
from tests.builders import staff_headers
from tests.e2e.journey import Journey


async def rejected_permit(system) -> Journey:
    journey = Journey(system, "building_permit", email=f"promoteur-{uuid.uuid4().hex[:8]}@example.ma")
    await journey.file()
    await journey.wait_task("queued")
    supervisor = staff_headers("supervisor", sub="supervisor-omar")
    session = await system.http.post(system.url("review", "/api/v1/committee/sessions"), headers=supervisor,
                                     json={"session_date": (date.today() + timedelta(days=7)).isoformat()})
    assert session.status_code == 201, session.text
    await journey.staff_post("claim", "reviewer", "reviewer-fatima")
    await journey.staff_post("refer", "reviewer", "reviewer-fatima", {"session_id": session.json()["id"]})
    await journey.staff_post("opinions", "committee", "member-a",
                             {"opinion": "unfavourable", "motive": "Hauteur supérieure au plan d'aménagement."},
                             status=201)
    await journey.staff_post("publish", "supervisor", "supervisor-omar")
    await journey.wait_public_status("closed")
    return journey


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
async def test_an_unfavourable_opinion_published_then_contested(portal_system, new_page, js):
    journey = await rejected_permit(portal_system)
    page = await new_page(js=js)
    await page.goto("/language/fr?next=/opinions")
    row = page.locator("#opinion-results tr", has_text=journey.tracking_number)
    assert "Défavorable" in await row.inner_text()
    assert "Amina Berrada" not in await page.inner_text("main") and journey.email not in await page.inner_text("main")
    await page.select_option("#o-kind", "subdivision_permit")
    if not js:  # without htmx the filter is a plain GET form
        await page.click("#opinion-results ~ form button, form[action='/opinions'] button")
    await page.wait_for_url("**kind=subdivision_permit*")
    await page.locator("#opinion-results").filter(has_not_text=journey.tracking_number).wait_for()

    await open_filing(page, journey.tracking_number, journey.token)
    assert "Défavorable" in await page.inner_text("#decision-title + p")
    await fill_form(page, {"motive": "La hauteur respecte l'article 12 du règlement."})
    await submit_and_wait(page, "form[action$='/contest'] button[type=submit]", "done=contest")
    assert await page.locator("form[action$='/contest']").count() == 0
    assert (await journey.public_view())["contest"]["motive"].startswith("La hauteur")


@pytest.mark.parametrize("language", ["ar", "fr"])
async def test_the_opinions_list_and_a_decided_filing_have_no_wcag_21_aa_violation(portal_system, new_page, language):
    journey = await rejected_permit(portal_system)
    page = await new_page()
    await page.goto(f"/language/{language}?next=/opinions")
    await page.locator("#opinion-results tr", has_text=journey.tracking_number).wait_for()
    await check_accessibility(page, f"{language}-opinions-published")
    await open_filing(page, journey.tracking_number, journey.token)
    await check_accessibility(page, f"{language}-track-decided")
