"""The staff pages' sign-in against the real PostgreSQL: the directory (argon2 passwords),
server-side sessions in signed, HttpOnly, Secure, SameSite=Strict cookies, sign-out, lockout
after repeated failures, disabled accounts, CSRF, and the audit of each. The services the staff
pages call run in this process (review, notifier, reporting, and intake for its catalogue), each
reached by its client in the portal over an HTTP transport.

The fixtures here are shared by the other test_portal_staff_* modules."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import httpx
import pytest

from services.intake.bootstrap import build_app as intake_app
from services.intake.settings import IntakeSettings
from services.notifier.bootstrap import build_app as notifier_app
from services.notifier.settings import NotifierSettings
from services.portal import handlers
from services.portal.adapters.intake import IntakeClient
from services.portal.adapters.notifier import NotifierClient
from services.portal.adapters.reporting import ReportingClient
from services.portal.adapters.review import ReviewClient
from services.portal.bootstrap import build_app as portal_app
from services.portal.domain import commands
from services.portal.settings import PortalSettings
from services.reporting.bootstrap import build_app as reporting_app
from services.reporting.settings import ReportingSettings
from services.review.bootstrap import build_app as review_app
from services.review.settings import ReviewSettings
from shared.unit_of_work import run
from tests.integration.test_review_service import received, tracking
from tests.support import free_port, wait_until

CSRF_FIELD = re.compile(r'name="csrftoken" value="([^"]+)"')
PASSWORD = "a long enough passphrase"


@dataclass
class Portal:
    client: httpx.AsyncClient
    app: object
    review: httpx.AsyncClient
    transports: dict[str, httpx.AsyncBaseTransport]  # each service's app, in this process

    @property
    def deps(self):
        return self.app.state.deps

    @property
    def pool(self):
        return self.deps.pool

    async def add(self, role: str, *more: str, name: str | None = None) -> str:
        email = f"{role}-{uuid.uuid4().hex[:6]}@agence.ma"
        await run(handlers.add_staff, commands.AddStaff(email, name or f"{role.title()} Staff", [role, *more],
                                                        PASSWORD, "test"), self.deps, correlation_id="test")
        return email

    async def token(self, client: httpx.AsyncClient | None = None, path: str = "/staff/sign-in") -> str:
        return CSRF_FIELD.search((await (client or self.client).get(path)).text).group(1)

    async def sign_in(self, email: str, password: str = PASSWORD, client: httpx.AsyncClient | None = None
                      ) -> httpx.Response:
        client = client or self.client
        return await client.post("/staff/sign-in", data={"csrftoken": await self.token(client), "email": email,
                                                         "password": password})

    def browser(self) -> httpx.AsyncClient:
        """Another browser: its own cookies."""
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="https://portal.test")

    async def signed_in(self, role: str, *more: str) -> tuple[httpx.AsyncClient, str]:
        email = await self.add(role, *more)
        browser = self.browser()
        answer = await self.sign_in(email, client=browser)
        assert answer.status_code == 303, answer.text
        return browser, email

    async def audit(self, email: str) -> list[str]:
        rows = await self.pool.fetch("SELECT action FROM staff_audit WHERE subject = $1 ORDER BY id", email)
        return [row["action"] for row in rows]


async def _ready(client: httpx.AsyncClient) -> bool:
    return (await client.get("/readyz")).status_code == 200


@pytest.fixture
async def portal(env, broker, tmp_path, monkeypatch):
    """The portal and the three staff APIs in this process; the portal reaches them over ASGI.
    Intake answers its catalogue only (no lifespan: it consumes no event here)."""
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path / "documents"))
    apps = {"review": review_app(ReviewSettings()), "notifier": notifier_app(NotifierSettings()),
            "reporting": reporting_app(ReportingSettings())}
    intake = intake_app(IntakeSettings())
    settings = PortalSettings(intake_url=f"http://127.0.0.1:{free_port()}", staging_dir=tmp_path / "staging",
                              sign_in_attempts=3, lockout_seconds=600, sign_in_rate_limit="1000/minute")
    app = portal_app(settings)
    async with apps["review"].router.lifespan_context(apps["review"]), \
            apps["notifier"].router.lifespan_context(apps["notifier"]), \
            apps["reporting"].router.lifespan_context(apps["reporting"]), app.router.lifespan_context(app):
        transports = {name: httpx.ASGITransport(app=a) for name, a in {**apps, "intake": intake}.items()}
        deps = app.state.deps
        deps.intake = IntakeClient("http://intake.test", 10, transport=transports["intake"])
        deps.review = ReviewClient("http://review.test", 10, transport=transports["review"])
        deps.notifier = NotifierClient("http://notifier.test", 10, transport=transports["notifier"])
        deps.reporting = ReportingClient("http://reporting.test", 10, transport=transports["reporting"])
        review = httpx.AsyncClient(transport=transports["review"], base_url="http://review.test")
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://portal.test")
        for other in apps.values():
            await wait_until(lambda: all(c.active for c in other.state.runtime.consumers), message="consuming")
        yield Portal(client, app, review, transports)
        await client.aclose()
        await review.aclose()


async def a_task(portal: Portal, broker, kind: str = "complaint") -> dict:
    number = tracking()
    await broker.publish(received(number, kind))

    async def found():
        answer = await portal.review.get("/api/v1/tasks", params={"tracking_number": number},
                                         headers=_admin_token(portal))
        items = answer.json()["items"]
        return items[0] if items else None

    return await wait_until(found, message=f"task {number}")


def _admin_token(portal: Portal) -> dict[str, str]:
    from shared.auth import issue_token

    secret = portal.deps.settings.jwt_secret.get_secret_value()
    return {"Authorization": f"Bearer {issue_token(secret, sub='admin-test', roles=['admin'])}"}


async def test_sign_in_opens_a_server_side_session_in_a_strict_cookie_and_sign_out_ends_it(portal):
    email = await portal.add("reviewer", name="Fatima Reviewer")
    page = await portal.client.get("/staff/tasks")
    assert page.status_code == 303 and page.headers["location"] == "/staff/sign-in?next=%2Fstaff%2Ftasks"

    signed = await portal.sign_in(email.upper())  # the email is the sign-in name, whatever its case
    assert signed.status_code == 303 and signed.headers["location"] == "/staff/tasks"
    cookie = next(v for k, v in signed.headers.multi_items() if k == "set-cookie" and v.startswith("lamadi_staff="))
    flags = cookie.lower()
    assert "httponly" in flags and "secure" in flags and "samesite=strict" in flags
    session_cookie = portal.client.cookies["lamadi_staff"]
    queue = await portal.client.get("/staff/tasks")
    assert queue.status_code == 200 and "Fatima Reviewer" in queue.text

    out = await portal.client.post("/staff/sign-out", data={"csrftoken": CSRF_FIELD.search(queue.text).group(1)})
    assert out.status_code == 303
    assert (await portal.client.get("/staff/tasks")).status_code == 303
    # The old cookie, replayed after sign-out, opens nothing: the session ended on the server.
    replay = portal.browser()
    replay.cookies.set("lamadi_staff", session_cookie, domain="portal.test")
    assert (await replay.get("/staff/tasks")).status_code == 303
    assert await portal.audit(email) == ["staff_added", "sign_in", "sign_out"]


async def test_repeated_failures_lock_the_account_and_a_locked_account_cannot_sign_in(portal, capfd):
    email = await portal.add("reviewer")
    for _ in range(2):
        wrong = await portal.sign_in(email, "not the password at all")
        assert wrong.status_code == 403 and "lamadi_staff" not in portal.client.cookies
    locking = await portal.sign_in(email, "not the password at all")
    assert locking.status_code == 403 and "10" in locking.text  # locked for 10 minutes
    refused = await portal.sign_in(email, PASSWORD)  # the right password, too late
    assert refused.status_code == 403 and "lamadi_staff" not in portal.client.cookies
    assert (await portal.client.get("/staff/tasks")).status_code == 303
    assert await portal.audit(email) == ["staff_added", "sign_in_failed", "sign_in_failed", "sign_in_failed",
                                         "locked_out", "sign_in_refused_locked"]

    await run(handlers.unlock_staff, commands.UnlockStaff(email, "test"), portal.deps, correlation_id="t")
    assert (await portal.sign_in(email)).status_code == 303
    logs = capfd.readouterr()
    assert PASSWORD not in logs.out + logs.err and "not the password" not in logs.out + logs.err
    assert email not in logs.out + logs.err


async def test_an_unknown_or_disabled_account_gets_the_same_answer_and_disabling_ends_sessions(portal):
    browser, email = await portal.signed_in("reviewer")
    unknown = await portal.sign_in("nobody@agence.ma")
    assert unknown.status_code == 403
    await run(handlers.disable_staff, commands.DisableStaff(email, "test"), portal.deps, correlation_id="t")
    assert (await browser.get("/staff/tasks")).status_code == 303  # the open session ended
    disabled = await portal.sign_in(email)
    assert disabled.status_code == 403
    assert _summary(disabled.text) == _summary(unknown.text)  # nothing tells which
    await browser.aclose()


def _summary(html: str) -> str:
    return re.search(r'<div class="error-summary.*?</div>', html, re.S).group(0)


async def test_a_request_without_a_valid_csrf_token_changes_nothing(portal, broker):
    email = await portal.add("reviewer")
    await portal.client.get("/staff/sign-in")
    forged = await portal.client.post("/staff/sign-in", data={"csrftoken": "forged", "email": email,
                                                              "password": PASSWORD})
    assert forged.status_code == 403 and "lamadi_staff" not in portal.client.cookies
    assert await portal.audit(email) == ["staff_added"]  # not even tried

    browser, _ = await portal.signed_in("reviewer")
    task = await a_task(portal, broker)
    claim = await browser.post(f"/staff/tasks/{task['id']}/claim", data={})
    assert claim.status_code == 403
    other_token = await portal.token(portal.browser())  # a token of another browser
    claim = await browser.post(f"/staff/tasks/{task['id']}/claim", data={"csrftoken": other_token})
    assert claim.status_code == 403
    after = (await portal.review.get(f"/api/v1/tasks/{task['id']}", headers=_admin_token(portal))).json()
    assert (after["status"], after["version"], after["assignee"]) == ("queued", 1, None)
    out = await browser.post("/staff/sign-out", data={})
    assert out.status_code == 403 and (await browser.get("/staff/tasks")).status_code == 200
    await browser.aclose()


async def test_the_directory_keeps_argon2_hashes_only(portal):
    email = await portal.add("finance")
    stored = await portal.pool.fetchval("SELECT password_hash FROM staff_members WHERE email = $1", email)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
