"""The staff pages follow review's answers and keep no rule of their own: a task's page offers
exactly the actions review allows that person (each form with the outcomes, steps or opinions
review gives), the work queue's deadline words follow review's margin
(LAMADI_DEADLINE_MARGIN_DAYS), the finance page lists review's finance stages, and a session's
agenda shows review's aggregate, read from the list answer with no call per task."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx

from services.portal.adapters.review import ReviewClient
from services.review.settings import ReviewSettings
from shared.vocabulary import name
from tests.in_process import served
from tests.support import RecordingTransport

FORM = re.compile(r'<form[^>]*data-action="([a-z_]+)".*?</form>', re.S)
RADIO = re.compile(r'<input[^>]*type="radio"[^>]*value="([^"]+)"')


def as_(portal, email: str, role: str) -> dict[str, str]:
    return portal.review.auth(role, sub=email)


async def reviews_offer(portal, task_id: str, email: str, role: str) -> dict[str, set[str]]:
    """What review offers this person on the task: each action, with the codes it chooses among."""
    answer = await portal.review.client.get(f"/api/v1/tasks/{task_id}", headers=as_(portal, email, role))
    assert answer.status_code == 200, answer.text
    return {a["action"]: {*a["outcomes"], *a["steps"], *a["opinions"]} for a in answer.json()["allowed_actions"]}


async def pages_offer(browser: httpx.AsyncClient, task_id: str) -> dict[str, set[str]]:
    """What the task page offers: each action's form, with the codes its radios choose among."""
    page = await browser.get(f"/staff/tasks/{task_id}")
    assert page.status_code == 200, page.text[:300]
    return {form.group(1): set(RADIO.findall(form.group(0))) for form in FORM.finditer(page.text)}


async def post(portal, task_id: str, action: str, email: str, role: str, body: dict | None = None) -> None:
    answer = await portal.review.client.post(f"/api/v1/tasks/{task_id}/{action}", headers=as_(portal, email, role),
                                      json=body)
    assert answer.status_code in (200, 201), answer.text


async def test_a_task_page_offers_exactly_the_actions_review_allows_each_person(portal, broker):
    complaint = await portal.review.queued_task(broker, "complaint")
    assignee, assignee_email = await portal.signed_in("reviewer")
    await post(portal, complaint["id"], "claim", assignee_email, "reviewer")
    people = [(assignee, assignee_email, "reviewer"), (*await portal.signed_in("reviewer"), "reviewer"),
              (*await portal.signed_in("supervisor"), "supervisor"), (*await portal.signed_in("ops"), "ops")]
    offers = []
    for browser, email, role in people:
        expected = await reviews_offer(portal, complaint["id"], email, role)
        assert await pages_offer(browser, complaint["id"]) == expected, role
        offers.append(expected)
    assert len({frozenset(offer) for offer in offers}) >= 3  # the people were shown different actions

    # An invoice, step by step: the page offers what review does at each stage, no more.
    invoice = await portal.review.queued_task(broker, "supplier_invoice")
    cashier, cashier_email = await portal.signed_in("finance")
    await post(portal, invoice["id"], "claim", cashier_email, "finance")
    for step in (None, "verified", "approved_for_payment"):
        if step:
            await post(portal, invoice["id"], "steps", cashier_email, "finance", {"step": step})
        expected = await reviews_offer(portal, invoice["id"], cashier_email, "finance")
        assert await pages_offer(cashier, invoice["id"]) == expected, step
    assert "record_step" not in expected and expected["decide"] == {"paid", "rejected"}
    for browser, *_ in people:
        await browser.aclose()
    await cashier.aclose()


async def test_the_work_queues_deadline_words_follow_reviews_margin(portal, broker):
    task = await portal.review.queued_task(broker, "complaint")  # decided within 60 calendar days
    reviewer, _ = await portal.signed_in("reviewer")

    async def state_shown() -> str:
        queue = await reviewer.get("/staff/tasks", params={"kind": "complaint"})
        row = re.search(rf'<tr>(?:(?!</tr>).)*{task["tracking_number"]}.*?</tr>', queue.text, re.S).group(0)
        return re.search(r'class="badge deadline-badge[^"]*">([^<]+)<', row).group(1)

    assert await state_shown() == name("deadline_states", "on_time", "ar")  # review's margin: 2 days
    async with served("review", ReviewSettings(deadline_margin_days=100, deadline_scan_interval=3600)) as wider:
        portal.deps.review = ReviewClient("http://review.test", 10, transport=wider.transport)
        assert await state_shown() == name("deadline_states", "approaching", "ar")
    await reviewer.aclose()


async def test_the_finance_page_lists_each_invoice_at_the_stage_review_gives_it(portal, broker):
    officer, email = await portal.signed_in("finance")
    invoices = {stage: await portal.review.queued_task(broker, "supplier_invoice")
                for stage in ("to_verify", "to_approve", "to_pay", "paid")}
    complaint = await portal.review.queued_task(broker, "complaint")  # no invoice: on no finance list
    for stage, steps in (("to_approve", ["verified"]), ("to_pay", ["verified", "approved_for_payment"]),
                         ("paid", ["verified", "approved_for_payment"])):
        task_id = invoices[stage]["id"]
        await post(portal, task_id, "claim", email, "finance")
        for step in steps:
            await post(portal, task_id, "steps", email, "finance", {"step": step})
    # Approved, then a question to the supplier: still to be paid, while waiting for the answer.
    await post(portal, invoices["to_pay"]["id"], "observations", email, "finance",
               {"observations": "Merci de joindre le RIB."})
    await post(portal, invoices["paid"]["id"], "decision", email, "finance",
               {"outcome": "paid", "text": "Virement effectué."})

    page = (await officer.get("/staff/finance")).text
    sections = dict(re.findall(r'<section[^>]*aria-labelledby="([a-z_]+)-title">(.*?)</section>', page, re.S))
    for stage, task in invoices.items():
        listed = [other for other, section in sections.items() if task["tracking_number"] in section]
        assert listed == [stage], (stage, listed)
    assert complaint["tracking_number"] not in page
    assert name("finance_stages", "to_pay", "ar") in sections["to_pay"]
    await officer.aclose()


async def test_a_sessions_agenda_shows_reviews_aggregate_with_no_call_per_task(portal, broker):
    supervisor, chief = await portal.signed_in("supervisor")
    session = await portal.review.client.post("/api/v1/committee/sessions", headers=as_(portal, chief, "supervisor"),
                                       json={"session_date": (date.today() + timedelta(days=7)).isoformat()})
    assert session.status_code == 201, session.text
    permit = await portal.review.queued_task(broker, "building_permit")
    await post(portal, permit["id"], "claim", "reviewer@agence.ma", "reviewer")
    await post(portal, permit["id"], "refer", "reviewer@agence.ma", "reviewer", {"session_id": session.json()["id"]})
    for member, opinion in (("member-a@agence.ma", "favourable"), ("member-b@agence.ma", "unfavourable")):
        await post(portal, permit["id"], "opinions", member, "committee", {"opinion": opinion, "motive": "Motif."})

    recording = RecordingTransport(portal.review.app)
    portal.deps.review = ReviewClient("http://review.test", 10, transport=recording)
    agenda = await supervisor.get(f"/staff/committee/{session.json()['id']}")
    row = re.search(rf'<tr>(?:(?!</tr>).)*{permit["tracking_number"]}.*?</tr>', agenda.text, re.S).group(0)
    aggregate = re.search(r'<td class="aggregate">([^<]*)</td>', row).group(1)
    assert aggregate == name("opinions", "unfavourable", "ar")
    assert [r.url.path for r in recording.requests] == ["/api/v1/committee/sessions", "/api/v1/tasks"]

    page = await supervisor.get(f"/staff/tasks/{permit['id']}")
    assert name("opinions", "unfavourable", "ar") in re.search(r'<p id="aggregate">.*?</p>', page.text, re.S).group(0)
    await supervisor.aclose()
