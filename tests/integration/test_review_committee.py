"""The committee path against the real servers: sessions, referral, members' opinions (role
committee only), the most severe opinion published, adjournment, and a contest that reopens
review once."""

from __future__ import annotations

import uuid

from shared.events import SubmissionContested
from shared.messaging.topology import queues_of
from tests.builders import assert_problem, enveloped, new_tracking_number, received
from tests.support import wait_until

SUBMISSIONS = queues_of("review")[0]


async def permit_in_committee(review, broker, session_date: str = "2026-12-03") -> tuple[str, str, dict]:
    chief = review.auth("supervisor", sub="chief")
    session = await review.client.post("/api/v1/committee/sessions", json={"session_date": session_date},
                                       headers=chief)
    assert session.status_code == 201, session.text
    number = new_tracking_number()
    await broker.publish(received(number, "building_permit"))
    task_id = (await review.wait_task(number))["id"]
    amina = review.auth("reviewer", sub="amina")
    assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=amina)).status_code == 200
    referred = await review.client.post(f"/api/v1/tasks/{task_id}/refer", json={"session_id": session.json()["id"]},
                                        headers=amina)
    assert referred.status_code == 200, referred.text
    assert (referred.json()["status"], referred.json()["session_id"]) == ("in_committee", session.json()["id"])
    return number, task_id, session.json()


async def opine(review, task_id: str, member: str, opinion: str, motive: str, *roles: str):
    return await review.client.post(f"/api/v1/tasks/{task_id}/opinions", json={"opinion": opinion, "motive": motive},
                                    headers=review.auth(*(roles or ("committee",)), sub=member))


async def test_three_opinions_aggregate_to_unfavourable_published_then_contested_once(review, broker):
    number, task_id, session = await permit_in_committee(review, broker)
    referral = (await review.outbox(number))[-1]
    assert (referral["type"], referral["data"]["session_date"]) == ("review.referred_to_committee.v1", "2026-12-03")
    sessions = await review.client.get("/api/v1/committee/sessions", headers=review.auth("reviewer", sub="amina"))
    assert [s["id"] for s in sessions.json()] == [session["id"]]

    # A user without the committee role: 403, and nothing changes.
    before = (await review.task_of(number), len(await review.outbox(number)))
    intruder = await opine(review, task_id, "amina", "favourable", "Conforme.", "reviewer", "supervisor")
    assert "committee" in assert_problem(intruder, 403)["detail"]
    assert (await review.task_of(number), len(await review.outbox(number))) == before
    assert await review.pool.fetchval("SELECT count(*) FROM opinions") == 0

    for member, opinion, motive in [("m1", "favourable", "Conforme au plan d'aménagement."),
                                    ("m2", "favourable_with_conditions", "Clôture à reculer."),
                                    ("m3", "unfavourable", "Hauteur supérieure à R+2.")]:
        answer = await opine(review, task_id, member, opinion, motive)
        assert answer.status_code == 201, answer.text
    assert "already given an opinion" in assert_problem(await opine(review, task_id, "m1", "unfavourable", "Non."),
                                                         409)["detail"]
    listed = await review.client.get(f"/api/v1/tasks/{task_id}/opinions", headers=review.auth("supervisor", sub="chief"))
    assert [(o["member"], o["opinion"], o["round"]) for o in listed.json()] == [
        ("m1", "favourable", 1), ("m2", "favourable_with_conditions", 1), ("m3", "unfavourable", 1)]

    assert_problem(await review.client.post(f"/api/v1/tasks/{task_id}/publish", headers=review.auth("committee", sub="m1")),
                   403)
    published = await review.client.post(f"/api/v1/tasks/{task_id}/publish", headers=review.auth("supervisor", sub="chief"))
    assert published.status_code == 200, published.text
    body = published.json()
    assert (body["status"], body["decision"]["outcome"], body["decision"]["committee_opinion"]) == (
        "decided", "rejected", "unfavourable")
    assert body["decision"]["text"] == "Hauteur supérieure à R+2."

    events = await review.outbox(number)
    assert [e["type"] for e in events[-5:]] == ["committee.opinion_recorded.v1"] * 3 + [
        "committee.opinion_published.v1", "review.decided.v1"]
    published_event, decided_event = events[-2]["data"], events[-1]["data"]
    assert (published_event["opinion"], published_event["session_date"]) == ("unfavourable", "2026-12-03")
    assert "m3" not in str(published_event) and "applicant" not in published_event
    assert (decided_event["outcome"], decided_event["committee_opinion"]) == ("rejected", "unfavourable")
    assert_problem(await review.client.post(f"/api/v1/tasks/{task_id}/publish",
                                            headers=review.auth("supervisor", sub="chief")), 409)

    audit = await review.client.get(f"/api/v1/tasks/{task_id}/audit", headers=review.auth("ops", sub="olga"))
    assert [(a["actor"], a["action"]) for a in audit.json()][1:] == [
        ("amina", "claim"), ("amina", "refer_to_committee"), ("m1", "record_opinion"), ("m2", "record_opinion"),
        ("m3", "record_opinion"), ("chief", "publish_opinion")]
    assert {a["tracking_number"] for a in audit.json()} == {number}

    # The applicant contests: reviewed again, once.
    contest = enveloped(SubmissionContested(tracking_number=number, kind="building_permit",
                                        motive="La hauteur est conforme au plan."))
    await broker.publish(contest)
    reopened = await review.wait_task(number, status="queued")
    assert (reopened["contested"], reopened["decision"], reopened["committee_round"]) == (True, None, 2)
    assert reopened["version"] == body["version"] + 1
    assert reopened["contest"]["previous_decision"]["outcome"] == "rejected"
    queued = (await review.outbox(number))[-1]
    assert (queued["type"], queued["data"]["reason"]) == ("review.task_queued.v1", "contested")
    assert queued["data"]["due_at"] is not None and queued["causation_id"] == str(contest.id)

    rows = len(await review.outbox(number))
    second = enveloped(SubmissionContested(tracking_number=number, kind="building_permit", motive="Encore."))
    await broker.publish(second)
    await wait_until(lambda: review.pool.fetchval("SELECT count(*) = 1 FROM inbox WHERE event_id = $1", second.id),
                     message="second contest handled")
    after = await review.task_of(number)
    assert (after["status"], after["version"], after["contest"]["motive"]) == (
        "queued", reopened["version"], "La hauteur est conforme au plan.")
    assert len(await review.outbox(number)) == rows
    parked = await broker.channel.declare_queue(SUBMISSIONS.parked, durable=True, passive=True)
    assert parked.declaration_result.message_count == 0


async def test_an_adjourned_opinion_waits_for_the_next_round(review, broker):
    number, task_id, _ = await permit_in_committee(review, broker)
    assert (await opine(review, task_id, "m1", "favourable", "Conforme.")).status_code == 201
    assert (await opine(review, task_id, "m2", "adjourned", "Visite des lieux nécessaire.")).status_code == 201
    adjourned = await review.client.post(f"/api/v1/tasks/{task_id}/publish", headers=review.auth("supervisor", sub="chief"))
    assert adjourned.status_code == 200, adjourned.text
    assert (adjourned.json()["status"], adjourned.json()["committee_round"], adjourned.json()["decision"]) == (
        "in_committee", 2, None)
    last = (await review.outbox(number))[-1]
    assert (last["type"], last["data"]["opinion"], last["data"]["motive"]) == (
        "committee.opinion_published.v1", "adjourned", "Visite des lieux nécessaire.")
    assert "review.decided.v1" not in [e["type"] for e in await review.outbox(number)]
    # Round 2: the same member may give an opinion again; nothing to publish until one does.
    assert "No committee member" in assert_problem(
        await review.client.post(f"/api/v1/tasks/{task_id}/publish", headers=review.auth("supervisor", sub="chief")),
        409)["detail"]
    assert (await opine(review, task_id, "m1", "favourable", "Visite faite, conforme.")).status_code == 201
    final = await review.client.post(f"/api/v1/tasks/{task_id}/publish", headers=review.auth("supervisor", sub="chief"))
    assert (final.json()["status"], final.json()["decision"]["outcome"]) == ("decided", "approved")


async def test_committee_commands_outside_their_state_or_kind_are_refused(review, broker):
    number = new_tracking_number()
    await broker.publish(received(number, "building_permit"))
    task_id = (await review.wait_task(number))["id"]
    assert "in_committee" in assert_problem(await opine(review, task_id, "m1", "favourable", "ok"), 409)["detail"]
    amina = review.auth("reviewer", sub="amina")
    assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=amina)).status_code == 200
    direct = await review.client.post(f"/api/v1/tasks/{task_id}/decision", json={"outcome": "approved", "text": "ok"},
                                      headers=amina)
    assert "decided by its committee" in assert_problem(direct, 409)["detail"]
    unknown_session = await review.client.post(f"/api/v1/tasks/{task_id}/refer",
                                               json={"session_id": str(uuid.uuid4())}, headers=amina)
    assert assert_problem(unknown_session, 422)["errors"][0]["field"] == "session_id"
    assert (await review.task_of(number))["status"] == "in_review"

    other = new_tracking_number()
    await broker.publish(received(other, "complaint"))
    other_id = (await review.wait_task(other))["id"]
    assert (await review.client.post(f"/api/v1/tasks/{other_id}/claim", headers=amina)).status_code == 200
    not_committee = await review.client.post(f"/api/v1/tasks/{other_id}/refer", headers=amina)
    assert "not reviewed by a committee" in assert_problem(not_committee, 409)["detail"]
    envelope_types = [e["type"] for e in await review.outbox(other)]
    assert envelope_types == ["review.task_queued.v1", "review.claimed.v1"]
