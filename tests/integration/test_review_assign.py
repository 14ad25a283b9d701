"""Review's additions for the staff portal, against the real servers: a supervisor assigns a task
to a colleague (audited, no event, refused to every role outside the policy), and the task list
filters the portal needs (due before a day, a committee session's agenda, the last finance step)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.auth import ROLES
from shared.policy import load_policy
from tests.builders import assert_problem, new_tracking_number, received

POLICY = load_policy()


async def queued(review, broker, kind: str = "complaint", **extra) -> tuple[str, str]:
    number = new_tracking_number()
    await broker.publish(received(number, kind, **extra))
    return number, (await review.wait_task(number))["id"]


async def test_a_supervisor_assigns_a_task_and_the_assignee_alone_acts_on_it(review, broker):
    number, task_id = await queued(review, broker)
    omar, fatima, amina = (review.auth("supervisor", sub="omar"), review.auth("reviewer", sub="fatima"),
                           review.auth("reviewer", sub="amina"))
    outbox_before = len(await review.outbox(number))

    assigned = await review.client.post(f"/api/v1/tasks/{task_id}/assign", json={"assignee": "fatima"}, headers=omar)
    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["assignee"], assigned.json()["status"], assigned.json()["version"]) == ("fatima", "queued", 1)
    assert len(await review.outbox(number)) == outbox_before  # no event: the public status does not change

    assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=fatima)).status_code == 200
    reassigned = await review.client.post(f"/api/v1/tasks/{task_id}/assign", json={"assignee": "amina"}, headers=omar)
    assert (reassigned.json()["assignee"], reassigned.json()["status"]) == ("amina", "in_review")
    refused = await review.client.post(f"/api/v1/tasks/{task_id}/observations", headers=fatima,
                                       json={"observations": "Pas le mien."})
    assert "assigned to amina" in assert_problem(refused, 403)["detail"]
    observed = await review.client.post(f"/api/v1/tasks/{task_id}/observations", headers=amina,
                                        json={"observations": "Préciser l'adresse."})
    assert observed.status_code == 200, observed.text

    trail = (await review.client.get(f"/api/v1/tasks/{task_id}/audit", headers=omar)).json()
    assert [(e["actor"], e["action"], e["note"]) for e in trail if e["action"] == "assign"] == [
        ("omar", "assign", "- -> fatima"), ("omar", "assign", "fatima -> amina")]


async def test_assignment_follows_the_policy_for_every_role_and_changes_nothing_when_refused(review, broker):
    tasks = {kind: (await queued(review, broker, kind))[1] for kind in ("complaint", "supplier_invoice")}
    for role in ROLES:
        for kind, task_id in tasks.items():
            answer = await review.client.post(f"/api/v1/tasks/{task_id}/assign", json={"assignee": f"x-{role}"},
                                              headers=review.auth(role, sub=f"{role}-1"))
            allowed = POLICY.allows(frozenset({role}), "assign", kind)
            assert (answer.status_code == 200) == allowed, (role, kind, answer.status_code, answer.text)
            if not allowed:
                assert_problem(answer, 403)
                row = await review.pool.fetchrow("SELECT assignee, version FROM tasks WHERE id = $1::uuid", task_id)
                assert row["assignee"] in (None, "x-admin", "x-supervisor") and row["version"] == 1


async def test_assignment_refuses_a_bad_colleague_and_a_closed_task(review, broker):
    _, task_id = await queued(review, broker)
    omar = review.auth("supervisor", sub="omar")
    for body in ({"assignee": ""}, {"assignee": "two\nlines"}, {}):
        assert_problem(await review.client.post(f"/api/v1/tasks/{task_id}/assign", json=body, headers=omar), 422)
    await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=omar)
    decided = await review.client.post(f"/api/v1/tasks/{task_id}/decision", headers=omar,
                                       json={"outcome": "answered", "text": "Réponse."})
    assert decided.status_code == 200, decided.text
    late = await review.client.post(f"/api/v1/tasks/{task_id}/assign", json={"assignee": "fatima"}, headers=omar)
    assert "open task" in assert_problem(late, 409)["detail"]


async def test_the_list_filters_by_due_day_session_and_last_finance_step(review, broker):
    admin = review.auth("admin", sub="admin-1")
    old, _ = await queued(review, broker, at=datetime.now(UTC) - timedelta(days=200))
    recent, _ = await queued(review, broker)

    async def numbers(**params) -> set[str]:
        answer = await review.client.get("/api/v1/tasks", params={"limit": 200, **params}, headers=admin)
        assert answer.status_code == 200, answer.text
        return {t["tracking_number"] for t in answer.json()["items"]}

    soon = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    assert old in await numbers(due_before=soon) and recent not in await numbers(due_before=soon)
    far = (datetime.now(UTC) + timedelta(days=400)).date().isoformat()
    assert {old, recent} <= await numbers(due_before=far)
    assert_problem(await review.client.get("/api/v1/tasks", params={"due_before": "soon"}, headers=admin), 422)

    session = await review.client.post("/api/v1/committee/sessions", headers=admin,
                                       json={"session_date": (datetime.now(UTC) + timedelta(days=7)).date().isoformat()})
    permit, permit_id = await queued(review, broker, "building_permit")
    await review.client.post(f"/api/v1/tasks/{permit_id}/claim", headers=admin)
    referred = await review.client.post(f"/api/v1/tasks/{permit_id}/refer", headers=admin,
                                        json={"session_id": session.json()["id"]})
    assert referred.status_code == 200, referred.text
    assert await numbers(session_id=session.json()["id"]) == {permit}

    invoice, invoice_id = await queued(review, broker, "supplier_invoice")
    assert invoice in await numbers(step="none", kind="supplier_invoice")
    await review.client.post(f"/api/v1/tasks/{invoice_id}/claim", headers=admin)
    stepped = await review.client.post(f"/api/v1/tasks/{invoice_id}/steps", headers=admin, json={"step": "verified"})
    assert stepped.status_code == 200, stepped.text
    assert invoice in await numbers(step="verified") and invoice not in await numbers(step="none")
    assert invoice not in await numbers(step="approved_for_payment")
