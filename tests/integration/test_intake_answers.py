"""Every answer of the public API matches its response model, and every timestamp in it is
ISO 8601 with a time zone (a client in another zone reads the same instant)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter

from services.intake.api.models import CatalogueEntry, FilingView, OpinionPage, StatusChange, SubmissionAccepted
from shared.events import CommitteeOpinionPublished, ReviewObservationsIssued
from tests.files import MINIMAL_PDF
from tests.integration.test_intake_service import _status_is, decide, file, review_event
from tests.support import wait_until


def timestamps(value: Any, key: str = "") -> list[tuple[str, str]]:
    """(key, value) of every timestamp field in an answer: ``at`` and ``…_at``."""
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in timestamps(v, k)]
    if isinstance(value, list):
        return [found for item in value for found in timestamps(item, key)]
    return [(key, value)] if (key == "at" or key.endswith("_at")) and value is not None else []


def check(answer, model: type[BaseModel] | TypeAdapter) -> Any:
    body = answer.json()
    adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
    adapter.validate_python(body)  # raises on any field outside the documented model
    for key, value in timestamps(body):
        parsed = datetime.fromisoformat(value)
        assert "T" in value and parsed.tzinfo is not None, f"{key}={value!r} is not ISO 8601 with a time zone"
    return body


def test_the_timestamp_check_refuses_what_intake_used_to_answer():
    class Answer:
        @staticmethod
        def json():
            return {"tracking_number": "AU", "status": "queued", "updated_at": "2026-11-29 13:38:56.706352+00:00"}

    try:
        check(Answer(), dict)
    except AssertionError as error:
        assert "updated_at" in str(error)
    else:
        raise AssertionError("a timestamp without T passed")


async def test_every_public_answer_matches_its_model_with_iso_timestamps(intake, broker):
    check(await intake.get("/api/v1/catalogue"), list[CatalogueEntry])
    body = await file(intake, "building_permit")
    check_accepted = SubmissionAccepted.model_validate(body)
    assert check_accepted.replayed is False
    headers = {"X-Access-Token": body["access_token"]}
    tn = body["tracking_number"]
    await broker.publish(review_event(ReviewObservationsIssued, tn, 3, "awaiting_applicant", kind="building_permit",
                                      observations="Joindre le plan coté."))
    await wait_until(lambda: _status_is(intake, body, "awaiting_applicant"), message="awaiting the applicant")
    answered = await intake.post(f"{body['location']}/responses", headers=headers,
                                 data={"response": '{"message": "Ci-joint."}'},
                                 files=[("documents", ("plan.pdf", MINIMAL_PDF, "application/pdf"))])
    check(answered, StatusChange)
    await broker.publish(review_event(CommitteeOpinionPublished, tn, 5, "in_committee", kind="building_permit",
                                      opinion="unfavourable", motive="Recul", session_date="2026-12-01"))
    await decide(intake, broker, body, "building_permit", "rejected", version=6, committee_opinion="unfavourable")
    check(await intake.post(f"{body['location']}/contest", headers=headers, json={"motive": "Le recul est respecté."}),
          StatusChange)
    view = check(await intake.get(body["location"], headers=headers), FilingView)
    assert view["contest"]["contested_decision"]["outcome"] == "rejected"
    assert {key for key, _ in timestamps(view)} >= {"received_at", "updated_at", "at", "added_at"}
    page = check(await intake.get("/api/v1/opinions"), OpinionPage)
    assert page["total"] == 1
    withdrawn = await file(intake, "complaint")
    check(await intake.post(f"{withdrawn['location']}/withdraw",
                            headers={"X-Access-Token": withdrawn["access_token"]}), StatusChange)
