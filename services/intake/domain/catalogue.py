"""The public catalogue and the document rules a filing is checked against.

Labels, required documents, deadlines and review paths come from the shared catalogue
(shared/catalogue.toml, configuration); the form fields come from the filing models."""

from __future__ import annotations

from collections.abc import Iterable

from services.intake.domain.filings import KINDS
from shared.catalogue import Catalogue, Kind
from shared.errors import DomainError

EXTRA_DOCUMENTS = "documents"  # the multipart field for untyped extra files


def check_covers(catalogue: Catalogue) -> None:
    """Every kind intake can take must be configured (labels, documents, deadlines)."""
    missing = sorted(set(KINDS) - set(catalogue.kinds))
    if missing:
        raise ValueError(f"the catalogue does not configure the kinds {', '.join(missing)}")


def document_entry(catalogue: Catalogue, code: str) -> dict:
    return {"code": code, **catalogue.documents[code].model_dump()}


def catalogue_view(catalogue: Catalogue) -> list[dict]:
    """Each kind with its labels, filer, review path, fields, documents, deadlines and outcomes."""
    entries = []
    for name, model in KINDS.items():
        kind, schema = catalogue.kind(name), model.model_json_schema()
        entries.append({
            "kind": name,
            "labels": kind.labels.model_dump(),
            "filed_by": kind.filed_by,
            "review_path": kind.review_path,
            "fields": {field: prop for field, prop in schema["properties"].items() if field != "kind"},
            "required": [field for field in schema.get("required", []) if field != "kind"],
            "$defs": schema.get("$defs", {}),
            "required_documents": [document_entry(catalogue, code) for code in kind.required_documents],
            "optional_documents": [document_entry(catalogue, code) for code in kind.optional_documents],
            "deadlines": [rule.model_dump(mode="json") for rule in kind.deadlines],
            "outcomes": list(kind.outcomes),
        })
    return entries


def document_fields(kind: Kind) -> list[str]:
    """Multipart field names that carry this kind's documents: its type codes, then the extras."""
    return [*kind.required_documents, *kind.optional_documents, EXTRA_DOCUMENTS]


def unknown_fields(names: Iterable[str], accepted: Iterable[str]) -> list[str]:
    allowed = set(accepted)
    return sorted({name for name in names if name not in allowed})


def missing_documents(kind: Kind, present: Iterable[str]) -> list[str]:
    given = set(present)
    return [code for code in kind.required_documents if code not in given]


def check_fields(names: list[str], accepted: list[str]) -> None:
    """Every part must be under an accepted document field."""
    unknown = unknown_fields(names, accepted)
    if unknown:
        raise DomainError(
            f"These parts are not documents of this filing: {', '.join(unknown)}. Send each document under its "
            f"type code ({', '.join(accepted)}).", title="Unknown form fields",
            errors=[{"field": name, "message": "not a document type of this filing", "code": "unknown_field"}
                    for name in unknown])


def check_documents(catalogue: Catalogue, kind_name: str, names: list[str]) -> None:
    """The documents of a filing of this kind: only its own types, and every required one."""
    kind = catalogue.kind(kind_name)
    check_fields(names, document_fields(kind))
    missing = [document_entry(catalogue, code) for code in missing_documents(kind, names)]
    if missing:
        raise DomainError("This filing needs: " + "; ".join(
            f"{d['code']} ({d['fr']} / {d['ar']})" for d in missing) + ".", title="Required documents missing",
            errors=[{"field": d["code"], "message": f"required document missing: {d['fr']} / {d['ar']}",
                     "code": "missing_document", "labels": {"fr": d["fr"], "ar": d["ar"]}} for d in missing])
