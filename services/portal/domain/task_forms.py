"""The forms of a task's actions, generated from what review says each action takes (its
``fields``), and the JSON body each form posts, built back from the fields' names: ``note.zoning``
is ``zoning`` inside ``note``; a number is read as a number (a decimal comma too), lines as the
list of the non-empty lines. Nothing here knows which actions exist or when: review lists them
for the person, and its refusals are mapped back onto the fields they name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# A choice among the action's own codes: the field's name → the offer's list of them, and the
# vocabulary family (shared/vocabulary.toml) naming them. Review's contract (InputFieldOut).
CODE_CHOICES = {"outcome": ("outcomes", "outcomes"), "step": ("steps", "finance_steps"),
                "opinion": ("opinions", "opinions")}
OUTCOME_FIELD = "outcome"  # a field with an ``outcome`` is taken only when deciding with it
NOTE_FACTS = "note."  # the information note's facts: what its preview (PDF) is drawn from
# Where review's 422 names a field of the body, and how the portal words each kind of error.
BODY = "body."
ERROR_CODES = {"missing": "required", "string_too_short": "required", "string_too_long": "too_long",
               "float_parsing": "number", "greater_than": "number", "enum": "choice", "literal_error": "choice",
               "uuid_parsing": "choice"}


class ActionField(Protocol):
    name: str
    type: str  # choice, text, number, lines
    required: bool
    outcome: str | None


class ActionOffer(Protocol):
    action: str
    outcomes: list[str]
    steps: list[str]
    opinions: list[str]
    fields: list[Any]


@dataclass(frozen=True)
class FormField:
    name: str  # review's name of the body's field, also the input's name: "note.zoning"
    type: str
    required: bool
    outcome: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, words); the words of codes: ""
    family: str | None = None  # the vocabulary family naming coded choices

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-")

    @property
    def widget(self) -> str:
        """radios for the action's own codes, a list for people and sessions, a number, a text."""
        if self.type == "choice":
            return "radios" if self.family else "select"
        return {"number": "number", "lines": "lines"}.get(self.type, "text")

    @property
    def browser_required(self) -> bool:
        """Required by the browser too: not when only one outcome takes it."""
        return self.required and self.outcome is None


@dataclass(frozen=True)
class ActionForm:
    action: str  # the policy's action, as review names it: claim, decide, record_step…
    fields: tuple[FormField, ...] = ()
    outcomes: tuple[str, ...] = ()  # decide: those it may take; publish: what it decides (none: adjourned)
    previews_note: bool = False  # it takes an information note's facts

    @property
    def id(self) -> str:
        return self.action.replace("_", "-")

    @property
    def grouped(self) -> list[tuple[str | None, list[FormField]]]:
        """The fields in review's order, those taken only with one outcome grouped after it."""
        groups: dict[str | None, list[FormField]] = {None: []}
        for form_field in self.fields:
            groups.setdefault(form_field.outcome, []).append(form_field)
        return list(groups.items())


def action_form(offer: ActionOffer, choices: Mapping[str, Sequence[tuple[str, str]]]) -> ActionForm:
    """The form of an action review offers. ``choices``: for a choice that is no code of the
    action's (a colleague to assign, a committee session), its (value, words) by field name."""
    fields = []
    for spec in offer.fields:
        coded = CODE_CHOICES.get(spec.name) if spec.type == "choice" else None
        if coded:
            options = tuple((code, "") for code in getattr(offer, coded[0]))
        else:
            options = tuple(choices.get(spec.name, ())) if spec.type == "choice" else ()
        fields.append(FormField(spec.name, spec.type, spec.required, spec.outcome, options,
                                coded[1] if coded else None))
    return ActionForm(offer.action, tuple(fields), tuple(offer.outcomes),
                      any(f.name.startswith(NOTE_FACTS) for f in fields))


def body_of(fields: Sequence[ActionField], form: Mapping[str, Any]) -> dict[str, Any] | None:
    """The JSON body of an action from its posted form (None: the action takes no body). An
    optional field left empty is left out; a required one is sent as it is, for review to say
    what is missing."""
    if not fields:
        return None
    chosen = _text(form, OUTCOME_FIELD)
    body: dict[str, Any] = {}
    for spec in fields:
        if spec.outcome is not None and spec.outcome != chosen:
            continue
        value = _value(spec, _text(form, spec.name))
        if value is not None:
            _put(body, spec.name.split("."), value)
    return body


def note_facts(fields: Sequence[ActionField], form: Mapping[str, Any]) -> dict[str, Any]:
    """The information note's facts typed so far, whatever the outcome chosen (its preview)."""
    facts: dict[str, Any] = {}
    for spec in fields:
        if spec.name.startswith(NOTE_FACTS):
            facts[spec.name.removeprefix(NOTE_FACTS)] = _value(spec, _text(form, spec.name))
    return facts


def errors_of(fields: Sequence[ActionField], problems: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Review's field errors by the form's field names (error code as the pages word it); an
    error on no field of the form is the action's."""
    names = [spec.name for spec in fields]
    errors: dict[str, str] = {}
    for problem in problems:
        named = str(problem.get("field") or "").removeprefix(BODY)
        target = next((name for name in names if name == named or name.startswith(named + ".")), "action")
        errors.setdefault(target, ERROR_CODES.get(str(problem.get("code")), "format"))
    return errors


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _value(spec: ActionField, text: str) -> Any:
    if not text and not spec.required:
        return None
    if spec.type == "number":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text  # review names the field in its 422
    if spec.type == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def _put(body: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        body = body.setdefault(part, {})
    body[path[-1]] = value

