"""The whole authorization matrix: every staff endpoint × every role × a task of every kind,
against the policy table (shared/policy.toml). A role that does not handle a kind neither sees
its tasks (absent from lists) nor acts on them (403, nothing changed); ops see states, never
applicants' personal data; admin keeps everything."""

from __future__ import annotations

import pytest

from shared.auth import ROLES
from shared.policy import load_policy
from tests.builders import DOC, new_tracking_number, received, staff_headers
from tests.support import wait_until

POLICY = load_policy()
KINDS = ("information_note", "complaint", "pre_study", "building_permit", "subdivision_permit", "supplier_invoice")
TASK_ENDPOINTS = [  # (method, path under /api/v1/tasks/{id}, body, policy action)
    ("GET", "", None, "read"),
    ("GET", "/audit", None, "audit"),
    ("GET", "/opinions", None, "read"),
    ("GET", f"/documents/{DOC['sha256']}", None, "download"),
    ("POST", "/claim", None, "claim"),
    ("POST", "/observations", {"observations": "Joindre le plan coté."}, "observe"),
    ("POST", "/decision", {"outcome": "approved", "text": "Conforme."}, "decide"),
    ("POST", "/steps", {"step": "verified"}, "record_step"),
    ("POST", "/refer", None, "refer"),
    ("POST", "/opinions", {"opinion": "favourable", "motive": "Conforme."}, "record_opinion"),
    ("POST", "/publish", None, "publish"),
]


@pytest.fixture
async def tasks(review, broker) -> dict[str, dict]:
    numbers = {kind: new_tracking_number() for kind in KINDS}
    for kind, number in numbers.items():
        await broker.publish(received(number, kind))
    return {kind: await review.wait_task(number) for kind, number in numbers.items()}


async def test_every_task_endpoint_for_every_role_and_kind_follows_the_policy(review, tasks):
    mismatches = []
    for role in ROLES:
        who = review.auth(role, sub=f"{role}-1")
        for kind, task in tasks.items():
            for method, path, body, action in TASK_ENDPOINTS:
                before = await review.pool.fetchval("SELECT version FROM tasks WHERE id = $1::uuid", task["id"])
                answer = await review.client.request(method, f"/api/v1/tasks/{task['id']}{path}", json=body,
                                                     headers=who)
                allowed = POLICY.allows(frozenset({role}), action, kind)
                if allowed == (answer.status_code == 403) or answer.status_code == 401:
                    mismatches.append(f"{role} {method} {path or '/'} on {kind}: {answer.status_code}, "
                                      f"policy {'allows' if allowed else 'refuses'}")
                if answer.status_code == 403:
                    after = await review.pool.fetchval("SELECT version FROM tasks WHERE id = $1::uuid", task["id"])
                    assert after == before, f"{role} refused {path} on {kind} yet the task changed"
    assert not mismatches, "\n".join(mismatches)


async def test_lists_hold_only_the_kinds_a_role_may_read(review, tasks):
    for role in ROLES:
        answer = await review.client.get("/api/v1/tasks", headers=review.auth(role, sub=f"{role}-1"), params={"limit": 50})
        readable = POLICY.kinds_for(frozenset({role}), "read")
        if readable == set():
            assert answer.status_code == 403
            continue
        assert answer.status_code == 200, answer.text
        listed = {task["kind"] for task in answer.json()["items"]}
        assert listed == (set(KINDS) if readable is None else readable & set(KINDS)), role
        for kind in KINDS:  # asking for a kind outside the policy finds nothing, it does not leak
            only = await review.client.get("/api/v1/tasks", headers=review.auth(role, sub=f"{role}-1"),
                                           params={"kind": kind})
            assert (only.json()["total"] == 1) == (readable is None or kind in readable), (role, kind)


async def test_ops_read_states_and_never_an_applicants_personal_data(review, tasks):
    ops = review.auth("ops", sub="olga")
    for task in tasks.values():
        seen = (await review.client.get(f"/api/v1/tasks/{task['id']}", headers=ops)).json()
        assert (seen["applicant"], seen["details"], seen["messages"]) == ({}, {}, [])
        assert all("name" not in document for document in seen["documents"])
        assert seen["status"] == task["status"] and seen["deadlines"]
        text = str(seen)
        assert "Fatima" not in text and "@example.ma" not in text


async def test_committee_sessions_follow_the_policy(review):
    for role in ROLES:
        who = review.auth(role, sub=f"{role}-1")
        listed = await review.client.get("/api/v1/committee/sessions", headers=who)
        assert (listed.status_code != 403) == POLICY.allows(frozenset({role}), "sessions"), role
        opened = await review.client.post("/api/v1/committee/sessions", headers=who, json={"session_date": None})
        assert (opened.status_code != 403) == POLICY.allows(frozenset({role}), "open_session"), role


async def test_deliveries_follow_the_policy_and_ops_see_no_address(notifier, broker):
    client, runtime = notifier.as_staff("supervisor", sub="supervisor-1"), notifier.runtime
    await broker.publish(received("UA-2025-000801", "building_permit"))
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT count(*) = 1 FROM deliveries WHERE status = 'sent'"), message="a delivery")
    delivery = await runtime.pool.fetchval("SELECT id FROM deliveries")
    for role in ROLES:
        who = notifier.auth(role, sub="x")
        listed = await client.get("/api/v1/deliveries", headers=who)
        assert (listed.status_code != 403) == POLICY.allows(frozenset({role}), "deliveries"), role
        if listed.status_code == 200:
            [item] = listed.json()["items"]
            assert (item["recipient"] is not None) == POLICY.sees_personal_data(frozenset({role})), role
        resend = await client.post(f"/api/v1/deliveries/{delivery}/resend", headers=who)
        assert (resend.status_code != 403) == POLICY.allows(frozenset({role}), "resend"), role


async def test_reports_and_queues_follow_the_policy(reporting):
    client = reporting.client
    for role in ROLES:
        report = await client.get("/api/v1/reports/daily", headers=staff_headers(role))
        assert (report.status_code != 403) == POLICY.allows(frozenset({role}), "reports"), role
        queues = await client.get("/api/v1/ops/queues", headers=staff_headers(role))
        assert (queues.status_code != 403) == POLICY.allows(frozenset({role}), "queues"), role


async def test_revoking_an_issued_document_follows_the_policy_on_its_kind(notifier, broker):
    """The notifier's register: revoking (and correcting) takes the policy's revoke on the
    document's kind; a filing's documents are listed only to roles that may read its kind."""
    numbers = {kind: new_tracking_number() for kind in KINDS}
    for kind, number in numbers.items():
        await broker.publish(received(number, kind))
    codes = {}
    for kind, number in numbers.items():
        [row] = await wait_until(lambda n=number: notifier.pool.fetch("SELECT code FROM documents WHERE reference = $1",
                                                                      n), message=f"the {kind} receipt issued")
        codes[kind] = row["code"]
        # Revoked once by admin: a role the policy allows then meets 409, one it refuses 403.
        first = await notifier.client.post(f"/api/v1/documents/{row['code']}/revocation", json={"reason": "test"},
                                           headers=notifier.auth("admin"))
        assert first.status_code == 200, first.text
    mismatches = []
    for role in ROLES:
        who = notifier.auth(role, sub=f"{role}-1")
        for kind, code in codes.items():
            answer = await notifier.client.post(f"/api/v1/documents/{code}/revocation", json={"reason": "again"},
                                                headers=who)
            allowed = POLICY.allows(frozenset({role}), "revoke", kind)
            if answer.status_code != (409 if allowed else 403):
                mismatches.append(f"{role} revoke on {kind}: {answer.status_code}, "
                                  f"policy {'allows' if allowed else 'refuses'}")
            listed = await notifier.client.get("/api/v1/documents", params={"reference": numbers[kind]}, headers=who)
            readable = POLICY.allows(frozenset({role}), "read", kind)
            if not POLICY.allows(frozenset({role}), "read"):
                assert listed.status_code == 403, (role, kind)
            elif (len(listed.json()["items"]) == 1) != readable:
                mismatches.append(f"{role} lists {kind}'s documents: {listed.json()['items']!r}")
    assert not mismatches, "\n".join(mismatches)
    revoked_by = await notifier.pool.fetch("SELECT DISTINCT revoked_by FROM documents")
    assert [row["revoked_by"] for row in revoked_by] == ["tester"]  # the refused changed nothing
