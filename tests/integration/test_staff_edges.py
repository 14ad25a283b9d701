"""The staff services' edges: control characters, 64-bit offsets, deep JSON, out-of-range dates
are clear 4xx answers that change nothing."""

from __future__ import annotations

import pytest

from tests.builders import assert_problem, fields_of, new_tracking_number, received, staff_headers
from tests.support import free_port, wait_until

NUL = "\u0000"


async def test_review_refuses_control_characters_in_texts_and_queries(review, broker):
    number = new_tracking_number()
    await broker.publish(received(number, "complaint"))
    task_id = (await review.wait_task(number))["id"]
    amina = review.auth("reviewer", sub="amina")
    assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=amina)).status_code == 200
    for path, body, field in (("observations", {"observations": f"Plan{NUL}"}, "body.observations"),
                              ("decision", {"outcome": "answered", "text": f"Réponse{NUL}"}, "body.text")):
        answer = await review.client.post(f"/api/v1/tasks/{task_id}/{path}", headers=amina, json=body)
        assert field in fields_of(assert_problem(answer, 422))
    for name in ("kind", "assignee", "tracking_number", "status"):
        answer = await review.client.get("/api/v1/tasks", headers=amina, params={name: f"x{NUL}"})
        assert fields_of(assert_problem(answer, 422)) == [f"query.{name}"]
    task = await review.task_of(number)
    assert (task["status"], task["version"], task["observations"]) == ("in_review", 2, [])


async def test_review_refuses_a_huge_offset_deep_json_and_far_session_dates(review):
    chief = review.auth("supervisor", sub="chief")
    beyond = await review.client.get("/api/v1/tasks", headers=chief, params={"offset": 2**64})
    assert "query.offset" in fields_of(assert_problem(beyond, 422))
    deep = "{\"a\": " * 100_000 + "1" + "}" * 100_000
    answer = await review.client.post("/api/v1/committee/sessions", content=deep,
                                      headers={**chief, "Content-Type": "application/json"})
    assert assert_problem(answer, 400)["title"] == "Malformed JSON"
    for day in ("0001-01-01", "9999-12-31"):
        far = await review.client.post("/api/v1/committee/sessions", headers=chief, json={"session_date": day})
        assert "body.session_date" in fields_of(assert_problem(far, 422))
    assert await review.pool.fetchval("SELECT count(*) FROM committee_sessions") == 0


async def test_notifier_refuses_control_characters_and_huge_offsets(notifier):
    client = notifier.as_staff("supervisor", sub="supervisor-1")
    for params, field in (({"tracking_number": f"AU{NUL}"}, "query.tracking_number"),
                          ({"offset": 2**63}, "query.offset")):
        answer = await client.get("/api/v1/deliveries", params=params)
        assert field in fields_of(assert_problem(answer, 422))


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", f"2026-01-01{NUL}"])
async def test_reporting_refuses_days_whose_arithmetic_would_overflow(reporting, day):
    ops = staff_headers("ops")
    assert_problem(await reporting.client.get("/api/v1/reports/daily", params={"date": day}, headers=ops), 422)


async def test_resending_a_failed_delivery_says_why_it_cannot(notifier, broker, mailcatcher):
    client, runtime = notifier.as_staff("supervisor", sub="supervisor-1"), notifier.runtime
    number = "UA-2025-000901"
    await broker.publish(received(number, "building_permit"))
    await wait_until(lambda: runtime.pool.fetchval(
        "SELECT count(*) = 1 FROM deliveries WHERE tracking_number = $1 AND status = 'sent'", number),
        message="receipt sent")
    delivery = await runtime.pool.fetchval("SELECT id FROM deliveries WHERE tracking_number = $1", number)
    # A delivery that failed, and whose recorded content can no longer make an email.
    await runtime.pool.execute("UPDATE deliveries SET status = 'failed', context = context - 'full_name' "
                               "WHERE id = $1", delivery)
    unbuildable = await client.post(f"/api/v1/deliveries/{delivery}/resend")
    assert "cannot be built" in assert_problem(unbuildable, 409)["detail"]
    await runtime.pool.execute("UPDATE deliveries SET context = context || '{\"full_name\": \"F. Z.\"}' "
                               "WHERE id = $1", delivery)
    runtime.settings.smtp_port = free_port()  # the mail server is away
    away = await client.post(f"/api/v1/deliveries/{delivery}/resend")
    assert assert_problem(away, 502)["title"] == "Mail server unavailable"
    runtime.settings.smtp_port = mailcatcher.port
    resent = await client.post(f"/api/v1/deliveries/{delivery}/resend")
    assert resent.status_code == 200 and resent.json()["status"] == "sent"
