"""What a decision must carry, per kind (catalogue outcomes, information-note facts,
pre-study preliminary observations)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from services.review.domain.errors import InvalidInput

NOTE_TEXT_FIELDS = ("zoning", "setbacks", "servitudes")


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
    """The urban-planning facts of an information note."""
    if not note:
        raise InvalidInput("note", "an information note needs its facts: zoning, allowed_height_m, setbacks, servitudes")
    facts: dict[str, Any] = {name: required_text(f"note.{name}", note.get(name)) for name in NOTE_TEXT_FIELDS}
    height = note.get("allowed_height_m")
    if isinstance(height, bool) or not isinstance(height, int | float) or height <= 0:
        raise InvalidInput("note.allowed_height_m", "must be a positive number of metres")
    facts["allowed_height_m"] = height
    remarks = note.get("remarks")
    if remarks is not None and not isinstance(remarks, str):
        raise InvalidInput("note.remarks", "must be text")
    if remarks and remarks.strip():
        facts["remarks"] = remarks.strip()
    return facts


def check_preliminary_observations(observations: list[str] | None) -> list[str]:
    if not observations:
        raise InvalidInput("preliminary_observations", "a pre-study needs at least one preliminary observation")
    return [required_text(f"preliminary_observations.{i}", text) for i, text in enumerate(observations)]
