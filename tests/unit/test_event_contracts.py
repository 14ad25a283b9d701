"""Every event's JSON Schema, generated from its model, against the published contract."""

import json

import pytest

from shared.contracts import CONTRACTS, render, schema_of
from shared.envelope import Envelope
from shared.events import ALL_EVENTS, EVENTS_BY_TYPE, SubmissionWithdrawn


def _data_schema(schema: dict, event) -> dict:
    return schema["$defs"][event.__name__]


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.TYPE)
def test_published_schema_matches_the_model(event):
    published_path = CONTRACTS / f"{event.TYPE}.json"
    assert published_path.exists(), f"{event.TYPE} has no published schema: run python -m shared.contracts"
    published, current = json.loads(published_path.read_text()), schema_of(event)
    old, new = _data_schema(published, event), _data_schema(current, event)
    removed = set(old["properties"]) - set(new["properties"])
    newly_required = set(new.get("required", [])) - set(old.get("required", []))
    assert not removed and not newly_required, (
        f"breaking change to {event.TYPE} (removed {removed}, newly required {newly_required}): "
        f"publish it as a new version instead"
    )
    assert render(current) == published_path.read_text(), (
        f"{event.TYPE} changed additively: publish it with python -m shared.contracts"
    )


def test_every_type_is_versioned_and_unique():
    types = [event.TYPE for event in ALL_EVENTS]
    assert len(types) == len(set(types)) == len(EVENTS_BY_TYPE)
    assert all(t.rsplit(".", 1)[-1].startswith("v") and t.count(".") == 2 for t in types)


def test_an_envelope_round_trips_through_json_and_keeps_its_ids():
    first = Envelope.new(SubmissionWithdrawn(tracking_number="AU-1", kind="complaint"), source="intake",
                         subject="AU-1", correlation_id="c-1")
    follow = first.caused(SubmissionWithdrawn(tracking_number="AU-1", kind="complaint"), source="review")
    again = Envelope.model_validate_json(follow.model_dump_json())
    assert again == follow
    assert follow.causation_id == first.id and follow.correlation_id == "c-1" and follow.id != first.id
    # Consumers accept fields they do not know yet: changes are additive.
    extended = {**json.loads(first.model_dump_json()), "data": {**first.data, "added_later": 1}}
    assert Envelope.model_validate(extended).parse(SubmissionWithdrawn).tracking_number == "AU-1"
