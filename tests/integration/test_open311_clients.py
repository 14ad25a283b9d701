"""Open311 clients against intake served on a real socket: the `georeport` client from PyPI reads
services and requests, and a report sent as FixMyStreet sends it gets its receipt email through
the real notifier, broker and SMTP server (intake served in this process, the notifier too)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import uvicorn
from georeport import GeoReport

from services.intake.bootstrap import build_app
from services.intake.settings import IntakeSettings
from services.notifier.bootstrap import build_app as build_notifier_app
from services.notifier.settings import NotifierSettings
from tests.integration.test_open311 import V2, fixmystreet_form, issue_key
from tests.support import free_port, running_app, wait_until


@pytest.fixture
async def served_intake(env, tmp_path, monkeypatch):
    """Intake's app behind uvicorn on 127.0.0.1, as clients reach it; its base URL."""
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path / "documents"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(IntakeSettings()), host="127.0.0.1", port=port,
                                           log_config=None, lifespan="on"))
    serving = asyncio.create_task(server.serve())
    await wait_until(lambda: server.started or serving.done(), message="intake serving")
    assert not serving.done(), serving
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving


@pytest.fixture
async def key(served_intake) -> str:
    return await issue_key()


async def fixmystreet_report(base_url: str, key: str, **changes) -> str:
    async with httpx.AsyncClient(base_url=base_url) as client:
        answer = await client.post(f"{V2}/requests.xml", data=fixmystreet_form(key, **changes))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/xml; charset=utf-8"
    return answer.text.split("<service_request_id>")[1].split("</service_request_id>")[0]


@pytest.mark.parametrize("output_format", ["json", "xml"])
async def test_the_georeport_client_reads_services_and_requests(served_intake, key, output_format):
    client = GeoReport(f"{served_intake}{V2}", output_format=output_format)
    services = await asyncio.to_thread(client.get_service_list)
    assert [s["service_code"] for s in services] == ["complaint", "observation", "suggestion"]
    definition = await asyncio.to_thread(client.get_service_definition, "complaint")
    assert "topic" in str(definition["attributes"])
    first = await fixmystreet_report(served_intake, key)
    second = await fixmystreet_report(served_intake, key, service_code="suggestion", lat=None, long=None,
                                      address_string="Place Azerou, Khénifra")
    requests = await asyncio.to_thread(client.get_service_requests)
    assert [r["service_request_id"] for r in requests] == [second, first]
    assert {r["status"] for r in requests} == {"open"}
    suggestions = await asyncio.to_thread(client.get_service_requests, service_code="suggestion", status="open")
    suggestion = suggestions[0] if isinstance(suggestions, list) else suggestions  # XML: one item is no list
    assert (suggestion["service_request_id"], suggestion["address"]) == (second, "Place Azerou, Khénifra")
    one = await asyncio.to_thread(client.get_service_request, first)
    assert (one["service_request_id"], float(one["lat"]), float(one["long"])) == (first, 32.9394, -5.6675)


async def test_a_fixmystreet_report_gets_its_receipt_email(served_intake, key, mailcatcher):
    async with running_app(build_notifier_app(NotifierSettings())):
        number = await fixmystreet_report(served_intake, key)

        def receipt():
            return next((m for m in mailcatcher.messages() if number in str(m["Subject"])), None)

        mail = await wait_until(receipt, timeout=30, message="the receipt email")
    assert mail["X-Lamadi-Template"] == "receipt"
    assert mail["To"].addresses[0].addr_spec == "youssef.alami@example.ma"
    assert "Accusé de réception" in mail["Subject"]
