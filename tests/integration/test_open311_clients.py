"""Open311 clients against intake served on a real socket: the `georeport` client from PyPI reads
services and requests, and a report sent as FixMyStreet sends it gets its receipt email through
the real notifier, broker and SMTP server (intake served in this process, the notifier too)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import uvicorn
from georeport import GeoReport

from services.notifier.settings import NotifierSettings
from tests.in_process import build_app, served
from tests.open311_client import V2, fixmystreet_form, issue_key
from tests.support import free_port, wait_until


@pytest.fixture
async def intake_on_a_socket(intake_settings):
    """Intake's app behind uvicorn on 127.0.0.1, as clients reach it; its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app("intake", intake_settings), host="127.0.0.1", port=port,
                                           log_config=None, lifespan="on"))
    serving = asyncio.create_task(server.serve())
    await wait_until(lambda: server.started or serving.done(), message="intake serving")
    assert not serving.done(), serving
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving


@pytest.fixture
async def key(intake_on_a_socket) -> str:
    return await issue_key()


async def fixmystreet_report(base_url: str, key: str, **changes) -> str:
    async with httpx.AsyncClient(base_url=base_url) as client:
        answer = await client.post(f"{V2}/requests.xml", data=fixmystreet_form(key, **changes))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/xml; charset=utf-8"
    return answer.text.split("<service_request_id>")[1].split("</service_request_id>")[0]


@pytest.mark.parametrize("output_format", ["json", "xml"])
async def test_the_georeport_client_reads_services_and_requests(intake_on_a_socket, key, output_format):
    client = GeoReport(f"{intake_on_a_socket}{V2}", output_format=output_format)
    services = await asyncio.to_thread(client.get_service_list)
    assert [s["service_code"] for s in services] == ["complaint", "observation", "suggestion"]
    definition = await asyncio.to_thread(client.get_service_definition, "complaint")
    assert "topic" in str(definition["attributes"])
    first = await fixmystreet_report(intake_on_a_socket, key)
    second = await fixmystreet_report(intake_on_a_socket, key, service_code="suggestion", lat=None, long=None,
                                      address_string="Place Azerou, Khénifra")
    requests = await asyncio.to_thread(client.get_service_requests)
    assert [r["service_request_id"] for r in requests] == [second, first]
    assert {r["status"] for r in requests} == {"open"}
    suggestions = await asyncio.to_thread(client.get_service_requests, service_code="suggestion", status="open")
    suggestion = suggestions[0] if isinstance(suggestions, list) else suggestions  # XML: one item is no list
    assert (suggestion["service_request_id"], suggestion["address"]) == (second, "Place Azerou, Khénifra")
    one = await asyncio.to_thread(client.get_service_request, first)
    assert (one["service_request_id"], float(one["lat"]), float(one["long"])) == (first, 32.9394, -5.6675)


async def test_a_fixmystreet_report_gets_its_receipt_email(intake_on_a_socket, key, mailcatcher):
    async with served("notifier", NotifierSettings()):
        number = await fixmystreet_report(intake_on_a_socket, key)

        def receipt():
            return next((m for m in mailcatcher.messages() if number in str(m["Subject"])), None)

        mail = await wait_until(receipt, timeout=30, message="the receipt email")
    assert mail["X-Lamadi-Template"] == "receipt"
    assert mail["To"].addresses[0].addr_spec == "youssef.alami@example.ma"
    assert "Accusé de réception" in mail["Subject"]
