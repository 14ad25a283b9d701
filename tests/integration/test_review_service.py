"""The review service against the real PostgreSQL and RabbitMQ: tasks from intake's events,
the staff API with real JWTs, the history and the outbox; each kind's decision (catalogue
outcomes, information-note facts, pre-study observations and linking, finance steps)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from prometheus_client import REGISTRY

from shared.envelope import Envelope
from shared.events import SubmissionResubmitted, SubmissionWithdrawn
from shared.messaging.topology import queues_of
from tests.builders import DOC, assert_problem, enveloped, new_tracking_number, received, staff_headers
from tests.support import wait_until

SUBMISSIONS = queues_of("review")[0]


@pytest.fixture
async def tap(broker):
    """A private queue bound to every review event, to see what reaches the broker."""
    queue = await broker.channel.declare_queue("", exclusive=True, auto_delete=True)
    await queue.bind(broker.exchange, routing_key="review.#")

    async def next_event() -> Envelope:
        message = await wait_until(lambda: queue.get(fail=False, no_ack=True), message="a review event on the broker")
        return Envelope.model_validate_json(message.body)

    return next_event


async def test_a_received_filing_becomes_a_queued_task_announced_on_the_broker(review, broker, tap):
    number = new_tracking_number()
    event = received(number)
    await broker.publish(event)
    task = await review.wait_task(number)
    assert (task["status"], task["version"], task["kind"], task["assignee"]) == ("queued", 1, "pre_study", None)
    assert task["applicant"]["email"] == f"{number.lower()}@example.ma"
    assert task["details"]["commune"] == "Khénifra"
    assert task["documents"] == [DOC]
    assert (task["observations"], task["decision"]) == ([], None)

    [queued] = await review.outbox(number)
    assert queued["type"] == "review.task_queued.v1"
    assert queued["causation_id"] == str(event.id) and queued["correlation_id"] == event.correlation_id
    assert queued["data"] == {"task_id": task["id"], "tracking_number": number, "kind": "pre_study",
                              "status": "queued", "version": 1, "reason": "new",
                              "due_at": task["deadlines"][0]["due_at"]}
    assert [(d["name"], d["unit"], d["days"], d["paused"]) for d in task["deadlines"]] == [
        ("decision", "working_days", 10, False)]
    published = await tap()
    assert (published.type, published.data["task_id"], published.source) == ("review.task_queued.v1", task["id"], "review")
    await wait_until(lambda: review.pool.fetchval("SELECT count(*) = 0 FROM outbox WHERE published_at IS NULL"),
                     message="outbox drained")

    detail = await review.client.get(f"/api/v1/tasks/{task['id']}", headers=review.auth("reviewer", sub="amina"))
    assert detail.status_code == 200
    assert [(h["action"], h["from_status"], h["to_status"], h["tracking_number"])
            for h in detail.json()["history"]] == [("enqueue", "received", "queued", number)]


async def test_claim_observations_resubmission_and_decision_flow(review, broker, tap):
    number = new_tracking_number()
    await broker.publish(received(number))
    task_id = (await review.wait_task(number))["id"]
    amina, youssef = review.auth("reviewer", sub="amina"), review.auth("reviewer", sub="youssef")
    cid = {"X-Correlation-ID": f"corr-staff-{number}"}

    claimed = await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers={**amina, **cid})
    assert claimed.status_code == 200, claimed.text
    assert (claimed.json()["status"], claimed.json()["version"], claimed.json()["assignee"]) == ("in_review", 2, "amina")

    someone_else = await review.client.post(f"/api/v1/tasks/{task_id}/observations",
                                            json={"observations": "Not mine to say."}, headers=youssef)
    assert "assigned to amina" in assert_problem(someone_else, 403)["detail"]

    empty = await review.client.post(f"/api/v1/tasks/{task_id}/observations", json={"observations": "  "}, headers=amina)
    assert assert_problem(empty, 422)["errors"][0]["field"].endswith("observations")

    observed = await review.client.post(f"/api/v1/tasks/{task_id}/observations",
                                        json={"observations": "يرجى إرفاق التصميم الموقعي."}, headers={**amina, **cid})
    assert observed.status_code == 200, observed.text
    assert (observed.json()["status"], observed.json()["version"]) == ("awaiting_applicant", 3)
    assert observed.json()["observations"][0]["text"] == "يرجى إرفاق التصميم الموقعي."

    site_plan = {**DOC, "name": "site.pdf", "sha256": "cd" * 32}
    await broker.publish(enveloped(SubmissionResubmitted(
        tracking_number=number, kind="pre_study", message="Voici le plan de situation.", documents=[site_plan])))
    requeued = await review.wait_task(number, status="queued", version=4)
    assert requeued["documents"] == [DOC, site_plan]
    assert [m["text"] for m in requeued["messages"]] == ["Voici le plan de situation."]

    assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=amina)).status_code == 200
    bad_outcome = await review.client.post(f"/api/v1/tasks/{task_id}/decision",
                                           json={"outcome": "maybe", "text": "x"}, headers=amina)
    assert_problem(bad_outcome, 422)
    without_list = await review.client.post(f"/api/v1/tasks/{task_id}/decision",
                                            json={"outcome": "observations_issued", "text": "ملاحظات أولية."},
                                            headers=amina)
    assert assert_problem(without_list, 422)["errors"][0]["field"] == "preliminary_observations"
    decided = await review.client.post(f"/api/v1/tasks/{task_id}/decision",
                                       json={"outcome": "observations_issued", "text": "ملاحظات أولية.",
                                             "preliminary_observations": ["الارتفاع يتجاوز المسموح به."]},
                                       headers={**amina, **cid})
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert (body["status"], body["version"]) == ("decided", 6)
    assert (body["decision"]["outcome"], body["decision"]["text"], body["decision"]["by"]) == (
        "observations_issued", "ملاحظات أولية.", "amina")

    events = await review.outbox(number)
    assert [(e["type"], e["data"]["version"]) for e in events] == [
        ("review.task_queued.v1", 1),
        ("review.claimed.v1", 2),
        ("review.observations_issued.v1", 3),
        ("review.task_queued.v1", 4),
        ("review.claimed.v1", 5),
        ("review.decided.v1", 6),
    ]
    assert events[1]["data"]["assignee"] == "amina" and events[1]["correlation_id"] == cid["X-Correlation-ID"]
    assert events[2]["data"]["observations"] == "يرجى إرفاق التصميم الموقعي."
    assert (events[5]["data"]["outcome"], events[5]["data"]["text"]) == ("observations_issued", "ملاحظات أولية.")
    assert events[5]["data"]["preliminary_observations"] == ["الارتفاع يتجاوز المسموح به."]
    assert (events[3]["data"]["reason"], events[3]["data"]["due_at"]) == ("resubmitted", body["deadlines"][0]["due_at"])
    assert {(await tap()).type for _ in range(6)} == {e["type"] for e in events}

    detail = (await review.client.get(f"/api/v1/tasks/{task_id}", headers=amina)).json()
    assert [(h["actor"], h["action"], h["to_status"]) for h in detail["history"]] == [
        ("applicant", "enqueue", "queued"),
        ("amina", "claim", "in_review"),
        ("amina", "issue_observations", "awaiting_applicant"),
        ("applicant", "resubmit", "queued"),
        ("amina", "claim", "in_review"),
        ("amina", "decide", "decided"),
    ]
    with pytest.raises(Exception, match="append-only"):
        await review.pool.execute("DELETE FROM task_history WHERE task_id = $1", uuid.UUID(task_id))


async def test_two_reviewers_claiming_at_once_one_wins_the_other_gets_409(review, broker):
    number = new_tracking_number()
    await broker.publish(received(number))
    task_id = (await review.wait_task(number))["id"]
    answers = await asyncio.gather(
        review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=review.auth("reviewer", sub="amina")),
        review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=review.auth("reviewer", sub="youssef")),
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    winner = next(a for a in answers if a.status_code == 200).json()["assignee"]
    loser = next(a for a in answers if a.status_code == 409)
    assert "claim a filing that is in_review" in assert_problem(loser, 409)["detail"]
    task = await review.task_of(number)
    assert (task["assignee"], task["version"]) == (winner, 2)
    assert [e["type"] for e in await review.outbox(number)] == ["review.task_queued.v1", "review.claimed.v1"]
    assert await review.pool.fetchval(
        "SELECT count(*) FROM task_history WHERE task_id = $1 AND action = 'claim'", uuid.UUID(task_id)) == 1


async def test_illegal_transition_is_a_409_problem_and_changes_nothing(review, broker):
    number = new_tracking_number()
    await broker.publish(received(number))
    task_id = (await review.wait_task(number))["id"]
    answer = await review.client.post(f"/api/v1/tasks/{task_id}/decision",
                                      json={"outcome": "approved", "text": "Favourable."},
                                      headers=review.auth("supervisor", sub="chief"))
    problem = assert_problem(answer, 409)
    assert problem["title"] == "Illegal transition" and "queued" in problem["detail"]
    task = await review.task_of(number)
    assert (task["status"], task["version"], task["decision"]) == ("queued", 1, None)
    assert [e["type"] for e in await review.outbox(number)] == ["review.task_queued.v1"]


async def test_tokens_and_roles_are_enforced(review, broker):
    number = new_tracking_number()
    await broker.publish(received(number))
    task_id = (await review.wait_task(number))["id"]

    no_token = await review.client.get("/api/v1/tasks")
    assert_problem(no_token, 401)
    assert no_token.headers["www-authenticate"] == "Bearer"
    forged = staff_headers("admin", sub="mallory", secret="not-the-secret-but-long-enough-for-hs256")
    assert_problem(await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=forged), 401)
    wrong_role = await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=review.auth("ops", sub="olga"))
    assert "reviewer" in assert_problem(wrong_role, 403)["detail"]
    listed = await review.client.get("/api/v1/tasks", headers=review.auth("reviewer", sub="chaima"))
    assert listed.status_code == 200 and listed.json()["total"] == 1
    unknown = await review.client.get(f"/api/v1/tasks/{uuid.uuid4()}", headers=review.auth("reviewer", sub="amina"))
    assert_problem(unknown, 404)
    unknown_claim = await review.client.post(f"/api/v1/tasks/{uuid.uuid4()}/claim",
                                             headers=review.auth("reviewer", sub="amina"))
    assert_problem(unknown_claim, 404)
    task = await review.task_of(number)
    assert (task["status"], task["version"]) == ("queued", 1)


async def test_listing_filters_and_pages_oldest_first(review, broker):
    numbers = [new_tracking_number() for _ in range(3)]
    for number, kind in zip(numbers, ["complaint", "pre_study", "complaint"]):
        await broker.publish(received(number, kind))
        await review.wait_task(number)
    reader = review.auth("reviewer", sub="rachid")  # the role that handles complaints and pre-studies
    complaints = (await review.client.get("/api/v1/tasks", params={"kind": "complaint"}, headers=reader)).json()
    assert [t["tracking_number"] for t in complaints["items"]] == [numbers[0], numbers[2]]
    assert complaints["total"] == 2
    page = (await review.client.get("/api/v1/tasks", params={"limit": 1, "offset": 1}, headers=reader)).json()
    assert ([t["tracking_number"] for t in page["items"]], page["total"]) == ([numbers[1]], 3)
    first = complaints["items"][0]["id"]
    assert (await review.client.post(f"/api/v1/tasks/{first}/claim", headers=review.auth("reviewer", sub="amina"))).status_code == 200
    mine = (await review.client.get("/api/v1/tasks", params={"assignee": "amina", "status": "in_review"},
                                    headers=reader)).json()
    assert [t["id"] for t in mine["items"]] == [first]
    bad_status = await review.client.get("/api/v1/tasks", params={"status": "pending"}, headers=reader)
    assert_problem(bad_status, 422)


def consumed(outcome: str, event_type: str) -> float:
    labels = {"queue": SUBMISSIONS.name, "type": event_type, "outcome": outcome}
    return REGISTRY.get_sample_value("lamadi_events_consumed_total", labels) or 0.0


async def test_a_duplicate_delivery_or_a_second_received_event_makes_one_task(review, broker):
    number = new_tracking_number()
    event = received(number)
    duplicates_before = consumed("duplicate", event.type)
    await broker.publish(event)
    await review.wait_task(number)
    await broker.publish(event)  # redelivery: same envelope
    second = received(number)  # another event for the same filing
    await broker.publish(second)
    await wait_until(lambda: consumed("duplicate", event.type) == duplicates_before + 1, message="duplicate seen")
    await wait_until(lambda: review.pool.fetchval("SELECT count(*) = 1 FROM inbox WHERE event_id = $1", second.id),
                     message="second event handled")
    assert await review.pool.fetchval("SELECT count(*) FROM tasks WHERE tracking_number = $1", number) == 1
    assert [e["type"] for e in await review.outbox(number)] == ["review.task_queued.v1"]


async def test_withdrawal_and_late_answers_are_recorded_never_parked(review, broker):
    number = new_tracking_number()
    await broker.publish(received(number))
    task_id = (await review.wait_task(number))["id"]
    assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=review.auth("reviewer", sub="amina"))).status_code == 200

    # An answer while the task is in review: kept, no transition.
    extra = {**DOC, "name": "extra.pdf"}
    await broker.publish(enveloped(SubmissionResubmitted(
        tracking_number=number, kind="pre_study", message="Un document de plus.", documents=[extra])))
    task = await review.wait_task(number, documents=[DOC, extra])
    assert (task["status"], task["version"]) == ("in_review", 2)

    withdrawn = enveloped(SubmissionWithdrawn(tracking_number=number, kind="pre_study", reason="moved"))
    await broker.publish(withdrawn)
    task = await review.wait_task(number, status="withdrawn")
    assert task["version"] == 3

    # Once closed, a further withdrawal or answer is ignored, not parked.
    again = enveloped(SubmissionWithdrawn(tracking_number=number, kind="pre_study"))
    late = enveloped(SubmissionResubmitted(tracking_number=number, kind="pre_study", message="Trop tard."))
    await broker.publish(again)
    await broker.publish(late)
    for envelope in (again, late):
        await wait_until(lambda: review.pool.fetchval("SELECT count(*) = 1 FROM inbox WHERE event_id = $1", envelope.id),
                         message="late event handled")
    task = await review.task_of(number)
    assert (task["status"], task["version"]) == ("withdrawn", 3)
    assert [m["text"] for m in task["messages"]] == ["Un document de plus.", "Trop tard."]
    parked = await broker.channel.declare_queue(SUBMISSIONS.parked, durable=True, passive=True)
    assert parked.declaration_result.message_count == 0
    assert [e["type"] for e in await review.outbox(number)] == ["review.task_queued.v1", "review.claimed.v1"]
    claim_after = await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=review.auth("reviewer", sub="amina"))
    assert_problem(claim_after, 409)


async def claimed_task(review, broker, kind: str, sub: str = "amina", role: str = "reviewer", **extra) -> tuple[str, str]:
    number = new_tracking_number()
    await broker.publish(received(number, kind, **extra))
    task_id = (await review.wait_task(number))["id"]
    answer = await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=review.auth(role, sub=sub))
    assert answer.status_code == 200, answer.text
    return number, task_id


async def test_an_outcome_outside_the_kinds_catalogue_is_a_422_and_changes_nothing(review, broker):
    number, task_id = await claimed_task(review, broker, "complaint")
    amina = review.auth("reviewer", sub="amina")
    wrong = await review.client.post(f"/api/v1/tasks/{task_id}/decision",
                                     json={"outcome": "approved", "text": "Accordé."}, headers=amina)
    problem = assert_problem(wrong, 422)
    assert problem["errors"][0]["field"] == "outcome" and "answered" in problem["detail"]
    task = await review.task_of(number)
    assert (task["status"], task["version"], task["decision"]) == ("in_review", 2, None)
    assert [e["type"] for e in await review.outbox(number)] == ["review.task_queued.v1", "review.claimed.v1"]


async def test_an_information_note_decision_carries_the_urban_planning_facts(review, broker):
    number, task_id = await claimed_task(review, broker, "information_note")
    amina = review.auth("reviewer", sub="amina")
    facts = {"zoning": "منطقة سكنية R+2", "allowed_height_m": 11.5, "setbacks": "4 م", "servitudes": "لا شيء"}
    missing = await review.client.post(f"/api/v1/tasks/{task_id}/decision",
                                       json={"outcome": "note_issued", "text": "مذكرة"}, headers=amina)
    assert assert_problem(missing, 422)["errors"][0]["field"] == "note"
    bad_height = await review.client.post(f"/api/v1/tasks/{task_id}/decision", headers=amina, json={
        "outcome": "note_issued", "text": "مذكرة", "note": {**facts, "allowed_height_m": -3}})
    assert_problem(bad_height, 422)
    decided = await review.client.post(f"/api/v1/tasks/{task_id}/decision", headers=amina, json={
        "outcome": "note_issued", "text": "مذكرة المعلومات التعميرية", "note": facts})
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision"]["note"] == facts
    assert decided.json()["deadlines"][0]["met_at"] is not None
    event = (await review.outbox(number))[-1]
    assert (event["type"], event["data"]["outcome"], event["data"]["note"]) == ("review.decided.v1", "note_issued",
                                                                                 facts)


async def test_a_pre_study_filed_again_shows_the_previous_observations(review, broker):
    first, first_id = await claimed_task(review, broker, "pre_study")
    observations = ["Recul de 4 m non respecté.", "Prévoir un parking."]
    decided = await review.client.post(f"/api/v1/tasks/{first_id}/decision", headers=review.auth("reviewer", sub="amina"),
                                       json={"outcome": "observations_issued", "text": "Observations préliminaires.",
                                             "preliminary_observations": observations})
    assert decided.status_code == 200, decided.text
    second = new_tracking_number()
    await broker.publish(received(second, "pre_study", previous_tracking_number=first))
    task = await review.wait_task(second)
    assert task["previous"]["tracking_number"] == first and task["previous"]["task_id"] == first_id
    assert task["previous"]["decision"]["outcome"] == "observations_issued"
    assert task["previous"]["preliminary_observations"] == observations
    assert (await review.task_of(first))["previous"] is None


async def test_finance_steps_go_in_order_then_payment(review, broker):
    number, task_id = await claimed_task(review, broker, "supplier_invoice", sub="farid", role="finance")
    farid, amina = review.auth("finance", sub="farid"), review.auth("reviewer", sub="amina")
    url = f"/api/v1/tasks/{task_id}"

    assert_problem(await review.client.post(f"{url}/steps", json={"step": "verified"}, headers=amina), 403)
    reviewer_pays = await review.client.post(f"{url}/decision", json={"outcome": "rejected", "text": "Non."},
                                             headers=review.auth("supervisor", sub="chief"))
    assert "role finance" in assert_problem(reviewer_pays, 403)["detail"]
    early_pay = await review.client.post(f"{url}/decision", json={"outcome": "paid", "text": "Payée."}, headers=farid)
    assert "approved for payment" in assert_problem(early_pay, 409)["detail"]
    skipped = await review.client.post(f"{url}/steps", json={"step": "approved_for_payment"}, headers=farid)
    assert "verified must be recorded before approved_for_payment" in assert_problem(skipped, 409)["detail"]
    assert_problem(await review.client.post(f"{url}/steps", json={"step": "shipped"}, headers=farid), 422)
    assert (await review.task_of(number))["version"] == 2

    verified = await review.client.post(f"{url}/steps", json={"step": "verified", "note": "Montants conformes."},
                                        headers=farid)
    assert verified.status_code == 200, verified.text
    assert (verified.json()["status"], verified.json()["version"]) == ("in_review", 3)
    again = await review.client.post(f"{url}/steps", json={"step": "verified"}, headers=farid)
    assert "already recorded" in assert_problem(again, 409)["detail"]
    approved = await review.client.post(f"{url}/steps", json={"step": "approved_for_payment"}, headers=farid)
    assert [s["step"] for s in approved.json()["steps"]] == ["verified", "approved_for_payment"]
    paid = await review.client.post(f"{url}/decision", json={"outcome": "paid", "text": "Virement n° 42."},
                                    headers=farid)
    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["decision"]["outcome"], paid.json()["version"]) == ("decided", "paid", 5)
    events = await review.outbox(number)
    assert [(e["type"], e["data"].get("step")) for e in events] == [
        ("review.task_queued.v1", None), ("review.claimed.v1", None), ("review.step_recorded.v1", "verified"),
        ("review.step_recorded.v1", "approved_for_payment"), ("review.decided.v1", None)]
    assert events[2]["data"]["note"] == "Montants conformes."
    late_step = await review.client.post(f"{url}/steps", json={"step": "verified"}, headers=farid)
    assert_problem(late_step, 409)
