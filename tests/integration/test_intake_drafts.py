"""Drafts against the real PostgreSQL: save and resume with documents, the link sent only to
the notifier, filing once through the same path as any filing, expiry and purge."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from services.intake.scheduler import purge_drafts
from services.intake.settings import IntakeSettings
from shared.events import DraftSaved
from shared.messaging.topology import bound_types, queues_of
from tests.builders import MovableClock, assert_problem
from tests.files import MINIMAL_PDF, TINY_PNG, filing

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture
def intake_settings(env, documents_dir) -> IntakeSettings:
    return IntakeSettings(portal_url="https://portail.example.ma/")


def permit() -> dict:
    return filing("building_permit")


async def new_draft(intake, data: dict | None = None) -> tuple[str, dict]:
    answer = await intake.client.post("/api/v1/drafts", json={"kind": "building_permit", "language": "ar",
                                                              "email": "karim@example.ma", "data": data or {}})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return body["id"], {"X-Draft-Token": body["resume_token"]}


async def test_a_draft_is_saved_its_link_goes_to_the_notifier_only_and_only_its_token_opens_it(intake):
    draft_id, token = await new_draft(intake, {"project_title": "Maison R+1"})
    row = await intake.pool.fetchrow("SELECT routing_key, envelope FROM outbox")
    assert row["routing_key"] == DraftSaved.TYPE
    link = row["envelope"]["data"]["resume_url"]
    assert link == f"https://portail.example.ma/drafts/{draft_id}/resume?token={token['X-Draft-Token']}"
    assert row["envelope"]["data"]["language"] == "ar"
    assert DraftSaved.TYPE not in bound_types(queues_of("reporting")[0], [DraftSaved.TYPE])
    assert token["X-Draft-Token"].encode() not in bytes(
        await intake.pool.fetchval("SELECT token_hash FROM drafts"))  # stored hashed
    view = (await intake.client.get(f"/api/v1/drafts/{draft_id}", headers=token)).json()
    assert (view["kind"], view["language"], view["data"], view["documents"]) == (
        "building_permit", "ar", {"project_title": "Maison R+1"}, [])
    for headers in ({}, {"X-Draft-Token": "not-the-token"}):
        assert_problem(await intake.client.get(f"/api/v1/drafts/{draft_id}", headers=headers), 404)


async def test_answers_and_documents_are_kept_then_filed_once_as_any_filing(intake, tmp_path):
    draft_id, token = await new_draft(intake)
    answer = await intake.client.put(f"/api/v1/drafts/{draft_id}", headers=token, json={"data": permit()})
    assert answer.status_code == 200, answer.text
    early = await intake.client.post(f"/api/v1/drafts/{draft_id}/file", headers=token)
    assert assert_problem(early, 422)["title"] == "Required documents missing"
    files = [(code, (f"{code}.pdf", MINIMAL_PDF + code.encode(), "application/pdf"))
             for code in ("architectural_plans", "situation_plan", "property_proof", "architect_contract")]
    added = await intake.client.post(f"/api/v1/drafts/{draft_id}/documents", headers=token, files=files[:2])
    assert added.status_code == 200, added.text
    again = await intake.client.post(f"/api/v1/drafts/{draft_id}/documents", headers=token,
                                     files=[("situation_plan", ("plan-v2.png", TINY_PNG, "image/png"))] + files[2:])
    names = {d["type"]: d["name"] for d in again.json()["documents"]}
    assert names["situation_plan"] == "plan-v2.png" and len(names) == 4  # one per type: the new one replaces
    filed = await intake.client.post(f"/api/v1/drafts/{draft_id}/file", headers=token)
    assert filed.status_code == 202, filed.text
    number = filed.json()["tracking_number"]
    stored = await intake.pool.fetch("SELECT type, name FROM documents WHERE tracking_number = $1", number)
    assert {r["type"]: r["name"] for r in stored} == names
    event = json.loads(await intake.pool.fetchval(
        "SELECT envelope::text FROM outbox WHERE routing_key = 'submission.received.v1'"))
    assert event["data"]["kind"] == "building_permit" and len(event["data"]["documents"]) == 4
    replay = await intake.client.post(f"/api/v1/drafts/{draft_id}/file", headers=token)
    assert replay.json()["tracking_number"] == number and replay.json()["replayed"] is True
    assert await intake.pool.fetchval("SELECT count(*) FROM submissions") == 1
    assert_problem(await intake.client.put(f"/api/v1/drafts/{draft_id}", headers=token, json={"data": {}}), 409)


async def test_wrong_answers_are_named_when_the_draft_is_filed(intake):
    draft_id, token = await new_draft(intake, {**permit(), "floors": -1})
    answer = await intake.client.post(f"/api/v1/drafts/{draft_id}/file", headers=token)
    assert "data.building_permit.floors" in [e["field"] for e in assert_problem(answer, 422)["errors"]]
    assert await intake.pool.fetchval("SELECT count(*) FROM submissions") == 0


async def test_an_expired_draft_is_gone_and_purged_with_the_files_only_it_held(intake, clock):
    draft_id, token = await new_draft(intake, permit())
    shared_file, own_file = MINIMAL_PDF + b"shared", MINIMAL_PDF + b"own"
    await intake.client.post(f"/api/v1/drafts/{draft_id}/documents", headers=token, files=[
        ("situation_plan", ("plan.pdf", shared_file, "application/pdf")),
        ("property_proof", ("titre.pdf", own_file, "application/pdf"))])
    # A filing holds the same file as the draft's situation plan: that one must stay.
    complaint = await intake.client.post("/api/v1/submissions", data={"submission": json.dumps(filing("complaint"))},
                                         files=[("documents", ("plan.pdf", shared_file, "application/pdf"))])
    assert complaint.status_code == 202, complaint.text
    clock.now = START + timedelta(days=7, minutes=1)
    assert_problem(await intake.client.get(f"/api/v1/drafts/{draft_id}", headers=token), 404)
    assert await purge_drafts(intake.deps) == 1
    kept = sorted(p.name for p in intake.settings.documents_dir.rglob("*") if p.is_file())
    import hashlib
    assert kept == [hashlib.sha256(shared_file).hexdigest()]
    assert await intake.pool.fetchval("SELECT count(*) FROM drafts") == 0
