"""Review's task answers say what the pages need, computed for the caller by review's rules:
the actions offered (each at the path that takes it, with what it takes), the deadline state at
the alerts' margin, the finance stage and its filter, the timeline and the committee round.
And the list's due_before is a date, never a number."""

from __future__ import annotations

import uuid

import pytest

from services.review.domain.audit import AuditAction
from services.review.settings import ReviewSettings
from shared.events import SubmissionResubmitted
from tests.builders import MovableClock, assert_problem, enveloped, local, new_tracking_number, received
from tests.in_process import served
from tests.support import wait_until

SEVERITY = ["favourable", "favourable_with_conditions", "adjourned", "unfavourable"]
NOTE = {"zoning": "R+2", "allowed_height_m": 11.5, "setbacks": "4 m", "servitudes": "aucune"}


@pytest.fixture
def clock():
    return MovableClock(local("2026-11-05", 11))


async def new_task(review, broker, kind: str) -> tuple[str, str]:
    number = new_tracking_number()
    await broker.publish(received(number, kind, at=local("2026-11-05", 9)))
    return number, (await review.wait_task(number))["id"]


async def detail(review, task_id: str, sub: str, *roles: str) -> dict:
    answer = await review.client.get(f"/api/v1/tasks/{task_id}", headers=review.auth(*roles, sub=sub))
    assert answer.status_code == 200, answer.text
    return answer.json()


def actions(task: dict) -> list[str]:
    return [a["action"] for a in task["allowed_actions"]]


def offered(task: dict, action: str) -> dict:
    return next(a for a in task["allowed_actions"] if a["action"] == action)


async def test_the_answer_offers_the_caller_what_they_may_do_where_and_with_what(review, broker):
    number, task_id = await new_task(review, broker, "information_note")  # due 2026-11-23 (10 working days)
    amina = review.auth("reviewer", sub="amina")
    [listed] = (await review.client.get("/api/v1/tasks", params={"tracking_number": number}, headers=amina)).json()[
        "items"]
    assert listed["allowed_actions"] == [{"action": "claim", "path": f"/api/v1/tasks/{task_id}/claim", "outcomes": [],
                                          "steps": [], "opinions": [], "assignable_roles": [], "fields": []}]
    assert (listed["deadline_state"], listed["due_at"], listed["finance_stage"]) == (
        "on_time", "2026-11-23T23:59:59+01:00", None)
    assert actions(await detail(review, task_id, "olga", "ops")) == []

    claimed = await review.client.post(offered(listed, "claim")["path"], headers=amina)
    assert claimed.status_code == 200, claimed.text
    assert actions(claimed.json()) == ["observe", "decide"]
    mine = await detail(review, task_id, "amina", "reviewer")
    decide = offered(mine, "decide")
    assert (decide["path"], decide["outcomes"]) == (f"/api/v1/tasks/{task_id}/decision", ["note_issued", "rejected"])
    assert [(f["name"], f["type"], f["required"], f["outcome"]) for f in decide["fields"]] == [
        ("outcome", "choice", True, None), ("text", "text", True, None),
        ("note.zoning", "text", True, "note_issued"), ("note.allowed_height_m", "number", True, "note_issued"),
        ("note.setbacks", "text", True, "note_issued"), ("note.servitudes", "text", True, "note_issued"),
        ("note.remarks", "text", False, "note_issued")]
    assert actions(await detail(review, task_id, "youssef", "reviewer")) == []  # not his task
    chief = await detail(review, task_id, "chief", "supervisor")  # acts for others
    assert actions(chief) == ["assign", "observe", "decide"]
    assert offered(chief, "assign")["assignable_roles"] == ["reviewer", "supervisor"]

    # A message while review is not waiting changes nothing: in the history, not the timeline.
    await broker.publish(enveloped(SubmissionResubmitted(tracking_number=number, kind="information_note",
                                                      message="Une précision.", documents=[])))
    await wait_until(lambda: _history_has(review, task_id, "applicant_message"), message="message recorded")
    mine = await detail(review, task_id, "amina", "reviewer")
    assert [h["action"] for h in mine["history"]] == ["enqueue", "claim", "applicant_message"]
    assert [(h["action"], h["to_status"]) for h in mine["timeline"]] == [("enqueue", "queued"), ("claim", "in_review")]
    assert mine["committee"] is None

    decided = await review.client.post(decide["path"], headers=amina,
                                       json={"outcome": "note_issued", "text": "Note.", "note": NOTE})
    assert decided.status_code == 200, decided.text
    assert (actions(decided.json()), decided.json()["deadline_state"], decided.json()["due_at"]) == ([], "met", None)
    written = await review.pool.fetch("SELECT DISTINCT action FROM task_history")
    assert {row["action"] for row in written} <= {a.value for a in AuditAction}


async def _history_has(review, task_id: str, action: str) -> bool:
    return bool(await review.pool.fetchval("SELECT count(*) FROM task_history WHERE task_id = $1 AND action = $2",
                                           uuid.UUID(task_id), action))


async def test_a_committee_round_shows_its_opinions_aggregate_and_whose_turn_it_is(review, broker):
    number, task_id = await new_task(review, broker, "building_permit")
    amina = review.auth("reviewer", sub="amina")
    claimed = (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=amina)).json()
    assert actions(claimed) == ["observe", "refer"]  # a permit is decided by its committee
    assert (await review.client.post(offered(claimed, "refer")["path"], headers=amina)).status_code == 200

    karim = await detail(review, task_id, "karim", "committee")
    assert karim["committee"] == {"round": 1, "opinions": [], "aggregate": None, "severity": SEVERITY}
    assert offered(karim, "record_opinion")["opinions"] == SEVERITY
    assert "publish" not in actions(await detail(review, task_id, "chief", "supervisor"))
    given = await review.client.post(offered(karim, "record_opinion")["path"], headers=review.auth("committee", sub="karim"),
                                     json={"opinion": "favourable", "motive": "Conforme."})
    assert given.status_code == 201, given.text

    karim = await detail(review, task_id, "karim", "committee")
    assert actions(karim) == []  # one opinion per round
    assert ([(o["member"], o["opinion"]) for o in karim["committee"]["opinions"]], karim["committee"]["aggregate"]) == (
        [("karim", "favourable")], "favourable")
    assert actions(await detail(review, task_id, "sara", "committee")) == ["record_opinion"]
    assert offered(await detail(review, task_id, "chief", "supervisor"), "publish")["outcomes"] == ["approved"]
    await review.client.post(f"/api/v1/tasks/{task_id}/opinions", headers=review.auth("committee", sub="sara"),
                             json={"opinion": "unfavourable", "motive": "Trop haut."})
    chief = await detail(review, task_id, "chief", "supervisor")
    assert (chief["committee"]["aggregate"], offered(chief, "publish")["outcomes"]) == ("unfavourable", ["rejected"])
    assert [h["action"] for h in chief["timeline"]] == [
        "enqueue", "claim", "refer_to_committee", "record_opinion", "record_opinion"]
    listed = await review.task_of(number)  # a list's items carry the round too (an agenda needs no more calls)
    assert (listed["committee"]["aggregate"], len(listed["committee"]["opinions"])) == ("unfavourable", 2)


async def test_invoices_are_listed_by_the_stage_they_wait_for(review, broker):
    farid, chief = review.auth("finance", sub="farid"), review.auth("supervisor", sub="chief")
    numbers = {}
    for name, steps, paid in (("to_verify", [], False), ("to_approve", ["verified"], False),
                              ("to_pay", ["verified", "approved_for_payment"], False),
                              ("paid", ["verified", "approved_for_payment"], True)):
        number, task_id = await new_task(review, broker, "supplier_invoice")
        numbers[name] = number
        if steps or paid:
            assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=farid)).status_code == 200
        for step in steps:
            answer = await review.client.post(f"/api/v1/tasks/{task_id}/steps", json={"step": step}, headers=farid)
            assert answer.status_code == 200, answer.text
        if paid:
            answer = await review.client.post(f"/api/v1/tasks/{task_id}/decision", headers=farid,
                                              json={"outcome": "paid", "text": "Virement n° 42."})
            assert answer.status_code == 200, answer.text
    complaint, _ = await new_task(review, broker, "complaint")

    for stage, number in numbers.items():
        page = (await review.client.get("/api/v1/tasks", params={"finance_stage": stage}, headers=chief)).json()
        assert ([t["tracking_number"] for t in page["items"]], page["total"]) == ([number], 1), stage
        assert page["items"][0]["finance_stage"] == stage
    to_approve = (await review.client.get("/api/v1/tasks", params={"finance_stage": "to_approve"},
                                          headers=farid)).json()["items"][0]
    assert offered(to_approve, "record_step")["steps"] == ["approved_for_payment"]
    assert offered(to_approve, "decide")["outcomes"] == ["rejected"]  # paid once approved
    assert (await review.task_of(complaint))["finance_stage"] is None
    assert_problem(await review.client.get("/api/v1/tasks", params={"finance_stage": "shipped"}, headers=chief), 422)


async def test_the_deadline_state_follows_the_alerts_margin_setting(review, broker, clock, monkeypatch):
    _, task_id = await new_task(review, broker, "information_note")  # due Mon 2026-11-23
    clock.now = local("2026-11-17")  # three working days before (Wed 18 is a public holiday)
    assert (await detail(review, task_id, "olga", "ops"))["deadline_state"] == "on_time"  # margin 2, the default

    monkeypatch.setenv("LAMADI_DEADLINE_MARGIN_DAYS", "3")
    async with served("review", ReviewSettings(deadline_scan_interval=3600), clock=clock) as wider:
        client = wider.client
        answer = await client.get(f"/api/v1/tasks/{task_id}", headers=review.auth("ops", sub="olga"))
        assert answer.json()["deadline_state"] == "approaching"
        listed = await client.get("/api/v1/tasks", params={"sort": "due_at"}, headers=review.auth("ops", sub="olga"))
        assert [t["deadline_state"] for t in listed.json()["items"]] == ["approaching"]


@pytest.mark.parametrize("day", ["0", "20261130", "1700000000", "2026-13-01", "tomorrow"])
async def test_due_before_is_a_date_and_anything_else_is_a_clear_422(review, day):
    answer = await review.client.get("/api/v1/tasks", params={"due_before": day},
                                     headers=review.auth("ops", sub="olga"))
    [error] = assert_problem(answer, 422)["errors"]
    assert error["field"] == "query.due_before"
    assert "YYYY-MM-DD" in error["message"] or "date" in error["message"]


async def test_due_before_takes_a_day(review, broker):
    number, _ = await new_task(review, broker, "information_note")  # due 2026-11-23
    reader = review.auth("ops", sub="olga")
    for day, expected in (("2026-11-23", [number]), ("2026-11-22", [])):
        page = await review.client.get("/api/v1/tasks", params={"due_before": day}, headers=reader)
        assert page.status_code == 200, page.text
        assert [t["tracking_number"] for t in page.json()["items"]] == expected
