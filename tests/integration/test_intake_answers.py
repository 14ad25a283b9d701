"""Every answer of the public API matches its response model, and every timestamp in it is
ISO 8601 with a time zone (a client in another zone reads the same instant)."""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from services.intake.api.models import (
    CatalogueEntry,
    DraftCreated,
    DraftView,
    FilingView,
    OpinionPage,
    StatusChange,
    SubmissionAccepted,
)
from shared.events import CommitteeOpinionPublished, ReviewObservationsIssued
from tests.builders import review_event
from tests.files import MINIMAL_PDF
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


def timestamp_fields(model: type[BaseModel]) -> dict[str, Any]:
    """``Model.field`` → its type, for every timestamp field of the model and of the models in it."""
    found = {}
    for name, field in model.model_fields.items():
        if name == "at" or name.endswith("_at"):
            found[f"{model.__name__}.{name}"] = field.annotation
        for inner in typing.get_args(field.annotation) or (field.annotation,):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner is not model:
                found |= timestamp_fields(inner)
    return found


def test_every_timestamp_intake_answers_is_iso_8601_with_its_zone_whatever_it_is_given():
    # What intake once answered: str() of a timestamp from the database, a space for the T.
    as_once_answered, naive = "2026-11-29 13:38:56.706352+00:00", "2026-11-29T13:38:56"
    models = (SubmissionAccepted, StatusChange, FilingView, OpinionPage, CatalogueEntry, DraftCreated, DraftView)
    fields = {name: annotation for model in models for name, annotation in timestamp_fields(model).items()}
    assert {"FilingView.received_at", "FilingView.updated_at", "Decision.at", "PublishedOpinion.published_at"} <= set(fields)
    for name, annotation in fields.items():
        adapter = TypeAdapter(annotation)
        answered = adapter.dump_python(adapter.validate_python(as_once_answered), mode="json")
        assert "T" in answered and datetime.fromisoformat(answered).tzinfo is not None, f"{name} answers {answered!r}"
        with pytest.raises(ValidationError):  # a time without its zone is not an instant: refused
            adapter.validate_python(naive)


async def test_every_public_answer_matches_its_model_with_iso_timestamps(intake, broker):
    check(await intake.client.get("/api/v1/catalogue"), list[CatalogueEntry])
    body = await intake.file("building_permit")
    check_accepted = SubmissionAccepted.model_validate(body)
    assert check_accepted.replayed is False
    headers = {"X-Access-Token": body["access_token"]}
    tn = body["tracking_number"]
    await broker.publish(review_event(ReviewObservationsIssued, tn, "building_permit", status="awaiting_applicant",
                                      version=3, observations="Joindre le plan coté."))
    await wait_until(lambda: intake.status_is(body, "awaiting_applicant"), message="awaiting the applicant")
    answered = await intake.client.post(f"{body['location']}/responses", headers=headers,
                                        data={"response": '{"message": "Ci-joint."}'},
                                        files=[("documents", ("plan.pdf", MINIMAL_PDF, "application/pdf"))])
    check(answered, StatusChange)
    await broker.publish(review_event(CommitteeOpinionPublished, tn, "building_permit", status="in_committee",
                                      version=5, opinion="unfavourable", motive="Recul", session_date="2026-12-01"))
    await intake.decide(broker, body, "building_permit", "rejected", version=6, committee_opinion="unfavourable")
    check(await intake.client.post(f"{body['location']}/contest", headers=headers, json={"motive": "Le recul est respecté."}),
          StatusChange)
    view = check(await intake.client.get(body["location"], headers=headers), FilingView)
    assert view["contest"]["contested_decision"]["outcome"] == "rejected"
    assert {key for key, _ in timestamps(view)} >= {"received_at", "updated_at", "at", "added_at"}
    page = check(await intake.client.get("/api/v1/opinions"), OpinionPage)
    assert page["total"] == 1
    withdrawn = await intake.file("complaint")
    check(await intake.client.post(f"{withdrawn['location']}/withdraw",
                                   headers={"X-Access-Token": withdrawn["access_token"]}), StatusChange)
