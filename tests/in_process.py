"""The services run in the test's own process, on the test database and broker: ``served(name,
settings)`` starts one (its whole start-up: migrations, pool, broker, consumers, relay) and gives
a ``ServiceUnderTest``, the one shape every service has in the tests (tests/integration/conftest.py
builds its fixtures on it). The portal's calls to the other services go to their apps in this
process too (``portal_in_front_of``)."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import asyncpg
import httpx
from fastapi import FastAPI

from services.portal import handlers
from services.portal.adapters.intake import IntakeClient
from services.portal.adapters.notifier import NotifierClient
from services.portal.adapters.reporting import ReportingClient
from services.portal.adapters.review import ReviewClient
from services.portal.domain import commands
from shared.container import Clock
from shared.envelope import Envelope
from shared.settings import ServiceSettings
from shared.unit_of_work import run
from tests.builders import STAFF_PASSWORD, decided, new_tracking_number, notification_sent, received, staff_headers
from tests.files import filing, multipart
from tests.pages import csrf_token
from tests.support import wait_until

BASE_URLS = {"portal": "https://portal.test"}  # the portal's cookies are Secure: it is reached over https


@dataclass
class ServiceUnderTest:
    """One service in this process: ``client`` calls its app (anonymous, like a request with no
    token); ``auth(*roles, sub=...)`` gives a staff member's headers for it."""

    name: str
    app: FastAPI
    client: httpx.AsyncClient
    _clients: list[httpx.AsyncClient] = field(default_factory=list, repr=False)

    @property
    def deps(self):
        return self.app.state.deps

    @property
    def settings(self) -> ServiceSettings:
        return self.app.state.settings

    @property
    def runtime(self):
        return self.app.state.runtime

    @property
    def pool(self) -> asyncpg.Pool:
        return self.deps.pool

    @property
    def transport(self) -> httpx.ASGITransport:
        return httpx.ASGITransport(app=self.app)

    def auth(self, *roles: str, sub: str = "tester") -> dict[str, str]:
        return staff_headers(*roles, sub=sub, secret=self.settings.jwt_secret.get_secret_value())

    def new_client(self, **headers: str) -> httpx.AsyncClient:
        """Another client of the app (its own cookies), closed when the service stops."""
        client = httpx.AsyncClient(transport=self.transport, base_url=BASE_URLS.get(self.name, "http://testserver"),
                                   headers=headers)
        self._clients.append(client)
        return client

    def as_staff(self, *roles: str, sub: str = "tester") -> httpx.AsyncClient:
        """A client that sends this staff member's token with every request."""
        return self.new_client(**self.auth(*roles, sub=sub))

    async def ready(self) -> bool:
        return all((await self.runtime.readiness()).values())

    async def close_clients(self) -> None:
        for client in self._clients:
            await client.aclose()


class Intake(ServiceUnderTest):
    """Intake, with what an applicant does (file, look) and what review and the notifier tell it
    (a decision, its email) fed as their events."""

    async def file(self, kind: str, **applicant) -> dict:
        """A filing of this kind with its required documents, as the portal sends it; intake's answer."""
        answer = await self.client.post("/api/v1/submissions", **multipart(filing(kind, applicant=applicant)))
        assert answer.status_code == 202, answer.text
        return answer.json()

    async def view(self, filed: dict) -> dict:
        """What the applicant sees of a filing (intake's answer to ``file``), with its access code."""
        answer = await self.client.get(filed["location"], headers={"X-Access-Token": filed["access_token"]})
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def receipt(self, filed: dict) -> httpx.Response:
        """The filing's receipt as the notifier issued it (a notifier runs beside): once it is."""
        async def issued():
            answer = await self.client.get(f"{filed['location']}/receipt",
                                           headers={"X-Access-Token": filed["access_token"]})
            return answer if answer.status_code != 409 else None

        return await wait_until(issued, message=f"the receipt of {filed['tracking_number']} issued")

    async def status_is(self, filed: dict, status: str) -> dict | None:
        view = await self.view(filed)
        return view if view["status"] == status else None

    async def decide(self, broker, filed: dict, kind: str, outcome: str, *, version: int = 5, email: bool = True,
                     **fields) -> Envelope:
        """review.decided fed to intake (and the decision email's notification.sent, unless
        ``email`` is False) as review and the notifier publish them; once intake followed it."""
        decision = decided(filed["tracking_number"], kind, outcome=outcome, text="Décision.", version=version,
                           **fields)
        await broker.publish(decision)
        await wait_until(lambda: self.status_is(filed, "decided"), message="decided")
        if email:
            await self.email_decision(broker, filed, kind, decision.id)
        return decision

    async def email_decision(self, broker, filed: dict, kind: str, cause_event_id) -> None:
        await broker.publish(notification_sent(filed["tracking_number"], kind, template="decision",
                                               cause_event_id=cause_event_id))
        await wait_until(lambda: self.status_is(filed, "closed"), message="closed")


class Review(ServiceUnderTest):
    async def task_of(self, tracking_number: str) -> dict | None:
        answer = await self.client.get("/api/v1/tasks", params={"tracking_number": tracking_number},
                                       headers=self.auth("admin", sub="admin-1"))
        assert answer.status_code == 200, answer.text
        items = answer.json()["items"]
        return items[0] if items else None

    async def wait_task(self, tracking_number: str, **expected) -> dict:
        """The filing's task once review made it (and once its fields have the ``expected`` values)."""
        async def matches():
            task = await self.task_of(tracking_number)
            return task if task and all(task[k] == v for k, v in expected.items()) else None

        return await wait_until(matches, message=f"task {tracking_number} with {expected}")

    async def queued_task(self, broker, kind: str = "complaint", **fields) -> dict:
        """The task of a new filing of this kind (its submission.received published as intake does)."""
        number = new_tracking_number()
        await broker.publish(received(number, kind, **fields))
        return await self.wait_task(number)

    async def outbox(self, tracking_number: str) -> list[dict]:
        rows = await self.pool.fetch(
            "SELECT envelope FROM outbox WHERE envelope->>'subject' = $1 ORDER BY id", tracking_number
        )
        return [row["envelope"] for row in rows]


class Reporting(ServiceUnderTest):
    async def entries_count(self) -> int:
        return await self.pool.fetchval("SELECT count(*) FROM report_entries")

    async def published(self) -> list[dict]:
        """report.daily_published events in reporting's outbox, oldest first."""
        rows = await self.pool.fetch(
            "SELECT envelope FROM outbox WHERE routing_key = 'report.daily_published.v1' ORDER BY id")
        return [row["envelope"] for row in rows]


class Portal(ServiceUnderTest):
    """The portal, with the services behind it (``behind``: intake, review, notifier, reporting)."""

    behind: dict[str, ServiceUnderTest]

    @property
    def review(self) -> Review:
        return self.behind["review"]

    async def add(self, role: str, *more: str, name: str | None = None) -> str:
        """A staff member added to the directory (password STAFF_PASSWORD); their email."""
        email = f"{role}-{uuid.uuid4().hex[:6]}@agence.ma"
        await run(handlers.add_staff, commands.AddStaff(email, name or f"{role.title()} Staff", [role, *more],
                                                        STAFF_PASSWORD, "test"), self.deps, correlation_id="test")
        return email

    async def csrf_token(self, client: httpx.AsyncClient | None = None, path: str = "/staff/sign-in") -> str:
        return csrf_token((await (client or self.client).get(path)).text)

    async def sign_in(self, email: str, password: str = STAFF_PASSWORD, client: httpx.AsyncClient | None = None
                      ) -> httpx.Response:
        client = client or self.client
        return await client.post("/staff/sign-in", data={"csrftoken": await self.csrf_token(client), "email": email,
                                                         "password": password})

    def browser(self) -> httpx.AsyncClient:
        """Another browser: its own cookies."""
        return self.new_client()

    async def signed_in(self, role: str, *more: str) -> tuple[httpx.AsyncClient, str]:
        email = await self.add(role, *more)
        browser = self.browser()
        answer = await self.sign_in(email, client=browser)
        assert answer.status_code == 303, answer.text
        return browser, email

    async def audit(self, email: str) -> list[str]:
        rows = await self.pool.fetch("SELECT action FROM staff_audit WHERE subject = $1 ORDER BY id", email)
        return [row["action"] for row in rows]


SHAPES: dict[str, type[ServiceUnderTest]] = {"intake": Intake, "review": Review, "reporting": Reporting,
                                             "portal": Portal}


def build_app(name: str, settings: ServiceSettings, clock: Clock | None = None) -> FastAPI:
    """``services.<name>.bootstrap.build_app``, given the clock when there is one to give."""
    build = importlib.import_module(f"services.{name}.bootstrap").build_app
    takes_clock = clock is not None and "clock" in inspect.signature(build).parameters
    return build(settings, clock=clock) if takes_clock else build(settings)


@asynccontextmanager
async def served(name: str, settings: ServiceSettings, *, clock: Clock | None = None, app: FastAPI | None = None,
                 wait_ready: bool = True) -> AsyncIterator[ServiceUnderTest]:
    """The service started in this process and (unless told not to wait) ready: its database,
    broker and consumers up; stopped after."""
    app = app or build_app(name, settings, clock)
    async with app.router.lifespan_context(app):
        service = SHAPES.get(name, ServiceUnderTest)(name, app, None)
        service.client = service.new_client()
        try:
            if wait_ready:
                await wait_until(service.ready, message=f"{name} ready")
            yield service
        finally:
            await service.close_clients()


@asynccontextmanager
async def served_together(settings: dict[str, ServiceSettings], *,
                          clock: Clock | None = None) -> AsyncIterator[dict[str, ServiceUnderTest]]:
    """Several services started at once (their start-ups overlap), by name; stopped together after."""
    async with AsyncExitStack() as stack:
        started = await asyncio.gather(*(stack.enter_async_context(served(name, each, clock=clock))
                                         for name, each in settings.items()))
        yield dict(zip(settings, started))


@asynccontextmanager
async def portal_in_front_of(settings, behind: dict[str, ServiceSettings], *,
                             clock: Clock | None = None) -> AsyncIterator[Portal]:
    """The portal and the services of ``behind`` (their settings by name) started in this process,
    the portal's clients of intake and of the staff APIs calling their apps here."""
    async with served_together(behind, clock=clock) as services:
        app = build_app("portal", settings, clock)
        deps = app.state.deps
        await deps.close_clients()
        transports = {name: service.transport for name, service in services.items()}
        deps.intake = IntakeClient("http://intake.test", settings.intake_timeout, transport=transports.get("intake"))
        for name, client in (("review", ReviewClient), ("notifier", NotifierClient), ("reporting", ReportingClient)):
            setattr(deps, name, client(f"http://{name}.test", settings.staff_api_timeout,
                                       transport=transports.get(name)))
        async with served("portal", settings, app=app) as portal:
            portal.behind = services
            yield portal
