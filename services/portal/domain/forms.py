"""Filing forms generated from intake's catalogue (each kind's JSON Schema): the fields with
their browser-side constraints, the conversion of posted values into a filing, and the
server-side check (jsonschema) whose errors name each field for the error summary. A form is
built from a catalogue entry as the intake client reads it (adapters/intake_models.py's
CatalogueEntry: ``KindEntry`` below is what this module reads of it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from jsonschema import Draft202012Validator, FormatChecker

from services.portal.domain import labels

LONG_TEXT = 1000  # a field allowing more characters than this is a textarea
AUTOCOMPLETE = {"full_name": "name", "email": "email", "phone": "tel"}


class DocumentEntry(Protocol):
    code: str
    ar: str
    fr: str


class KindEntry(Protocol):
    """A kind of intake's catalogue: its JSON Schema (``fields``, ``required``, ``defs``) and documents."""

    kind: str
    fields: dict[str, dict[str, Any]]
    required: list[str]
    defs: dict[str, dict[str, Any]]
    required_documents: Sequence[DocumentEntry]
    optional_documents: Sequence[DocumentEntry]


@dataclass(frozen=True)
class FormField:
    name: str  # the form name: "subject", "applicant.email"
    code: str  # the catalogue's field name: "subject", "email"
    widget: str  # text, email, tel, date, number, textarea, select
    required: bool
    schema: dict = field(repr=False)
    choices: tuple[str, ...] = ()
    decimal: bool = False
    group: str | None = None  # the object it belongs to ("location"), whose errors its first field shows
    leads_group: bool = False

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")

    @property
    def label(self) -> str:
        return labels.FIELDS.get(self.code, self.schema.get("title", self.code))

    @property
    def group_label(self) -> str | None:
        return labels.FIELDS.get(self.group, self.group) if self.group else None

    @property
    def hint(self) -> str | None:
        return labels.HINTS.get(self.code)

    def attributes(self) -> dict[str, str | int | bool]:
        """HTML constraint attributes, so the browser checks what the server will."""
        s, attrs = self.schema, {}
        if self.required:
            attrs["required"] = True
        for key, attr in (("minLength", "minlength"), ("maxLength", "maxlength"), ("minimum", "min"),
                          ("maximum", "max")):
            if key in s:
                attrs[attr] = s[key]
        if "pattern" in s:
            attrs["pattern"] = browser_pattern(s["pattern"])
        if self.widget == "number":
            attrs["step"] = "0.01" if self.decimal else "1"
            if self.decimal:
                attrs["min"] = "0.01"
        if self.code in AUTOCOMPLETE:
            attrs["autocomplete"] = AUTOCOMPLETE[self.code]
        return attrs


@dataclass(frozen=True)
class KindForm:
    kind: str
    entry: KindEntry = field(repr=False)
    fields: tuple[FormField, ...]
    applicant_fields: tuple[FormField, ...]

    @property
    def documents(self) -> list[dict]:
        """Each document slot: {"code", "ar", "fr", "required"}, the required ones first."""
        return [{"code": d.code, "ar": d.ar, "fr": d.fr, "required": required}
                for documents, required in ((self.entry.required_documents, True),
                                            (self.entry.optional_documents, False))
                for d in documents]

    def all_fields(self) -> tuple[FormField, ...]:
        return self.fields + self.applicant_fields

    def targets(self) -> dict[str, tuple[str, str]]:
        """What an error summary links to and names: each field's input and label, and each
        object (the place) by its first input and its own label."""
        found = {f.name: (f.id, f.label) for f in self.all_fields()}
        for f in self.all_fields():
            if f.leads_group:
                found[f.group] = (f.id, f.group_label)
        return found


def browser_pattern(pattern: str) -> str:
    """The pattern attribute is anchored and compiled with the 'v' flag, where a '-' closing a
    character class must be escaped."""
    return re.sub(r"(?<!\\)-\]", r"\\-]", pattern.removeprefix("^").removesuffix("$"))


def _plain(schema: dict) -> dict:
    """An optional field's non-null variant; a decimal (number or string) as a number."""
    variants = [v for v in schema.get("anyOf", []) if v.get("type") != "null"]
    if not variants:
        return schema
    types = {v.get("type") for v in variants}
    chosen = next(v for v in variants if v.get("type") == "number") if types == {"number", "string"} else variants[0]
    return {**{k: v for k, v in schema.items() if k != "anyOf"}, **chosen, "decimal": types == {"number", "string"}}


def _field(name: str, code: str, raw: dict, required: bool, group: str | None = None, leads: bool = False
           ) -> FormField:
    s = _plain(raw)
    if "enum" in s:
        widget = "select"
    elif s.get("format") in ("email", "date"):
        widget = s["format"]
    elif code == "phone":
        widget = "tel"
    elif s.get("type") in ("integer", "number"):
        widget = "number"
    else:
        widget = "textarea" if s.get("maxLength", 0) > LONG_TEXT else "text"
    return FormField(name, code, widget, required, s, tuple(s.get("enum", ())), bool(s.get("decimal")), group,
                     leads)


def _object_ref(raw: dict) -> str | None:
    """The $defs name of a field holding an object (the filing's location), if it is one."""
    refs = [v["$ref"] for v in [raw, *raw.get("anyOf", [])] if "$ref" in v]
    return refs[0].rsplit("/", 1)[-1] if refs else None


def _is_list(raw: dict) -> bool:
    return any(v.get("type") == "array" for v in [raw, *raw.get("anyOf", [])])


def kind_form(entry: KindEntry) -> KindForm:
    """The form of a kind, from the catalogue: its own fields, then an object's (the place: one
    input per property, ``location.lat``…); lists (links to photos, for apps) are not offered."""
    required = set(entry.required)
    scalars, objects = [], []
    for code, raw in entry.fields.items():
        if code == "applicant" or _is_list(raw):
            continue
        if (ref := _object_ref(raw)) is None:
            scalars.append(_field(code, code, raw, code in required))
        else:
            objects += [_field(f"{code}.{sub}", sub, sub_raw, False, group=code, leads=index == 0)
                        for index, (sub, sub_raw) in enumerate(entry.defs[ref]["properties"].items())]
    fields = tuple(scalars + objects)
    ref = entry.fields["applicant"]["$ref"].rsplit("/", 1)[-1]
    person = entry.defs[ref]
    applicant = tuple(_field(f"applicant.{code}", code, raw, code in person.get("required", []))
                      for code, raw in person["properties"].items() if code != "language")
    return KindForm(entry.kind, entry, fields, applicant)


def to_filing(form: KindForm, values: dict[str, str], language: str) -> dict:
    """Posted values → the filing intake takes; empty optional fields are left out."""
    filing: dict = {"kind": form.kind, "applicant": {"language": language}}  # then "location": {...}
    for f in form.all_fields():
        value = (values.get(f.name) or "").strip()
        if value == "":
            continue
        if f.schema.get("type") == "integer" and re.fullmatch(r"-?\d+", value):
            value = int(value)
        elif f.schema.get("type") == "number" and not f.decimal and re.fullmatch(r"-?\d+(\.\d+)?", value):
            value = float(value)
        parent = f.name.split(".", 1)[0] if "." in f.name else None
        target = filing if parent is None else filing.setdefault(parent, {})
        target[f.code] = value
    return filing


def check(form: KindForm, filing: dict) -> dict[str, str]:
    """Field name → error key ("required", "too_short", "too_long", "format", "choice", "number")."""
    schema = {"type": "object", "properties": form.entry.fields, "required": form.entry.required,
              "$defs": form.entry.defs}
    errors: dict[str, str] = {}
    probe = {**filing, "applicant": dict(filing["applicant"])}
    for f in form.all_fields():
        target = probe["applicant"] if f.name.startswith("applicant.") else probe
        if f.decimal and f.code in target:
            try:
                target[f.code] = float(Decimal(str(target[f.code])))
            except InvalidOperation:
                errors[f.name] = "number"
                del target[f.code]
    for error in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(probe):
        while error.validator == "anyOf" and error.context:  # an optional value: the part at fault
            error = max(error.context, key=lambda sub: len(sub.absolute_path))
        parent = ".".join(str(p) for p in error.absolute_path)
        if error.validator == "required":
            for missing in (r for r in error.validator_value if r not in error.instance):
                errors.setdefault(f"{parent}.{missing}" if parent else missing, "required")
        else:
            errors.setdefault(parent, ERROR_KEYS.get(error.validator, "format"))
    numbers = {f.name for f in form.all_fields() if f.widget == "number"}
    return {name: "number" if name in numbers and key != "required" else key for name, key in errors.items()}


ERROR_KEYS = {"minLength": "too_short", "maxLength": "too_long", "pattern": "format", "format": "format",
              "enum": "choice", "minimum": "number", "maximum": "number", "exclusiveMinimum": "number",
              "anyOf": "format", "type": "format"}
# Intake's error codes (pydantic types and its own) → the same keys.
INTAKE_CODES = {"missing": "required", "string_too_short": "too_short", "string_too_long": "too_long",
                "string_pattern_mismatch": "format", "value_error": "format", "literal_error": "choice",
                "enum": "choice", "previous_filing": "previous_filing", "missing_document": "missing_document",
                "document": "document", "outside_area": "outside_area"}


def intake_errors(kind: str, errors: list[dict]) -> dict[str, str]:
    """Intake's field errors ("body.complaint.applicant.email", "body.complaint.location") → form
    names ("applicant.email", or an object's name: "location") and error keys."""
    mapped = {}
    for error in errors:
        name = error.get("field", "").removeprefix("body.").removeprefix(f"{kind}.")
        mapped.setdefault(name, INTAKE_CODES.get(error.get("code", ""), "format"))
    return mapped
