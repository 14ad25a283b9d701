"""The published JSON Schema of every event, generated from its model.

    python -m shared.contracts          # write contracts/events/<type>.json after an additive change

tests/unit/test_event_contracts.py fails when a model drifts from its published schema, and
says whether the change is additive (publish it) or breaking (make a new vN instead)."""

from __future__ import annotations

import json
from pathlib import Path

from shared.envelope import TypedEnvelope
from shared.events import ALL_EVENTS

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts" / "events"


def schema_of(event) -> dict:
    schema = TypedEnvelope[event].model_json_schema()
    schema["title"] = event.TYPE
    return schema


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    CONTRACTS.mkdir(parents=True, exist_ok=True)
    for event in ALL_EVENTS:
        (CONTRACTS / f"{event.TYPE}.json").write_text(render(schema_of(event)))
    print(f"wrote {len(ALL_EVENTS)} event schemas to {CONTRACTS}")


if __name__ == "__main__":
    main()
