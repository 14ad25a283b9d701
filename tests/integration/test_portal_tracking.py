"""The filing's page shows what intake says of the filing and decides nothing itself: the legal
deadlines intake states for it (the filing's details choose them: a large building permit's
decision takes 25 days, a small one's 10, and a permit goes to the committee within 3 working
days), and exactly the actions intake allows the applicant: the answer form, the withdraw link
and page, the contest form. Intake and the portal run in this process on the real database and
broker; review's side arrives as review's events."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import httpx
import pytest

from services.portal.adapters.intake import IntakeClient
from shared.events import ReviewClaimed, ReviewObservationsIssued, ReviewTaskQueued
from shared.vocabulary import Family, days, name
from tests.builders import review_event
from tests.files import filing, multipart
from tests.in_process import Intake
from tests.pages import csrf_token
from tests.support import wait_until

DEADLINES = re.compile(r'<ul[^>]*id="legal-deadlines"[^>]*>(.*?)</ul>', re.S)
REFUSED = "Cette action n'est pas possible pour ce dossier maintenant."


class EditableIntake(httpx.AsyncBaseTransport):
    """Intake in this process. A test may set ``says``: the fields its filing answers then say
    instead (to show the page follows the answer, whatever it says)."""

    def __init__(self, app):
        self.inner, self.says = httpx.ASGITransport(app=app), {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = await self.inner.handle_async_request(request)
        if not self.says or request.method != "GET" or not re.fullmatch(r"/api/v1/submissions/[^/]+",
                                                                         request.url.path):
            return answer
        return httpx.Response(answer.status_code, json={**json.loads(await answer.aread()), **self.says})


@dataclass
class Site:
    browser: httpx.AsyncClient  # the applicant's, on the portal, in French
    intake: Intake  # intake's API: filing, and reading what it says of a filing
    intake_answers: EditableIntake


@pytest.fixture
async def site(public_portal) -> Site:
    intake = public_portal.behind["intake"]
    answers = EditableIntake(intake.app)
    await public_portal.deps.intake.close()
    public_portal.deps.intake = IntakeClient("http://intake.test", 10, transport=answers)
    browser = public_portal.new_client()
    browser.cookies.set("lang", "fr", domain="portal.test")
    return Site(browser, intake, answers)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


async def filed(site: Site, kind: str, **fields) -> dict:
    answer = await site.intake.client.post("/api/v1/submissions", **multipart(filing(kind, **fields)))
    assert answer.status_code == 202, answer.text
    return answer.json()


async def followed(site: Site, body: dict) -> str:
    """The filing opened on the portal with its tracking number and access code."""
    token = csrf_token((await site.browser.get("/track")).text)
    opened = await site.browser.post("/track", data={"csrftoken": token, "tracking_number": body["tracking_number"],
                                                     "access_code": body["access_token"]})
    assert opened.status_code == 303, text_of(opened.text)
    return body["tracking_number"]


async def page_of(site: Site, tracking_number: str) -> str:
    page = await site.browser.get(f"/track/{tracking_number}")
    assert page.status_code == 200, text_of(page.text)
    return page.text


def offered(page: str, tracking_number: str) -> set[str]:
    """The actions the page offers: the answer form, the withdraw link, the contest form."""
    markup = {"answer": f'action="/track/{tracking_number}/respond"',
              "withdraw": f'href="/track/{tracking_number}/withdraw"',
              "contest": f'action="/track/{tracking_number}/contest"'}
    return {action for action, found in markup.items() if found in page}


def deadlines_shown(page: str) -> list[str]:
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", DEADLINES.search(page).group(1), re.S)]


def as_stated(deadline: dict) -> str:
    """A legal deadline in the words the page gives it (the vocabulary's, as the receipt's)."""
    year, month, day = deadline["due_on"].split("-")
    return (f"{name(Family.DEADLINES, deadline['name'], 'fr')} : {days(deadline['days'], deadline['unit'], 'fr')}"
            f" — au plus tard le {day}/{month}/{year}")


async def post_on_page(site: Site, page: str, action: str, values: dict) -> httpx.Response:
    return await site.browser.post(action, data={"csrftoken": csrf_token(page), **values})


@pytest.mark.parametrize(("size", "decision_days"), [("large", 25), ("small", 10)])
async def test_the_page_shows_the_legal_deadlines_intake_states_for_this_filing(site, size, decision_days):
    permit = await filed(site, "building_permit", project_size=size)
    stated = (await site.intake.view(permit))["legal_deadlines"]
    assert [(d["name"], d["days"]) for d in stated] == [("to_committee", 3), ("decision", decision_days)]

    page = await page_of(site, await followed(site, permit))
    assert deadlines_shown(page) == [as_stated(d) for d in stated]


async def test_a_filing_awaiting_the_applicant_offers_the_answer_and_the_withdrawal_only(site, broker):
    complaint = await filed(site, "complaint")
    tracking_number = await followed(site, complaint)
    for event in (review_event(ReviewTaskQueued, tracking_number, status="queued", version=1),
                  review_event(ReviewClaimed, tracking_number, status="in_review", version=2, assignee="r-1"),
                  review_event(ReviewObservationsIssued, tracking_number, status="awaiting_applicant", version=3,
                               observations="Merci de joindre une photo.")):
        await broker.publish(event)
    await wait_until(lambda: site.intake.status_is(complaint, "awaiting_applicant"), message="awaiting_applicant")

    page = await page_of(site, tracking_number)
    assert offered(page, tracking_number) == {"answer", "withdraw"}
    # A contest posted anyway (an old page, a crafted form): intake refuses it, the page says so.
    contest = await post_on_page(site, page, f"/track/{tracking_number}/contest", {"motive": "Je conteste."})
    assert contest.status_code == 409 and REFUSED in text_of(contest.text)
    assert offered(contest.text, tracking_number) == {"answer", "withdraw"}


async def test_a_rejected_committee_decision_offers_the_contest_only(site, broker):
    permit = await filed(site, "building_permit")
    await site.intake.decide(broker, permit, "building_permit", "rejected", committee_opinion="unfavourable")
    tracking_number = await followed(site, permit)

    page = await page_of(site, tracking_number)
    assert offered(page, tracking_number) == {"contest"}
    assert (await site.browser.get(f"/track/{tracking_number}/withdraw")).status_code == 409
    contested = await post_on_page(site, page, f"/track/{tracking_number}/contest",
                                   {"motive": "La hauteur respecte l'article 12 du règlement."})
    assert contested.headers["location"] == f"/track/{tracking_number}?done=contest"
    page = await site.browser.get(contested.headers["location"])
    assert "Votre recours a été reçu : le dossier est réexaminé." in text_of(page.text)
    assert offered(page.text, tracking_number) == {"withdraw"}  # contested once: queued again


async def test_a_withdrawn_filing_offers_nothing(site):
    complaint = await filed(site, "complaint")
    tracking_number = await followed(site, complaint)
    withdraw_page = await site.browser.get(f"/track/{tracking_number}/withdraw")
    assert withdraw_page.status_code == 200
    withdrawn = await post_on_page(site, withdraw_page.text, f"/track/{tracking_number}/withdraw",
                                   {"reason": "Le panneau a été posé."})
    assert withdrawn.headers["location"] == f"/track/{tracking_number}?done=withdrawal"
    page = await site.browser.get(withdrawn.headers["location"])
    assert "Votre dossier a été retiré." in text_of(page.text)

    assert offered(page.text, tracking_number) == set()
    again = await site.browser.get(f"/track/{tracking_number}/withdraw")  # the withdraw page, from its address
    assert again.status_code == 409 and REFUSED in text_of(again.text)
    answer = await post_on_page(site, page.text, f"/track/{tracking_number}/respond", {"message": "Encore moi."})
    assert answer.status_code == 409 and REFUSED in text_of(answer.text)


async def test_the_page_follows_intakes_answer_whatever_it_says(site):
    """Nothing on the page is worked out from the status or the catalogue: a filing just received
    offers what intake says and shows the deadlines intake states, even ones no rule gives."""
    complaint = await filed(site, "complaint")
    tracking_number = await followed(site, complaint)
    assert offered(await page_of(site, tracking_number), tracking_number) == {"withdraw"}

    stated = [{"name": "decision", "days": 7, "unit": "working_days", "due_on": "2027-01-15"}]
    site.intake_answers.says = {"allowed_actions": ["answer", "contest"], "legal_deadlines": stated}
    page = await page_of(site, tracking_number)
    assert offered(page, tracking_number) == {"answer", "contest"}
    assert deadlines_shown(page) == ["Décision : 7 jours ouvrables — au plus tard le 15/01/2027"]


async def test_a_receipt_asked_for_before_it_is_issued_says_so_and_when_to_ask_again(site):
    """No notifier runs here, so the receipt is never issued: intake answers 409, the page says
    the receipt is being issued (not "cannot be handled") and asks the browser to come back."""
    tracking_number = await followed(site, await filed(site, "complaint"))
    answer = await site.browser.get(f"/track/{tracking_number}/receipt")
    assert answer.status_code == 409 and answer.headers["retry-after"] == "3"
    assert "Votre récépissé est en cours de délivrance" in text_of(answer.text)
    assert "joint au courriel" in text_of(answer.text)
