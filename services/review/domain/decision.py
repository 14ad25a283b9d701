"""What a decision must carry, per kind (catalogue outcomes, information-note facts,
pre-study preliminary observations)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from services.review.domain.errors import InvalidInput

# The facts of an information note, in the order a form asks them: (name, type, required).
NOTE_FACTS: tuple[tuple[str, str, bool], ...] = (
    ("zoning", "text", True),
    ("allowed_height_m", "number", True),
    ("setbacks", "text", True),
    ("servitudes", "text", True),
    ("remarks", "text", False),
)


class Outcome(StrEnum):
    """Every outcome the catalogue knows (each kind allows some of them: catalogue.toml)."""

    APPROVED = "approved"  # permits
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REJECTED = "rejected"
    ANSWERED = "answered"  # complaint
    NOTE_ISSUED = "note_issued"  # information note
    OBSERVATIONS_ISSUED = "observations_issued"  # pre-study: preliminary observations
    PAID = "paid"  # supplier invoice


def required_text(field_name: str, text: str | None) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(field_name, "must not be empty")
    return text.strip()


def check_outcome(outcome: str, allowed: list[str]) -> str:
    if outcome not in allowed:
        raise InvalidInput("outcome", f"{outcome!r} is not an outcome of this kind; allowed: {', '.join(allowed)}")
    return outcome


def check_note(note: dict[str, Any] | None) -> dict[str, Any]:
    """The urban-planning facts of an information note (``NOTE_FACTS``)."""
    if not note:
        needed = ", ".join(name for name, _, required in NOTE_FACTS if required)
        raise InvalidInput("note", f"an information note needs its facts: {needed}")
    facts: dict[str, Any] = {}
    for name, kind, required in NOTE_FACTS:
        value = note.get(name)
        if kind == "number":
            facts[name] = _positive_number(f"note.{name}", value)
        elif required:
            facts[name] = required_text(f"note.{name}", value)
        elif value is not None and not isinstance(value, str):
            raise InvalidInput(f"note.{name}", "must be text")
        elif value and value.strip():
            facts[name] = value.strip()
    return facts


def _positive_number(field_name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InvalidInput(field_name, "must be a positive number of metres")
    return value


def check_preliminary_observations(observations: list[str] | None) -> list[str]:
    if not observations:
        raise InvalidInput("preliminary_observations", "a pre-study needs at least one preliminary observation")
    return [required_text(f"preliminary_observations.{i}", text) for i, text in enumerate(observations)]
