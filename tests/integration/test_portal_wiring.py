"""The portal is wired as the other services are: the shared runtime without a broker (it starts,
serves and is ready with no broker at all), its clients carry the request's correlation id
without any route handing it to them, and every "not found" is the same error page."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from services.intake.bootstrap import build_app as intake_app
from services.intake.settings import IntakeSettings
from services.portal.adapters.intake import IntakeClient
from services.portal.bootstrap import build_app as portal_app
from services.portal.settings import PortalSettings
from tests.support import free_port

NOT_FOUND_AR = "الصفحة غير موجودة"


class RecordingTransport(httpx.AsyncBaseTransport):
    """Intake in this process, with the requests the portal sent it kept for the test to read."""

    def __init__(self, app):
        self.inner, self.requests = httpx.ASGITransport(app=app), []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def portal(env, tmp_path, monkeypatch):
    """Intake and the portal in this process; the broker URL of both points at a closed port."""
    monkeypatch.setenv("LAMADI_AMQP_URL", f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path / "documents"))
    intake = intake_app(IntakeSettings())
    portal = portal_app(PortalSettings(intake_url="http://intake.test", staging_dir=tmp_path / "staging"))
    async with intake.router.lifespan_context(intake), portal.router.lifespan_context(portal):
        recording = RecordingTransport(intake)
        portal.state.deps.intake = IntakeClient("http://intake.test", 10, transport=recording)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=portal), base_url="https://portal.test") as web:
            web.intake_requests = recording.requests
            web.runtime = portal.state.runtime
            yield web


async def test_the_portal_runs_and_is_ready_without_any_broker(portal):
    ready = await portal.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": True, "intake": True}
    assert portal.runtime.broker is None and portal.runtime.relay is None and portal.runtime.consumers == []
    assert (await portal.get("/file/complaint")).status_code == 200


async def test_the_request_correlation_id_reaches_intake_without_a_route_passing_it(portal):
    answer = await portal.get("/opinions", headers={"X-Correlation-ID": "portal-corr-12345"})
    assert answer.status_code == 200 and answer.headers["x-correlation-id"] == "portal-corr-12345"
    sent = [r for r in portal.intake_requests if r.url.path == "/api/v1/opinions"]
    assert sent and all(r.headers["x-correlation-id"] == "portal-corr-12345" for r in sent)
    other = await portal.get("/opinions", headers={"X-Correlation-ID": "another-id-67890"})
    assert other.status_code == 200
    assert portal.intake_requests[-1].headers["x-correlation-id"] == "another-id-67890"


def test_no_portal_page_hands_a_correlation_id_to_anything():
    pages = Path(__file__).resolve().parents[2] / "services" / "portal" / "api"
    handing = [str(p.relative_to(pages)) for p in pages.rglob("*.py") if "correlation_id" in p.read_text()]
    assert handing == []


@pytest.mark.parametrize(("path", "words"), [
    ("/file/no-such-kind", NOT_FOUND_AR),
    ("/drafts/00000000-0000-0000-0000-000000000000/resume?token=not-a-token", "انتهت صلاحية هذا الرابط"),
    ("/no/such/page", NOT_FOUND_AR),
])
async def test_a_missing_page_is_the_error_page_with_its_status(portal, path, words):
    answer = await portal.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert words in answer.text and "<main" in answer.text  # the site's page, never a blank one
