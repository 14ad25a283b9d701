"""Reporting's operations API for parked messages, against the real broker and database: look
(error and event, personal data only for roles that see it), replay one, drop the rest, each
action audited with who did it; refused to every role outside the policy, changing nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.auth import ROLES
from shared.envelope import Envelope
from shared.events import Applicant, SubmissionReceived
from shared.messaging.broker import envelope_message
from shared.messaging.consumer import ATTEMPT_HEADER
from shared.messaging.topology import queues_of
from shared.policy import load_policy
from tests.builders import received, staff_headers
from tests.support import queue_depth, wait_until

SPEC = queues_of("review")[0]  # lamadi.review.submissions: no consumer runs in this test
POLICY = load_policy()


BY_KHADIJA = {"applicant": Applicant(full_name="Khadija Alaoui", email="khadija@example.ma", language="fr"),
              "details": {"message": "Un chantier bruyant la nuit."}}


async def park(broker, count: int = 3) -> list[Envelope]:
    events = [received(f"AU-PK-{n}", "complaint", **BY_KHADIJA) for n in range(count)]
    for event in events:
        headers = {ATTEMPT_HEADER: 2, "x-lamadi-error": "RuntimeError: no route to khadija@example.ma",
                   "x-lamadi-parked-at": datetime.now(UTC).isoformat()}
        await broker.send_to_queue(SPEC.parked, envelope_message(event, headers=headers))
    await wait_until(lambda: _depth_is(broker, SPEC.parked, count), message=f"{count} parked")
    return events


async def _depth_is(broker, queue: str, count: int) -> bool:
    return await queue_depth(broker, queue) == count


async def test_ops_see_parked_messages_without_personal_data_replay_one_and_drop_the_rest(reporting, broker):
    client = reporting.client
    events = await park(broker)
    listed = await client.get(f"/api/v1/ops/parked/{SPEC.name}", headers=staff_headers("ops"))
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert (page["queue"], page["parked"]) == (SPEC.name, 3)
    assert [m["id"] for m in page["messages"]] == [str(e.id) for e in events]
    first = page["messages"][0]
    assert (first["type"], first["subject"], first["error"]) == (SubmissionReceived.TYPE, "AU-PK-0", "RuntimeError")
    assert set(first["event"]["data"]) == {"tracking_number", "kind", "received_at", "previous_tracking_number"}
    assert "khadija" not in listed.text.lower() and "chantier" not in listed.text
    seen_by_admin = (await client.get(f"/api/v1/ops/parked/{SPEC.parked}", headers=staff_headers("admin"))).json()
    assert seen_by_admin["messages"][0]["event"]["data"]["applicant"]["email"] == "khadija@example.ma"
    assert await queue_depth(broker, SPEC.parked) == 3  # looking leaves them parked

    replayed = await client.post(f"/api/v1/ops/parked/{SPEC.name}/replay", json={"ids": [str(events[1].id)]},
                                 headers=staff_headers("ops"))
    assert replayed.status_code == 200, replayed.text
    assert (replayed.json()["count"], replayed.json()["ids"], replayed.json()["complete"]) == (1, [str(events[1].id)], True)
    assert (await queue_depth(broker, SPEC.name), await queue_depth(broker, SPEC.parked)) == (1, 2)

    dropped = await client.post(f"/api/v1/ops/parked/{SPEC.name}/drop", headers=staff_headers("ops"))
    assert dropped.json()["count"] == 2
    assert (await queue_depth(broker, SPEC.name), await queue_depth(broker, SPEC.parked)) == (1, 0)

    trail = (await client.get("/api/v1/ops/actions", headers=staff_headers("ops"))).json()
    assert trail["total"] == 3
    assert sorted((a["action"], a["message_id"], a["actor"], a["subject"]) for a in trail["items"]) == sorted([
        ("replay", str(events[1].id), "tester", "AU-PK-1"), ("drop", str(events[0].id), "tester", "AU-PK-0"),
        ("drop", str(events[2].id), "tester", "AU-PK-2")])


async def test_parked_messages_follow_the_policy_and_a_refusal_changes_nothing(reporting, broker):
    client = reporting.client
    await park(broker, 1)
    for role in ROLES:
        allowed = POLICY.allows(frozenset({role}), "parked")
        for method, path in (("GET", f"/api/v1/ops/parked/{SPEC.name}"), ("GET", "/api/v1/ops/actions"),
                             ("POST", f"/api/v1/ops/parked/{SPEC.name}/drop"),
                             ("POST", f"/api/v1/ops/parked/{SPEC.name}/replay")):
            if allowed and method == "POST":
                continue  # the allowed moves are the test above
            answer = await client.request(method, path, headers=staff_headers(role))
            assert (answer.status_code != 403) == allowed, (role, path, answer.status_code)
    assert await queue_depth(broker, SPEC.parked) == 1
    assert POLICY.allows(frozenset({"ops"}), "parked") and not POLICY.allows(frozenset({"reviewer"}), "parked")
    unknown = await client.get("/api/v1/ops/parked/lamadi.nowhere", headers=staff_headers("ops"))
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/problem+json")
