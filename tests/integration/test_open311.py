"""Open311 GeoReport v2 on the real intake (PostgreSQL, RabbitMQ): discovery, services and their
definitions, filing a complaint as FixMyStreet does, client keys (issued by the real command
line), and every refusal in the specification's error format, changing nothing."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from tests.files import MINIMAL_PDF, TINY_PNG, complaint
from tests.open311_client import CASABLANCA, V2, errors_of, fixmystreet_form, issue_key
from tests.open311_spec import check_xml
from tests.support import count, run_cli


async def test_discovery_names_the_endpoint_and_both_formats(intake):
    root = check_xml((answer := await intake.client.get(f"{V2}/discovery.xml")).content, "discovery")
    assert answer.headers["content-type"] == "text/xml; charset=utf-8"
    assert root.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2"
    assert root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"
    assert (await intake.client.get(f"{V2}/discovery.json")).json()["endpoints"][0]["formats"] == [
        "text/xml", "application/json"]


async def test_services_are_the_complaint_subtypes_named_in_the_requested_language(intake):
    french = (await intake.client.get(f"{V2}/services.json")).json()
    assert [s["service_code"] for s in french] == ["complaint", "observation", "suggestion"]
    assert french[0]["service_name"] == "Réclamation" and french[0]["metadata"] is True
    arabic = (await intake.client.get(f"{V2}/services.json", params={"locale": "ar_MA"})).json()
    assert [s["service_name"] for s in arabic] == ["شكاية", "ملاحظة", "اقتراح"]
    by_header = await intake.client.get(f"{V2}/services.xml", headers={"Accept-Language": "ar, fr;q=0.5"})
    root = check_xml(by_header.content, "services")
    assert [s.findtext("service_name") for s in root] == ["شكاية", "ملاحظة", "اقتراح"]
    assert {s.findtext("group") for s in root} == {"شكاية أو ملاحظة أو اقتراح"}


async def test_a_service_definition_lists_its_attributes_and_an_unknown_code_is_404(intake):
    definition = (await intake.client.get(f"{V2}/services/complaint.json")).json()
    assert [(a["code"], a["datatype"], a["variable"]) for a in definition["attributes"]] == [
        ("subject", "string", True), ("topic", "singlevaluelist", True), ("privacy", "text", False)]
    root = check_xml((await intake.client.get(f"{V2}/services/complaint.xml")).content, "service_definition")
    keys = [v.findtext("key") for v in root.iterfind("attributes/attribute/values/value")]
    assert keys == ["building_site", "missing_permit_sign", "illegal_construction", "other"]
    [message] = errors_of(await intake.client.get(f"{V2}/services/pothole.xml"), 404)
    assert "pothole" in message
    assert errors_of(await intake.client.get(f"{V2}/services.yaml"), 404) == ["no .yaml answers here: use .xml or .json"]


async def test_a_fixmystreet_report_is_filed_as_a_complaint_with_its_place(intake, api_key):
    answer = await intake.client.post(f"{V2}/requests.xml", data=fixmystreet_form(api_key))
    assert answer.status_code == 200, answer.text
    [request] = check_xml(answer.content, "service_requests")
    number = request.findtext("service_request_id")
    assert number.startswith("AU-") and "réponse au plus tard le" in request.findtext("service_notice")
    row = await intake.pool.fetchrow("SELECT kind, status, applicant, details FROM submissions")
    assert (row["kind"], row["status"]) == ("complaint", "received")
    assert row["applicant"] == {"full_name": "Youssef Alami", "email": "youssef.alami@example.ma",
                                "phone": "+212 661 000 111", "language": "fr"}
    details = row["details"]
    assert details["location"] == {"lat": 32.9394, "long": -5.6675}
    assert (details["subtype"], details["topic"], details["subject"]) == (
        "complaint", "missing_permit_sign", "Chantier sans panneau")
    assert details["media_urls"] == ["https://fixmystreet.example.ma/photo/42.0.full.jpeg"]
    assert "fixmystreet_id" not in str(details)  # an attribute the definition does not name is not kept
    event = await intake.pool.fetchval("SELECT envelope FROM outbox WHERE routing_key = 'submission.received.v1'")
    assert event["subject"] == number and event["data"]["details"]["location"] == details["location"]


async def test_an_address_alone_is_a_location_and_json_answers_too(intake, api_key):
    form = fixmystreet_form(api_key, lat=None, long=None, address_string="Rue 12, Hay Amal, Khénifra",
                            service_code="suggestion", locale="ar")
    answer = await intake.client.post(f"{V2}/requests.json", data=form)
    assert answer.status_code == 200, answer.text
    [accepted] = answer.json()
    assert "والجواب في أجل أقصاه" in accepted["service_notice"]
    details = await intake.pool.fetchval("SELECT details FROM submissions WHERE tracking_number = $1",
                                         accepted["service_request_id"])
    assert details["location"] == {"address_string": "Rue 12, Hay Amal, Khénifra"}
    assert await intake.pool.fetchval("SELECT applicant->>'language' FROM submissions") == "ar"


async def test_media_sent_as_a_file_is_kept_as_the_complaints_evidence(intake, api_key):
    answer = await intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(api_key),
                                      files=[("media", ("chantier.png", TINY_PNG, "image/png"))])
    assert answer.status_code == 200, answer.text
    document = await intake.pool.fetchrow("SELECT name, type, content_type FROM documents")
    assert dict(document) == {"name": "chantier.png", "type": "evidence", "content_type": "image/png"}
    refused = await intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(api_key),
                                       files=[("media", ("note.txt", b"not a picture at all", "image/png"))])
    assert "media" in errors_of(refused, 400)[0]
    assert await count(intake.pool, "submissions") == 1
    assert len([p for p in intake.settings.documents_dir.rglob("*") if p.is_file()]) == 1  # the accepted one's file only


@pytest.mark.parametrize("key", [None, "", "not-a-key"])
async def test_without_a_valid_api_key_nothing_is_filed(intake, api_key, key):
    answer = await intake.client.post(f"{V2}/requests.xml", data=fixmystreet_form(api_key, api_key=key),
                                      files=[("media", ("plan.pdf", MINIMAL_PDF, "application/pdf"))])
    assert "api_key" in errors_of(answer, 403)[0]
    assert await count(intake.pool, "submissions") == 0 and await count(intake.pool, "outbox") == 0
    assert not [p for p in intake.settings.documents_dir.rglob("*") if p.is_file()]


async def test_a_revoked_key_is_refused_and_the_command_line_manages_keys(intake, api_key):
    code, _, err = await run_cli("open311", "keys", "add", "fixmystreet")
    assert code == 1 and "already has a key" in err
    assert (await run_cli("open311", "keys", "add", "Bad Name!"))[0] == 2
    stored = bytes(await intake.pool.fetchval("SELECT key_hash FROM open311_keys"))
    assert api_key.encode() not in stored and len(stored) == 32  # a SHA-256, never the key
    assert (await run_cli("open311", "keys", "revoke", "fixmystreet"))[0] == 0
    errors_of(await intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(api_key)), 403)
    code, out, _ = await run_cli("open311", "keys", "list")
    [row] = [line.split() for line in out.splitlines() if line.startswith("fixmystreet ")]
    assert code == 0 and row[-1] != "-"  # revoked at a time
    answer = await intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(await issue_key()))
    assert answer.status_code == 200, answer.text


async def test_a_point_outside_the_area_is_refused_by_open311_and_by_the_json_api(intake, api_key):
    [message] = errors_of(await intake.client.post(f"{V2}/requests.xml", data=fixmystreet_form(api_key, **CASABLANCA)),
                          400)
    assert "outside the agency's area" in message
    body = complaint()
    body["location"] = {"lat": 33.5731, "long": -7.5898, "address_string": "Bd Zerktouni, Casablanca"}
    answer = await intake.client.post("/api/v1/submissions", json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["field"] == "body.complaint.location"
    assert answer.json()["errors"][0]["code"] == "outside_area"
    assert await count(intake.pool, "submissions") == 0 and await count(intake.pool, "outbox") == 0


@pytest.mark.parametrize(("changes", "status", "words"), [
    ({"service_code": None}, 400, "service_code was not provided"),
    ({"service_code": "pothole"}, 404, "'pothole' was not found"),
    ({"email": None}, 400, "email is required"),
    ({"email": "not-an-email"}, 400, "email:"),
    ({"lat": None, "long": None}, 400, "a location is required"),
    ({"lat": None, "long": None, "address_id": "545483"}, 400, "address_id is not supported"),
    ({"long": None}, 400, "lat and long go together"),
    ({"lat": "north"}, 400, "lat must be decimal degrees"),
    ({"lat": "95", "long": "10"}, 400, "lat:"),
    ({"description": "Court"}, 400, "description:"),
    ({"first_name": None, "last_name": None}, 400, "first_name/last_name"),
    ({"attribute[topic]": "pothole"}, 400, "attribute[topic]"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
])
async def test_a_bad_service_request_is_refused_naming_the_parameter(intake, api_key, changes, status, words):
    descriptions = errors_of(await intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(api_key, **changes)),
                             status)
    assert any(words in text for text in descriptions), descriptions
    assert await count(intake.pool, "submissions") == 0


async def test_only_forms_are_taken_and_the_error_answers_in_the_format_asked(intake, api_key):
    answer = await intake.client.post(f"{V2}/requests.xml", json=fixmystreet_form(api_key))
    assert "application/x-www-form-urlencoded" in errors_of(answer, 400)[0]
    assert ElementTree.fromstring(answer.content).tag == "errors"
    bad_page = await intake.client.get(f"{V2}/requests.json", params={"page_size": "5000"})
    assert errors_of(bad_page, 400)[0].startswith("page_size:")


async def test_a_control_character_in_any_form_field_is_refused_in_open311_terms(intake, api_key):
    for files in (None, [("media", ("chantier.png", TINY_PNG, "image/png"))]):  # form-encoded, multipart
        form = fixmystreet_form(api_key, description="Chantier\u0000ouvert")
        [message] = errors_of(await intake.client.post(f"{V2}/requests.xml", data=form, files=files), 400)
        assert "description" in message
    assert await count(intake.pool, "submissions") == 0
    assert not [p for p in intake.settings.documents_dir.rglob("*") if p.is_file()]
