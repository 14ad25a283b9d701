"""Open311 GET requests and the public list of open complaints on the real intake: the filters and
pages of the specification, and no personal data in any answer; staff see the place in review."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.builders import MovableClock
from tests.files import complaint, filing, multipart
from tests.in_process import served
from tests.open311_client import V2, errors_of, fixmystreet_form, issue_key
from tests.open311_spec import check_xml
from tests.support import wait_until

# An applicant whose every field is easy to look for in an answer.
APPLICANT = {"full_name": "Zineb Ouazzani-Khalil", "email": "zineb.ouazzani@exemple.ma", "phone": "+212 661 234 567",
             "cin": "BK472913", "language": "fr"}
SUBJECT = "Bruit du chantier derrière chez Zineb"
MESSAGE = "Mon voisin Karim Bennani construit sans autorisation, appelez-moi au 0661234567."


def private_values() -> list[str]:
    """Every applicant field, and the parts someone could be found by; the free text too."""
    name_parts = re.split(r"[\s-]+", APPLICANT["full_name"])
    phone_digits = re.sub(r"\D", "", APPLICANT["phone"])
    return [*(value for key, value in APPLICANT.items() if key != "language"), *name_parts, APPLICANT["email"].split("@")[0], phone_digits,
            phone_digits[3:], SUBJECT, MESSAGE, "Karim", "Bennani", "0661234567"]


async def file_complaints(intake, key: str) -> dict[str, str]:
    """A complaint through Open311, one through the JSON API (then withdrawn), and a permit."""
    open311 = await intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(
        key, first_name="Zineb", last_name="Ouazzani-Khalil", email=APPLICANT["email"], phone=APPLICANT["phone"],
        description=f"{SUBJECT}\n\n{MESSAGE}", **{"attribute[subject]": SUBJECT}))
    assert open311.status_code == 200, open311.text
    body = {**complaint(**APPLICANT), "subtype": "observation", "subject": SUBJECT, "message": MESSAGE,
            "location": {"address_string": "Avenue Hassan II, Khénifra"}, "topic": "building_site"}
    withdrawn = (await intake.client.post("/api/v1/submissions", json=body)).json()
    answer = await intake.client.post(f"/api/v1/submissions/{withdrawn['tracking_number']}/withdraw",
                                      headers={"X-Access-Token": withdrawn["access_token"]})
    assert answer.status_code == 200, answer.text
    permit = filing("building_permit")
    permit["location"] = {"lat": 32.95, "long": -5.66}
    permit_answer = await intake.client.post("/api/v1/submissions", **multipart(permit))
    assert permit_answer.status_code == 202, permit_answer.text
    return {"open": open311.json()[0]["service_request_id"], "withdrawn": withdrawn["tracking_number"],
            "permit": permit_answer.json()["tracking_number"]}


async def ids(intake, **params) -> list[str]:
    answer = await intake.client.get(f"{V2}/requests.json", params=params)
    assert answer.status_code == 200, answer.text
    return [request["service_request_id"] for request in answer.json()]


async def test_get_requests_filters_by_id_code_status_and_date_and_pages(intake, api_key):
    filed = await file_complaints(intake, api_key)
    assert await ids(intake) == [filed["withdrawn"], filed["open"]]  # complaints only, newest first
    assert await ids(intake, status="open") == [filed["open"]]
    assert await ids(intake, status="closed") == [filed["withdrawn"]]
    assert await ids(intake, status="open,closed") == [filed["withdrawn"], filed["open"]]
    assert await ids(intake, service_code="observation") == [filed["withdrawn"]]
    assert await ids(intake, service_code=["complaint", "suggestion"]) == [filed["open"]]
    assert await ids(intake, service_request_id=f"{filed['open']},{filed['permit']}", status="closed") == [
        filed["open"]]  # the id list overrides every other argument; a permit is never an Open311 request
    assert await ids(intake, page_size=1) == [filed["withdrawn"]]
    assert await ids(intake, page_size=1, page=2) == [filed["open"]]
    now = datetime.now(UTC)
    assert len(await ids(intake, start_date=(now - timedelta(days=1)).isoformat())) == 2
    assert await ids(intake, start_date=(now + timedelta(hours=1)).isoformat()) == []
    span = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}
    assert "90 days" in errors_of(await intake.client.get(f"{V2}/requests.xml", params=span), 400)[0]
    assert "open or closed" in errors_of(await intake.client.get(f"{V2}/requests.json", params={"status": "new"}), 400)[0]


async def test_one_request_shows_status_dates_deadline_and_place(intake, api_key):
    filed = await file_complaints(intake, api_key)
    [request] = (await intake.client.get(f"{V2}/requests/{filed['open']}.json")).json()
    assert (request["status"], request["service_code"], request["lat"], request["long"]) == (
        "open", "complaint", 32.9394, -5.6675)
    assert request["agency_responsible"] == "Agence urbaine de Khénifra" and request["description"] is None
    received = datetime.fromisoformat(request["requested_datetime"])
    expected = datetime.fromisoformat(request["expected_datetime"])
    assert (expected.date() - received.date()).days == 60  # complaints: an answer within 60 days
    assert request["media_url"] == "https://fixmystreet.example.ma/photo/42.0.full.jpeg"
    root = check_xml((await intake.client.get(f"{V2}/requests/{filed['withdrawn']}.xml",
                                              params={"locale": "ar"})).content, "service_requests")
    assert root.findtext("request/status") == "closed" and root.findtext("request/status_notes") == "سحبها صاحب الشكاية"
    assert root.findtext("request/address") == "Avenue Hassan II, Khénifra"
    for number in (filed["permit"], "AU-2026-00000-00000"):
        assert number in errors_of(await intake.client.get(f"{V2}/requests/{number}.xml"), 404)[0]


async def test_no_answer_open_to_the_public_holds_personal_data(intake, api_key):
    filed = await file_complaints(intake, api_key)
    paths = [f"{V2}/requests.{fmt}?{query}" for fmt in ("xml", "json")
             for query in ("", "status=open", "status=closed", f"service_request_id={filed['open']},{filed['withdrawn']}",
                           "service_code=complaint,observation&locale=ar")]
    paths += [f"{V2}/requests/{number}.{fmt}" for number in (filed["open"], filed["withdrawn"]) for fmt in ("xml", "json")]
    paths += ["/api/v1/complaints/open", "/api/v1/complaints/open?limit=100"]
    answers = {path: await intake.client.get(path) for path in paths}
    assert {path: answer.status_code for path, answer in answers.items()} == dict.fromkeys(paths, 200)
    assert filed["open"] in answers[paths[0]].text and filed["withdrawn"] in answers[paths[0]].text
    for path, answer in answers.items():
        found = [value for value in private_values() if value.lower() in answer.text.lower()]
        assert not found, f"{path} shows {found}"


async def test_the_public_list_shows_open_complaints_with_their_place(intake, api_key):
    filed = await file_complaints(intake, api_key)
    page = (await intake.client.get("/api/v1/complaints/open")).json()
    assert (page["total"], page["limit"], page["offset"]) == (1, 20, 0)
    [item] = page["items"]
    assert item == {"reference": filed["open"], "subtype": "complaint", "topic": "missing_permit_sign",
                    "location": {"lat": 32.9394, "long": -5.6675, "address_string": None}, "status": "received",
                    "received_at": item["received_at"]}
    assert (await intake.client.get("/api/v1/complaints/open", params={"limit": 0})).status_code == 422


@pytest.fixture
def march_clock() -> MovableClock:
    return MovableClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
async def clocked_intake(intake_settings, march_clock):
    async with served("intake", intake_settings, clock=march_clock) as intake:
        yield intake


async def test_without_dates_the_last_90_days_are_listed(clocked_intake, march_clock):
    key = await issue_key("citizen-app")
    old = (await clocked_intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(key))).json()[0]
    march_clock.now += timedelta(days=100)
    new = (await clocked_intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(key))).json()[0]
    assert await ids(clocked_intake) == [new["service_request_id"]]
    assert await ids(clocked_intake, start_date="2026-03-01T00:00:00Z") == [old["service_request_id"]]
    assert await ids(clocked_intake, end_date="2026-03-03") == [old["service_request_id"]]


async def test_staff_see_the_place_with_the_task(intake, api_key, broker, review_settings):
    filed = await intake.client.post(f"{V2}/requests.json", data=fixmystreet_form(api_key))
    number = filed.json()[0]["service_request_id"]
    async with served("review", review_settings) as review:
        async def task():
            answer = await review.client.get("/api/v1/tasks", params={"tracking_number": number},
                                             headers=review.auth("reviewer", sub="fatima"))
            return answer.json()["items"]
        [found] = await wait_until(task, message="the review task")
    assert found["details"]["location"] == {"lat": 32.9394, "long": -5.6675}
    assert found["details"]["topic"] == "missing_permit_sign"
