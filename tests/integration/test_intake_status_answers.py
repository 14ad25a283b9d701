"""Intake's status answer says what the applicant's page needs, from intake's own rules: the
legal deadlines exactly as the receipt states them, and what the applicant may do next. And the
status and the public timeline agree however the decision and its email arrive."""

from __future__ import annotations

import io
import re
from uuid import uuid4

from pypdf import PdfReader

from shared.envelope import Envelope
from shared.events import NotificationSent, ReviewClaimed, ReviewDecided, ReviewObservationsIssued, ReviewTaskQueued
from tests.builders import review_event
from tests.files import complaint, filing, multipart
from tests.support import wait_until


def receipt_dates(pdf: bytes) -> list[str]:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.findall(r"au plus tard le (\d{2}/\d{2}/\d{4})", text)


async def test_the_legal_deadlines_are_those_the_receipt_states(intake, notifier):
    listed = {}
    for kind, size in (("building_permit", "small"), ("building_permit", "large"), ("complaint", None),
                       ("subdivision_permit", None)):
        fields = {"project_size": size} if size else {}
        answer = await intake.client.post("/api/v1/submissions", **multipart(filing(kind, **fields)))
        assert answer.status_code == 202, answer.text
        body = answer.json()
        deadlines = (await intake.view(body))["legal_deadlines"]
        receipt = await intake.receipt(body)
        stated = receipt_dates(receipt.content)
        assert stated, kind  # the receipt names its deadlines
        listed[kind, size] = [(d["name"], d["days"], d["unit"]) for d in deadlines]
        assert [f"{d['due_on'][8:10]}/{d['due_on'][5:7]}/{d['due_on'][:4]}" for d in deadlines] == stated, kind
    # The rules applied to the filing's details: a large permit's decision takes longer.
    assert listed["building_permit", "small"] == [("to_committee", 3, "working_days"), ("decision", 10, "calendar_days")]
    assert listed["building_permit", "large"] == [("to_committee", 3, "working_days"), ("decision", 25, "calendar_days")]
    assert listed["complaint", None] == [("decision", 60, "calendar_days")]


async def test_what_the_applicant_may_do_follows_the_filings_status(intake, broker):
    body = (await intake.client.post("/api/v1/submissions", json=complaint())).json()
    tn = body["tracking_number"]
    assert (await intake.view(body))["allowed_actions"] == ["withdraw"]  # received
    await broker.publish(review_event(ReviewTaskQueued, tn, status="queued", version=1))
    await broker.publish(review_event(ReviewClaimed, tn, status="in_review", version=2, assignee="r-1"))
    await broker.publish(review_event(ReviewObservationsIssued, tn, status="awaiting_applicant", version=3, observations="Le plan."))
    view = await wait_until(lambda: intake.status_is(body, "awaiting_applicant"), message="awaiting_applicant")
    assert view["allowed_actions"] == ["answer", "withdraw"]
    withdrawn = await intake.client.post(f"{body['location']}/withdraw", headers={"X-Access-Token": body["access_token"]})
    assert withdrawn.status_code == 200, withdrawn.text
    assert (await intake.view(body))["allowed_actions"] == []

    permit = await intake.file("building_permit")
    await intake.decide(broker, permit, "building_permit", "rejected", committee_opinion="unfavourable")
    assert (await intake.view(permit))["allowed_actions"] == ["contest"]  # closed, rejected by the committee
    contested = await intake.client.post(f"{permit['location']}/contest", headers={"X-Access-Token": permit["access_token"]},
                                  json={"motive": "Le recul respecte le plan."})
    assert contested.status_code == 200, contested.text
    assert (await intake.view(permit))["allowed_actions"] == ["withdraw"]  # queued again; contested once

    approved = await intake.file("building_permit")
    await intake.decide(broker, approved, "building_permit", "approved", committee_opinion="favourable")
    assert (await intake.view(approved))["allowed_actions"] == []  # nothing to contest
    answered = await intake.file("complaint")
    await intake.decide(broker, answered, "complaint", "answered", email=False)
    assert (await intake.view(answered))["allowed_actions"] == []  # decided, not a committee's


def decided_and_emailed(tn: str, kind: str, version: int, outcome: str) -> tuple[Envelope, Envelope]:
    decided = review_event(ReviewDecided, tn, kind, status="decided", version=version, outcome=outcome,
                           text="Décision.")
    sent = NotificationSent(delivery_id=uuid4(), tracking_number=tn, kind=kind, template="decision", language="fr",
                            cause_event_id=decided.id)
    return decided, Envelope.new(sent, source="notifier", subject=tn, correlation_id="corr-test")


async def closed_view(intake, body: dict) -> dict:
    async def closed_and_both_seen():
        view = await intake.view(body)
        steps = [s["step"] for s in view["timeline"]]
        return view if view["status"] == "closed" and "email_sent" in steps and "decided" in steps else None

    return await wait_until(closed_and_both_seen, message="closed, with the decision and its email")


def assert_status_and_timeline_agree(view: dict) -> None:
    steps = [s["step"] for s in view["timeline"]]
    assert steps.count("closed") == 1 and steps[-1] == "closed", steps
    assert [s["status"] for s in view["timeline"] if s["status"]][-1] == view["status"] == "closed"
    assert steps.index("decided") < steps.index("closed")


async def test_the_timeline_closes_whichever_of_the_decision_and_its_email_comes_first(intake, broker):
    timelines = []
    for email_first in (False, True):
        body = (await intake.client.post("/api/v1/submissions", json=complaint())).json()
        decided, emailed = decided_and_emailed(body["tracking_number"], "complaint", 5, "answered")
        for event in ((emailed, decided) if email_first else (decided, emailed)):
            await broker.publish(event)
        view = await closed_view(intake, body)
        assert_status_and_timeline_agree(view)
        timelines.append([(s["step"], s["status"]) for s in view["timeline"]])
    assert timelines[0] == timelines[1]  # the same steps, in the same order, either way


async def test_a_contested_decision_decided_again_closes_with_its_email_first(intake, broker):
    permit = await intake.file("building_permit")
    tn = permit["tracking_number"]
    await intake.decide(broker, permit, "building_permit", "rejected", committee_opinion="unfavourable")
    contested = await intake.client.post(f"{permit['location']}/contest", headers={"X-Access-Token": permit["access_token"]},
                                  json={"motive": "Le recul respecte le plan."})
    assert contested.status_code == 200, contested.text
    await broker.publish(review_event(ReviewTaskQueued, tn, status="queued", version=6, kind="building_permit", reason="contested"))
    await broker.publish(review_event(ReviewClaimed, tn, status="in_review", version=7, kind="building_permit", assignee="r-1"))
    await wait_until(lambda: intake.status_is(permit, "in_review"), message="in review again")
    decided, emailed = decided_and_emailed(tn, "building_permit", 9, "approved")
    await broker.publish(emailed)
    await wait_until(lambda: intake.pool.fetchval("SELECT decision_emailed FROM submissions WHERE tracking_number = $1",
                                                  tn), message="the second decision's email seen")
    await broker.publish(decided)
    view = await wait_until(lambda: intake.status_is(permit, "closed"), message="closed again")
    steps = [s["step"] for s in view["timeline"]]
    assert steps.count("closed") == 2 and steps[-1] == "closed", steps
    assert steps.index("contested") < steps.index("claimed") < len(steps) - 1
    assert view["decision"]["outcome"] == "approved"
