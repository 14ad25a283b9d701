"""Reliability rules with the services as processes: duplicates have one effect, a broker
outage loses nothing, a message that keeps failing is parked while the rest flows."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import asyncpg
from prometheus_client.parser import text_string_to_metric_families

from shared.envelope import Envelope
from shared.events import Applicant, ReviewObservationsIssued
from tests.builders import received, staff_headers
from tests.files import complaint
from tests.support import wait_until


async def report_entries(env, event_id) -> int:
    conn = await asyncpg.connect(env["LAMADI_DATABASE_URL"])
    try:
        return await conn.fetchval("SELECT count(*) FROM reporting.report_entries WHERE event_id = $1", event_id)
    finally:
        await conn.close()


async def duplicates_dropped(system, service: str, queue: str) -> float:
    """How many redelivered events a service's consumer recognised in its inbox and skipped."""
    text = (await system.http.get(system.url(service, "/metrics"))).text
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "lamadi_events_consumed_total" and sample.labels.get("queue") == queue
               and sample.labels.get("outcome") == "duplicate")


async def test_the_same_envelope_published_twice_has_one_effect_in_every_consumer(system, env, broker):
    tracking_number, email = "AU-2026-DUPLI-CATE1", "youssef@example.ma"
    envelope = received(tracking_number, "complaint", applicant=Applicant(full_name="Youssef Alaoui", email=email,
                                                                          language="ar"),
                        details={"subtype": "suggestion", "subject": "Espaces verts",
                                 "message": "Planter des arbres avenue Hassan II."})
    await broker.publish(envelope)
    await broker.publish(envelope)
    ops = staff_headers("ops", sub="ops-karim")
    # Each consumer takes messages concurrently, so no later event proves the copies were
    # handled: wait until every consumer of the event has itself reported the second copy as a
    # duplicate, after committing the first.
    for service, queue in (("review", "lamadi.review.submissions"), ("notifier", "lamadi.notifier.applicant-emails"),
                           ("reporting", "lamadi.reporting.entries")):
        await wait_until(lambda: duplicates_dropped(system, service, queue), message=f"{queue} saw the duplicate")

    tasks = (await system.http.get(system.url("review", "/api/v1/tasks"), headers=staff_headers("reviewer", sub="r"),
                                   params={"tracking_number": tracking_number})).json()["items"]
    assert len(tasks) == 1
    assert len([m for m in system.mailcatcher.messages() if email in m["To"]]) == 1
    deliveries = (await system.http.get(system.url("notifier", "/api/v1/deliveries"), headers=ops,
                                        params={"tracking_number": tracking_number})).json()["items"]
    assert len(deliveries) == 1
    assert await report_entries(env, envelope.id) == 1


async def test_filings_made_while_the_broker_is_cut_off_all_arrive_once_it_is_back(proxied_system):
    system = proxied_system
    await system.proxy.cut()
    await wait_until(lambda: _all_not_ready(system), message="every service notices the broker is gone")

    filed = []
    for n in range(5):
        answer = await system.http.post(system.url("intake", "/api/v1/submissions"),
                                        json=complaint(email=f"outage-{n}@example.ma"))
        assert answer.status_code == 202, answer.text
        filed.append(answer.json()["tracking_number"])

    await system.proxy.start()
    await wait_until(lambda: _all_ready(system), timeout=60, message="every service ready again, no restart")
    reviewer, ops = staff_headers("reviewer", sub="r"), staff_headers("ops", sub="o")

    async def all_queued():
        tasks = (await system.http.get(system.url("review", "/api/v1/tasks"), headers=reviewer,
                                       params={"limit": 100})).json()["items"]
        return {t["tracking_number"] for t in tasks} >= set(filed)

    await wait_until(all_queued, timeout=60, message="all filings reach review")
    await wait_until(lambda: len(system.mailcatcher.messages()) == 5, timeout=60, message="five receipts")
    for n in range(5):
        assert len([m for m in system.mailcatcher.messages() if f"outage-{n}@example.ma" in m["To"]]) == 1
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date().isoformat()

    async def reported():
        report = (await system.http.get(system.url("reporting", "/api/v1/reports/daily"), headers=ops,
                                        params={"date": today})).json()
        row = {r["kind"]: r for r in report["kinds"]}.get("complaint")
        return row if row and row["received"] == 5 else None

    await wait_until(reported, timeout=60, message="all five in the daily report")
    assert all(code == 200 for code in (await system.readiness()).values())


async def _all_not_ready(system):
    return all(code == 503 for code in (await system.readiness()).values())


async def _all_ready(system):
    return all(code == 200 for code in (await system.readiness()).values())


async def test_a_message_that_keeps_failing_is_parked_visible_and_others_still_flow(system, broker):
    # Observations for a filing nobody knows: intake and notifier cannot handle it, ever.
    poison = ReviewObservationsIssued(task_id=uuid4(), tracking_number="AU-2026-NOBOD-Y0000", kind="complaint",
                                      status="awaiting_applicant", version=2, observations="Rien.")
    await broker.publish(Envelope.new(poison, source="review", subject="AU-2026-NOBOD-Y0000",
                                      correlation_id=str(uuid4())))
    ops = staff_headers("ops", sub="ops-karim")

    async def parked():
        answer = await system.http.get(system.url("reporting", "/api/v1/ops/queues"), headers=ops)
        queues = {q["name"]: q for q in answer.json()["queues"]}
        intake, notifier = queues["lamadi.intake.public-status"], queues["lamadi.notifier.applicant-emails"]
        # The management API refreshes its figures every few seconds: wait for all of them.
        serving = intake["consumers"] >= 1 and notifier["consumers"] >= 1
        return queues if intake["parked"] == 1 and notifier["parked"] == 1 and serving else None

    await wait_until(parked, timeout=60, message="poison parked in intake and notifier, consumers still there")

    # The consumers keep serving: a new filing still gets its receipt and reaches review.
    filed = await system.http.post(system.url("intake", "/api/v1/submissions"), json=complaint(email="after@example.ma"))
    assert filed.status_code == 202
    await wait_until(lambda: [m for m in system.mailcatcher.messages() if "after@example.ma" in m["To"]],
                     message="receipt after the poison")
