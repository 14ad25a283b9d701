"""The forms of a filing's issued documents on its task page: revoke one (a reason, which the
public verification page then shows), and correct a valid information note (its facts again,
and a reason): the notifier issues the corrected note, which replaces the old one. The fields
post under the notifier's names (``facts.zoning`` is ``zoning`` inside ``facts``), so
task_forms builds the body and maps the notifier's field errors back as for review's actions.
The facts are the information note's own (shared/pdf/information_note.py: what it prints)."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.portal.domain.task_forms import FormField
from shared.pdf.information_note import NoteFacts

REVOCATION, CORRECTION = "revocation", "correction"
FACTS = "facts."
REASON = FormField("reason", "text", True)
REVOCATION_FIELDS = (REASON,)
CORRECTION_FIELDS = (*(FormField(f"{FACTS}{name}", "number" if spec.annotation is float else "text",
                                 spec.is_required())
                       for name, spec in NoteFacts.model_fields.items()), REASON)
FIELDS = {REVOCATION: REVOCATION_FIELDS, CORRECTION: CORRECTION_FIELDS}
CORRECTABLE_KIND = "information_note"  # only an information note is corrected by a new one (the notifier's rule too)


@dataclass(frozen=True)
class IssuedChange:
    """A revocation or a correction sent back to the task page: which document, what was typed,
    what the notifier (or the page) found wrong with it."""

    code: str
    change: str  # REVOCATION or CORRECTION
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    detail: str = ""

    def field_id(self, name: str) -> str:
        return field_id(self.code, self.change, name)


def field_id(code: str, change: str, name: str) -> str:
    """A field's id, unique on the page: each document has its own forms."""
    return f"{change}-{code}-{name.replace('.', '-')}"


def missing(change: str, values: dict[str, str]) -> dict[str, str]:
    """The required fields left empty ("required" by name): the form again before any call."""
    return {spec.name: "required" for spec in FIELDS[change] if spec.required and not values.get(spec.name)}
