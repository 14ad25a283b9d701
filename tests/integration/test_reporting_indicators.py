"""The public indicators (no token) against the real PostgreSQL and RabbitMQ: processing times
against the legal deadlines per kind, and not one name, email, CIN, ICE or tracking number."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.reporting.settings import ReportingSettings
from shared.events import ReviewObservationsIssued
from shared.lifecycle import Status
from tests.builders import (
    PERSONAL,
    MovableClock,
    by_youssef,
    decided,
    local,
    received,
    resubmitted,
    review_event,
    staff_headers,
)
from tests.in_process import served
from tests.support import wait_until

MONDAY = date(2025, 6, 16)
TRACKING = ("AU-2025-00050-AAAAA", "AU-2025-00051-AAAAA", "AU-2025-00052-AAAAA")


@pytest.fixture
def reporting_settings(reporting_settings) -> ReportingSettings:
    """The day closer looks at the clock when the service starts, then only when a test calls it."""
    return reporting_settings.model_copy(update={"report_check_interval": 3600})


async def test_indicators_are_public_figures_without_personal_data(reporting_settings, broker):
    permit, note, late = TRACKING
    events = [
        received(permit, "building_permit", at=local(MONDAY, 9), **by_youssef(project_size="small")),
        decided(permit, "building_permit", at=local(MONDAY + timedelta(days=7), 10), outcome="approved"),
        received(note, "information_note", at=local(MONDAY, 9), **by_youssef()),
        review_event(ReviewObservationsIssued, note, "information_note", status=Status.AWAITING_APPLICANT,
                     at=local(MONDAY + timedelta(days=1), 9), observations="Plan manquant"),
        resubmitted(note, "information_note", at=local(MONDAY + timedelta(days=8), 9)),
        decided(note, "information_note", at=local(MONDAY + timedelta(days=17), 9), outcome="note_issued"),
        received(late, "information_note", at=local(MONDAY, 9), **by_youssef()),
        decided(late, "information_note", at=local(MONDAY + timedelta(days=24), 9), outcome="note_issued"),
    ]
    clock = MovableClock(local(MONDAY + timedelta(days=30), 12))
    async with served("reporting", reporting_settings, clock=clock) as service:
        for event in events:
            await broker.publish(event)
        await wait_until(lambda: _at_least(service, len(events)), message="entries")
        answer = await service.client.get("/api/v1/indicators", params={"from": "2025-06-16", "to": "2025-07-15"})
        default = await service.client.get("/api/v1/indicators")
        errors = [await service.client.get("/api/v1/indicators", params=params) for params in (
            {"from": "2025-07-15", "to": "2025-06-16"}, {"from": "2024-01-01", "to": "2025-06-16"},
            {"from": "16/06/2025"})]

    assert answer.status_code == 200 and answer.headers["cache-control"] == "public, max-age=300"
    for personal in (*PERSONAL, *TRACKING, "AU-2025"):
        assert personal not in answer.text
    kinds = {row["kind"]: row for row in answer.json()["kinds"]}
    assert kinds["building_permit"]["decided"] == 1 and kinds["building_permit"]["on_time_share"] == 1.0
    assert kinds["building_permit"]["median_days"] == 5.0  # Mon 16 to Mon 23 June
    notes = kinds["information_note"]
    assert (notes["decided"], notes["on_time"], notes["with_deadline"]) == (2, 1, 2)  # the paused one made it
    assert notes["legal_deadlines"] == [{"days": 10, "unit": "working_days", "applies_to": {}}]
    assert answer.json()["all_kinds"]["decided"] == 3
    assert default.status_code == 200 and default.json()["to"] == str(MONDAY + timedelta(days=29))
    assert [e.status_code for e in errors] == [422, 422, 422]
    assert all(e.headers["content-type"].startswith("application/problem+json") for e in errors)
    assert errors[2].json()["errors"][0]["field"] == "query.from"


async def test_report_commands_need_an_operator_and_a_valid_day(reporting_settings):
    async with served("reporting", reporting_settings, clock=MovableClock(local(MONDAY, 12))) as service:
        assert (await service.client.post(f"/api/v1/reports/daily/{MONDAY}/build")).status_code == 401
        refused = await service.client.post(f"/api/v1/reports/daily/{MONDAY}/build",
                                            headers=staff_headers("supervisor"))
        assert refused.status_code == 403
        bad = await service.client.post("/api/v1/reports/daily/2025-13-01/send", headers=staff_headers("ops"))
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "path.day"
        missing = await service.client.get("/api/v1/reports/daily", params={"date": "2001-01-01", "format": "xlsx"},
                                           headers=staff_headers("ops"))
        assert missing.status_code == 404
        assert (await service.client.get("/api/v1/reports/daily",
                                         headers=staff_headers("reviewer"))).status_code == 403


async def _at_least(service, count: int) -> bool:
    return await service.entries_count() >= count
