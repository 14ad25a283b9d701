"""What the agency's staff do on the portal, as Playwright steps: accounts added to the running
system's directory (as `lamadi staff add` does), sign-in, and the pages' forms; and what they
work on, set up through the services' APIs (a permit before the committee, a parked message)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from playwright.async_api import Page

from services.portal import handlers
from services.portal.bootstrap import SERVICE, build_deps
from services.portal.domain import commands
from services.portal.settings import PortalSettings
from shared.db import create_pool
from shared.envelope import Envelope
from shared.messaging.broker import Broker, envelope_message
from shared.unit_of_work import run
from tests.browser.portal import submit_and_wait
from tests.builders import STAFF_PASSWORD, staff_headers, withdrawn
from tests.e2e.journey import Journey
from tests.support import wait_until


async def add_staff(system, role: str, *more: str, name: str | None = None) -> str:
    """A new staff member of the running portal's directory; their email (their sign-in name)."""
    email = f"{role}-{uuid.uuid4().hex[:6]}@agence.ma"
    settings = PortalSettings(database_url=system.env["LAMADI_DATABASE_URL"])
    deps = build_deps(settings)
    deps.attach_pool(await create_pool(settings.database_url, SERVICE, max_size=1))
    try:
        await run(handlers.add_staff, commands.AddStaff(email, name or f"{role.title()} {email[-14:-10]}",
                                                        [role, *more], STAFF_PASSWORD, "browser-test"),
                  deps, correlation_id="browser-test")
    finally:
        await deps.pool.close()
        await deps.close_clients()
    return email


async def sign_in(page: Page, email: str, *, language: str | None = None, next_path: str = "") -> None:
    if language:
        await page.goto(f"/language/{language}?next=/staff/sign-in")
    await page.goto("/staff/sign-in" + (f"?next={next_path}" if next_path else ""))
    await page.fill("#s-email", email)
    await page.fill("#s-password", STAFF_PASSWORD)
    await page.click("form[action='/staff/sign-in'] button[type=submit]")
    await page.wait_for_selector("#sign-out")


async def sign_out(page: Page) -> None:
    await page.click("#sign-out")
    await page.wait_for_url("**/staff/sign-in*")


async def act(page: Page, button: str, url_part: str | None = None) -> None:
    """Press an action's button on a task page (its id: the action's name, ``#record-step``) and
    wait for the page that says this action is done: the page may still carry the flag of the
    one before, and a test going on before the action is recorded races it."""
    await submit_and_wait(page, button, url_part or f"done={button.removeprefix('#').replace('-', '_')}")


def citizen_email() -> str:
    return f"citoyen-{uuid.uuid4().hex[:8]}@example.ma"


async def permit_in_committee(system) -> tuple[Journey, str]:
    journey = Journey(system, "building_permit", email=citizen_email())
    await journey.file()
    await journey.wait_task("queued")
    session = await system.http.post(system.url("review", "/api/v1/committee/sessions"),
                                     headers=staff_headers("supervisor", sub="supervisor-setup"),
                                     json={"session_date": (date.today() + timedelta(days=5)).isoformat()})
    assert session.status_code == 201, session.text
    await journey.staff_post("claim", "reviewer", "reviewer-setup")
    await journey.staff_post("refer", "reviewer", "reviewer-setup", {"session_id": session.json()["id"]})
    return journey, session.json()["id"]


async def park_one(system, queue: str = "lamadi.reporting.entries") -> Envelope:
    """A message parked after its retries in ``queue`` (reporting's: every event is welcome there
    when replayed), as the consumer leaves it."""
    number = f"AU-OPS-{uuid.uuid4().hex[:6].upper()}"
    event = withdrawn(number)
    broker = Broker(system.env["LAMADI_AMQP_URL"], "lamadi.events", reconnect_interval=0.5)
    broker.start()
    try:
        await wait_until(lambda: broker.is_connected, message="broker connected")
        headers = {"x-lamadi-error": "RuntimeError: the database went away",
                   "x-lamadi-parked-at": datetime.now(UTC).isoformat(), "x-lamadi-attempt": 2}
        await broker.send_to_queue(f"{queue}.parked", envelope_message(event, headers=headers))
    finally:
        await broker.close()
    return event
