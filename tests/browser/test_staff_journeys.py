"""The agency's staff in the browser, with and without JavaScript: a reviewer answers a complaint
and the citizen's tracking page shows the answer; three committee members give their opinions
and a supervisor publishes the aggregate, which the public opinions page shows; finance takes
an invoice to paid; an operator replays a parked message and the queue empties."""

from __future__ import annotations

import pytest

from tests.browser.portal import open_filing, submit_and_wait, wait_for_text
from tests.browser.staff import act, add_staff, citizen_email, park_one, permit_in_committee, sign_in
from tests.builders import staff_headers
from tests.e2e.journey import Journey

JS = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])


async def open_task_from_queue(page, tracking_number: str, **filters: str) -> None:
    await page.goto("/staff/tasks?" + "&".join(f"{k}={v}" for k, v in filters.items()))
    row = page.locator("#work-queue tr", has_text=tracking_number)
    await row.locator("a").click()
    await page.wait_for_url("**/staff/tasks/*")


@JS
async def test_a_reviewer_answers_a_complaint_and_the_citizen_reads_the_answer(portal_system, new_page, js):
    journey = Journey(portal_system, "complaint", email=citizen_email())
    await journey.file()
    await journey.wait_task("queued")
    reviewer = await add_staff(portal_system, "reviewer", name="Fatima Zahra Alami")
    page = await new_page(js=js)
    await sign_in(page, reviewer, language="fr")
    assert "Fatima Zahra Alami" in await page.inner_text("#signed-in-as")
    await page.select_option("#q-kind", "complaint")
    await page.select_option("#q-status", "queued")
    await submit_and_wait(page, "#queue-filters button[type=submit]", "kind=complaint")
    row = page.locator("#work-queue tr", has_text=journey.tracking_number)
    assert "Dans les délais" in await row.inner_text()  # the deadline state, in words
    await row.locator("a").click()
    await page.wait_for_url(f"**/staff/tasks/{journey.task_id}")
    assert "Amina Berrada" in await page.inner_text("main")
    await act(page, "#claim")
    answer = f"Le chantier a été contrôlé et mis en demeure ({journey.tracking_number})."
    await page.check("#f-outcome-answered")
    await page.fill("#f-text", answer)
    await act(page, "#decide")
    assert answer in await page.inner_text("#decision")

    citizen = await new_page(js=js)
    await citizen.goto("/language/fr?next=/track")
    await open_filing(citizen, journey.tracking_number, journey.token)
    await wait_for_text(citizen, "main", answer)


@JS
async def test_three_members_give_their_opinions_and_the_supervisor_publishes_the_aggregate(portal_system, new_page,
                                                                                             js):
    journey, session_id = await permit_in_committee(portal_system)
    opinions = (("favourable", "Conforme au plan d'aménagement."),
                ("favourable_with_conditions", "Prévoir deux places de stationnement."),
                ("favourable", "Rien à signaler."))
    for opinion, motive in opinions:
        member = await add_staff(portal_system, "committee")
        page = await new_page(js=js)
        await sign_in(page, member, language="fr")
        await page.goto("/staff/committee")
        await page.click(f"a[href='/staff/committee/{session_id}']")
        await page.wait_for_url(f"**/staff/committee/{session_id}")
        await page.locator("#agenda tr", has_text=journey.tracking_number).locator("a").click()
        await page.wait_for_url(f"**/staff/tasks/{journey.task_id}")
        await page.check(f"#f-opinion-{opinion}")
        await page.fill("#f-motive", motive)
        await act(page, "#record-opinion")
        assert await page.locator("#record-opinion-form").count() == 0  # one opinion per member and round

    supervisor = await add_staff(portal_system, "supervisor")
    page = await new_page(js=js)
    await sign_in(page, supervisor, language="fr")
    await page.goto(f"/staff/committee/{session_id}")
    row = page.locator("#agenda tr", has_text=journey.tracking_number)
    assert "Favorable sous conditions" in await row.inner_text()
    await row.locator("a").click()
    await page.wait_for_url(f"**/staff/tasks/{journey.task_id}")
    assert "Favorable sous conditions" in await page.inner_text("#aggregate")
    await act(page, "#publish")

    await page.goto("/opinions")
    await wait_for_text(page, "#opinion-results", journey.tracking_number)
    published = page.locator("#opinion-results tr", has_text=journey.tracking_number)
    assert "Favorable sous conditions" in await published.inner_text()
    assert "Prévoir deux places de stationnement." in await published.inner_text()


@JS
async def test_finance_takes_a_supplier_invoice_to_paid(portal_system, new_page, js):
    journey = Journey(portal_system, "supplier_invoice", email=citizen_email())
    await journey.file()
    await journey.wait_task("queued", role="finance")
    officer = await add_staff(portal_system, "finance")
    page = await new_page(js=js)
    await sign_in(page, officer, language="fr")
    await page.goto("/staff/finance")
    await page.locator("#to_verify tr", has_text=journey.tracking_number).locator("a").click()
    await page.wait_for_url(f"**/staff/tasks/{journey.task_id}")
    await act(page, "#claim")
    await act(page, "#record-step")  # verified
    assert "Facture vérifiée" in await page.inner_text("#finance-steps")
    await page.goto("/staff/finance")
    await page.locator("#to_approve tr", has_text=journey.tracking_number).locator("a").click()
    await page.wait_for_url(f"**/staff/tasks/{journey.task_id}")
    await act(page, "#record-step")  # approved for payment
    await page.check("#f-outcome-paid")
    await page.fill("#f-text", "Virement effectué le jour même.")
    await act(page, "#decide")
    await page.goto("/staff/finance")
    assert journey.tracking_number in await page.inner_text("#paid")
    assert journey.tracking_number not in await page.inner_text("section[aria-labelledby=to_pay-title]")
    view = await journey.wait_public_status("closed")
    assert view["decision"]["outcome"] == "paid"


@JS
async def test_an_operator_replays_a_parked_message_and_the_queue_empties(portal_system, new_page, js):
    event = await park_one(portal_system)
    operator = await add_staff(portal_system, "ops")
    page = await new_page(js=js)
    await sign_in(page, operator, language="fr")
    await page.goto("/ops/queues")
    row = page.locator("#queues tr[data-queue='lamadi.reporting.entries']")
    await wait_for_text(page, "#queues tr[data-queue='lamadi.reporting.entries'] .parked-count", "1")
    await row.locator(".parked-count a").click()
    await page.wait_for_url("**/ops/parked/lamadi.reporting.entries")
    message = page.locator(".parked-message", has_text=event.subject)
    assert "RuntimeError" in await message.inner_text() and str(event.id) in await message.inner_text()
    await message.locator("a", has_text="Relancer").click()
    await page.wait_for_url("**/ops/parked/lamadi.reporting.entries/replay?id=*")
    await submit_and_wait(page, "#confirm", "done=replay")
    assert "1" in await page.inner_text("#parked-done")
    await page.locator("#no-parked").wait_for()

    await page.goto("/ops/queues")
    await wait_for_text(page, "#queues tr[data-queue='lamadi.reporting.entries'] .parked-count", "0")
    cells = await row.locator("td").all_inner_texts()
    assert cells[0] == "0" and cells[-1] == "0"  # nothing ready, nothing parked: the queue is empty
    trail = await portal_system.http.get(portal_system.url("reporting", "/api/v1/ops/actions"),
                                         headers=staff_headers("ops", sub="checker"))
    assert trail.json()["items"][0]["message_id"] == str(event.id)
    assert trail.json()["items"][0]["actor"] == operator
