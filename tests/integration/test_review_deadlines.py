"""Legal deadlines against the real servers, with a controllable clock: due dates in working
days, the clock paused while the agency waits for the applicant, the overdue filter and the
due-date sort, and alerts emitted exactly once however often and however concurrently the
scheduler runs."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest

from services.review.scheduler import scan_deadlines
from services.review.settings import ReviewSettings
from shared.events import SubmissionResubmitted
from tests.builders import MovableClock, enveloped, local, new_tracking_number, received
from tests.in_process import served
from tests.support import wait_until

ALERTS = ("review.deadline_approaching.v1", "review.deadline_breached.v1")


@pytest.fixture
def clock():
    return MovableClock(local("2026-11-05", 11))


@pytest.fixture
def review_settings(env):
    # The background scan stays out of the way: the tests call scan_deadlines themselves.
    return ReviewSettings(deadline_scan_interval=3600)


async def note_task(review, broker, received_on: str = "2026-11-05", kind: str = "information_note") -> tuple[str, dict]:
    number = new_tracking_number()
    await broker.publish(received(number, kind, at=local(received_on, 9)))
    return number, await review.wait_task(number)


async def alerts(review, number: str) -> list[tuple[str, str]]:
    return [(e["type"], e["data"]["deadline"]) for e in await review.outbox(number) if e["type"] in ALERTS]


async def test_the_due_date_skips_the_weekend_and_public_holidays(review, broker):
    # Thu 2026-11-05 + 10 working days; Fri 11-06 (Green March) and Wed 11-18 (Independence Day) are holidays.
    number, task = await note_task(review, broker)
    [deadline] = task["deadlines"]
    assert deadline["due_at"] == "2026-11-23T23:59:59+01:00"
    assert (deadline["name"], deadline["days_used"], deadline["days_left"], deadline["paused"], deadline["overdue"]) == (
        "decision", 0, 10, False, False)
    [queued] = await review.outbox(number)
    assert queued["data"]["due_at"] == "2026-11-23T23:59:59+01:00"
    assert await review.pool.fetchval("SELECT due_on FROM deadlines WHERE task_id = $1",
                                      uuid.UUID(task["id"])) == date(2026, 11, 23)


async def test_five_working_days_waiting_for_the_applicant_move_the_due_date_by_five(review, broker, clock):
    number, task = await note_task(review, broker)
    amina = review.auth("reviewer", sub="amina")
    clock.now = local("2026-11-09")
    assert (await review.client.post(f"/api/v1/tasks/{task['id']}/claim", headers=amina)).status_code == 200
    paused = await review.client.post(f"/api/v1/tasks/{task['id']}/observations",
                                      json={"observations": "Plan de situation illisible."}, headers=amina)
    [deadline] = paused.json()["deadlines"]
    assert (deadline["paused"], deadline["days_used"], deadline["due_at"]) == (True, 1, "2026-11-23T23:59:59+01:00")

    clock.now = local("2026-11-13")  # still waiting: the clock does not run
    waiting = (await review.client.get(f"/api/v1/tasks/{task['id']}", headers=amina)).json()["deadlines"][0]
    assert (waiting["paused"], waiting["days_used"], waiting["days_left"]) == (True, 1, 9)

    clock.now = local("2026-11-16", 15)  # Tue 10 … Mon 16: 5 working days waited
    await broker.publish(enveloped(SubmissionResubmitted(tracking_number=number, kind="information_note",
                                                                 message="Voici un plan lisible.")))
    resumed = (await review.wait_task(number, status="queued", version=4))["deadlines"][0]
    assert (resumed["paused"], resumed["paused_days"], resumed["due_at"]) == (False, 5, "2026-11-30T23:59:59+01:00")
    assert resumed["days_used"] + resumed["days_left"] == 10
    queued = (await review.outbox(number))[-1]
    assert (queued["data"]["reason"], queued["data"]["due_at"]) == ("resubmitted", "2026-11-30T23:59:59+01:00")


async def test_approaching_and_breached_are_each_emitted_exactly_once(review, broker):
    number, _ = await note_task(review, broker)  # due Mon 2026-11-23
    pool, deps = review.pool, review.deps

    assert await scan_deadlines(deps, local("2026-11-18"), margin_days=2) == []  # 3 working days left
    assert await alerts(review, number) == []

    within = local("2026-11-19")
    first = await asyncio.gather(*(scan_deadlines(deps, within, margin_days=2) for _ in range(2)))
    for _ in range(5):
        await scan_deadlines(deps, within, margin_days=2)
    assert sorted(sum(first, [])) == [(number, "decision", "approaching")]
    assert await alerts(review, number) == [("review.deadline_approaching.v1", "decision")]

    past = local("2026-11-24", 0)
    await asyncio.gather(*(scan_deadlines(deps, past, margin_days=2) for _ in range(2)))
    for _ in range(5):
        await scan_deadlines(deps, past, margin_days=2)
    assert await alerts(review, number) == [("review.deadline_approaching.v1", "decision"),
                                            ("review.deadline_breached.v1", "decision")]
    breached = (await review.outbox(number))[-1]
    assert (breached["data"]["due_at"], breached["data"]["status"]) == ("2026-11-23T23:59:59+01:00", "queued")
    assert await pool.fetchval("SELECT count(*) FROM deadline_alerts") == 2


async def test_two_scans_at_once_past_due_emit_one_breach_and_no_late_approaching(review, broker):
    numbers = [(await note_task(review, broker))[0] for _ in range(3)]
    past = local("2026-12-01")
    results = await asyncio.gather(*(scan_deadlines(review.deps, past, margin_days=2) for _ in range(2)))
    assert sorted(sum(results, [])) == sorted((n, "decision", "breached") for n in numbers)
    for number in numbers:
        assert await alerts(review, number) == [("review.deadline_breached.v1", "decision")]


async def test_paused_and_met_deadlines_do_not_alert(review, broker, clock):
    paused_number, paused = await note_task(review, broker)
    met_number, met = await note_task(review, broker)
    amina = review.auth("reviewer", sub="amina")
    clock.now = local("2026-11-09")
    for task in (paused, met):
        assert (await review.client.post(f"/api/v1/tasks/{task['id']}/claim", headers=amina)).status_code == 200
    assert (await review.client.post(f"/api/v1/tasks/{paused['id']}/observations",
                                     json={"observations": "Pièce manquante."}, headers=amina)).status_code == 200
    decided = await review.client.post(f"/api/v1/tasks/{met['id']}/decision", headers=amina,
                                       json={"outcome": "rejected", "text": "Hors périmètre."})
    assert decided.json()["deadlines"][0]["met_at"] is not None
    for _ in range(3):
        assert await scan_deadlines(review.deps, local("2026-12-15"), margin_days=2) == []
    assert await alerts(review, paused_number) == [] and await alerts(review, met_number) == []


async def test_the_task_list_filters_overdue_and_sorts_by_due_date(review, broker, clock):
    complaint, _ = await note_task(review, broker, "2026-11-02", kind="complaint")  # due 2027-01-01
    late_note, _ = await note_task(review, broker, "2026-11-05")  # due 2026-11-23
    early_note, _ = await note_task(review, broker, "2026-11-02")  # due 2026-11-17
    reader = review.auth("ops", sub="olga")
    clock.now = local("2026-11-20")

    by_due = (await review.client.get("/api/v1/tasks", params={"sort": "due_at"}, headers=reader)).json()
    assert [t["tracking_number"] for t in by_due["items"]] == [early_note, late_note, complaint]
    oldest = (await review.client.get("/api/v1/tasks", headers=reader)).json()
    assert [t["tracking_number"] for t in oldest["items"]] == [complaint, late_note, early_note]

    overdue = (await review.client.get("/api/v1/tasks", params={"overdue": "true"}, headers=reader)).json()
    assert ([t["tracking_number"] for t in overdue["items"]], overdue["total"]) == ([early_note], 1)
    assert overdue["items"][0]["deadlines"][0]["overdue"] is True
    clock.now = local("2026-11-24")
    overdue = (await review.client.get("/api/v1/tasks", params={"overdue": "true", "sort": "due_at"},
                                       headers=reader)).json()
    assert [t["tracking_number"] for t in overdue["items"]] == [early_note, late_note]


async def test_the_runtime_scans_deadlines_in_the_background_at_the_clocks_time(env, broker, clock):
    async with served("review", ReviewSettings(deadline_scan_interval=0.2), clock=clock) as service:
        number, _ = await note_task(service, broker)
        await asyncio.sleep(0.5)  # a few scans at Nov 5: nothing is due yet
        assert await alerts(service, number) == []
        clock.now = local("2026-11-24")
        await wait_until(lambda: alerts(service, number), message="breach emitted by the background scan")
        await asyncio.sleep(0.5)  # more scans: still once
        assert await alerts(service, number) == [("review.deadline_breached.v1", "decision")]
