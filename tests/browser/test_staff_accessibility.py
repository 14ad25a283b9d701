"""Every staff and operations page, in Arabic and in French: axe-core finds no WCAG 2.1 A or AA
violation (each page screenshotted into var/artefacts/screenshots/). An administrator holds
every role, so each page shows all its forms: a complaint to answer with a standard reply, an
information note's facts, a permit's committee opinions, an invoice's finance step, a parked
message; plus the sign-in page with its error, a task page with an error, and a refused page."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.portal import check_accessibility
from tests.browser.staff import add_staff, park_one, permit_in_committee, sign_in, sign_out
from tests.builders import staff_headers
from tests.e2e.journey import Journey
from tests.files import TINY_PNG, multipart

PARKED_QUEUE = "lamadi.notifier.staff-alerts"


async def claimed(system, kind: str, **extra) -> Journey:
    journey = Journey(system, kind, email=f"a11y-{uuid.uuid4().hex[:8]}@example.ma")
    if extra:
        answer = await system.http.post(system.url("intake", "/api/v1/submissions"),
                                        **multipart(journey.payload, extra=extra["files"]))
        assert answer.status_code == 202, answer.text
        journey.tracking_number, journey.token = answer.json()["tracking_number"], answer.json()["access_token"]
    else:
        await journey.file()
    await journey.wait_task("queued", role="supervisor" if kind != "supplier_invoice" else "finance")
    await journey.staff_post("claim", "admin", "admin-setup")
    return journey


@pytest.fixture(scope="module")
async def staff_pages(portal_system):
    """The pages to check, with the data that fills them (built once for both languages)."""
    system = portal_system
    photo = [("evidence", ("photo.png", TINY_PNG, "image/png"))]
    complaint = await claimed(system, "complaint", files=photo)
    note = await claimed(system, "information_note")
    invoice = await claimed(system, "supplier_invoice")
    permit, session_id = await permit_in_committee(system)
    await park_one(system, PARKED_QUEUE)  # not reporting's: the operator's journey empties that one
    detail = await system.http.get(system.url("review", f"/api/v1/tasks/{complaint.task_id}"),
                                   headers=staff_headers("admin", sub="a"))
    evidence = detail.json()["documents"][0]["sha256"]
    deliveries = await system.http.get(system.url("notifier", "/api/v1/deliveries"),
                                       headers=staff_headers("supervisor", sub="s"), params={"limit": 1})
    delivery_id = deliveries.json()["items"][0]["id"]
    return {
        "queue": "/staff/tasks", "queue-filtered": "/staff/tasks?kind=complaint&overdue=1",
        "task-complaint": f"/staff/tasks/{complaint.task_id}",
        "task-preview": f"/staff/tasks/{complaint.task_id}/documents/{evidence}/preview",
        "task-note": f"/staff/tasks/{note.task_id}", "task-invoice": f"/staff/tasks/{invoice.task_id}",
        "task-permit": f"/staff/tasks/{permit.task_id}", "committee": "/staff/committee",
        "agenda": f"/staff/committee/{session_id}", "finance": "/staff/finance", "replies": "/staff/replies",
        "admin": "/staff/admin", "account": "/staff/account", "ops-queues": "/ops/queues",
        "ops-services": "/ops/services", "ops-parked": f"/ops/parked/{PARKED_QUEUE}",
        "ops-confirm": f"/ops/parked/{PARKED_QUEUE}/drop",
        "ops-deliveries": "/ops/deliveries", "ops-resend": f"/ops/deliveries/{delivery_id}/resend",
        "ops-reports": "/ops/reports",
        "_complaint": complaint.task_id,
    }


@pytest.mark.parametrize("language", ["ar", "fr"])
async def test_every_staff_page_has_no_wcag_21_aa_violation(portal_system, staff_pages, new_page, language):
    page = await new_page()
    await page.goto(f"/language/{language}?next=/staff/sign-in")
    await page.goto("/staff/sign-in")
    await check_accessibility(page, f"staff-{language}-sign-in")
    await page.fill("#s-email", "nobody@agence.ma")
    await page.fill("#s-password", "not the right one")
    await page.click("form[action='/staff/sign-in'] button[type=submit]")
    await page.locator(".error-summary").wait_for()
    await check_accessibility(page, f"staff-{language}-sign-in-refused")

    admin = await add_staff(portal_system, "admin", name="نادية المدير" if language == "ar" else "Nadia Admin")
    await sign_in(page, admin)
    for name, path in staff_pages.items():
        if name.startswith("_"):
            continue
        await page.goto(path)
        assert await page.locator("html").get_attribute("lang") == language
        await check_accessibility(page, f"staff-{language}-{name}")

    # A refused action shown on its page (an empty decision), and a page the roles do not open.
    await page.goto(staff_pages["task-complaint"])
    await page.evaluate("document.getElementById('decide-form').noValidate = true")
    await page.click("#decide")
    await page.wait_for_url(f"**/staff/tasks/{staff_pages['_complaint']}/decide")
    await page.locator(".error-summary").wait_for()
    await check_accessibility(page, f"staff-{language}-task-error")
    await sign_out(page)
    reviewer = await add_staff(portal_system, "reviewer")
    await sign_in(page, reviewer)
    answer = await page.goto("/ops/queues")
    assert answer.status == 403
    await check_accessibility(page, f"staff-{language}-refused")
