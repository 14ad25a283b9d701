"""The portal is wired as the other services are: the shared runtime without a broker (it starts,
serves and is ready with no broker at all), its clients carry the request's correlation id
without any route handing it to them, and every "not found" is the same error page."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.intake.settings import IntakeSettings
from services.portal.adapters.intake import IntakeClient
from services.portal.settings import PortalSettings
from tests.in_process import build_app, served
from tests.support import RecordingTransport, free_port

NOT_FOUND_AR = "الصفحة غير موجودة"


@pytest.fixture
async def portal(env, documents_dir, tmp_path, monkeypatch):
    """Intake and the portal in this process; the broker URL of both points at a closed port."""
    monkeypatch.setenv("LAMADI_AMQP_URL", f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    async with served("intake", IntakeSettings(), wait_ready=False) as intake:  # no broker: never ready
        app = build_app("portal", PortalSettings(intake_url="http://intake.test", staging_dir=tmp_path / "staging"))
        recording = RecordingTransport(intake.app)
        await app.state.deps.intake.close()
        app.state.deps.intake = IntakeClient("http://intake.test", 10, transport=recording)
        async with served("portal", app.state.settings, app=app) as portal:
            portal.intake_requests = recording.requests
            yield portal


async def test_the_portal_runs_and_is_ready_without_any_broker(portal):
    ready = await portal.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": True, "intake": True}
    assert portal.runtime.broker is None and portal.runtime.relay is None and portal.runtime.consumers == []
    assert (await portal.client.get("/file/complaint")).status_code == 200


async def test_the_request_correlation_id_reaches_intake_without_a_route_passing_it(portal):
    answer = await portal.client.get("/opinions", headers={"X-Correlation-ID": "portal-corr-12345"})
    assert answer.status_code == 200 and answer.headers["x-correlation-id"] == "portal-corr-12345"
    sent = [r for r in portal.intake_requests if r.url.path == "/api/v1/opinions"]
    assert sent and all(r.headers["x-correlation-id"] == "portal-corr-12345" for r in sent)
    other = await portal.client.get("/opinions", headers={"X-Correlation-ID": "another-id-67890"})
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
    answer = await portal.client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert words in answer.text and "<main" in answer.text  # the site's page, never a blank one
