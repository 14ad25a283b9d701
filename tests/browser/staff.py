"""What the agency's staff do on the portal, as Playwright steps: accounts added to the running
system's directory (as `lamadi staff add` does), sign-in, and the pages' forms."""

from __future__ import annotations

import uuid

from playwright.async_api import Page

from services.portal import handlers
from services.portal.bootstrap import SERVICE, build_deps
from services.portal.domain import commands
from services.portal.settings import PortalSettings
from shared.db import create_pool
from shared.unit_of_work import run
from tests.browser.portal import submit_and_wait

PASSWORD = "une phrase de passe assez longue"


async def add_staff(system, role: str, *more: str, name: str | None = None) -> str:
    """A new staff member of the running portal's directory; their email (their sign-in name)."""
    email = f"{role}-{uuid.uuid4().hex[:6]}@agence.ma"
    settings = PortalSettings(database_url=system.env["LAMADI_DATABASE_URL"])
    deps = build_deps(settings)
    deps.attach_pool(await create_pool(settings.database_url, SERVICE, max_size=1))
    try:
        await run(handlers.add_staff, commands.AddStaff(email, name or f"{role.title()} {email[-14:-10]}",
                                                        [role, *more], PASSWORD, "browser-test"),
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
    await page.fill("#s-password", PASSWORD)
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
