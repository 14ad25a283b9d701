"""The catalogue of services, read from a TOML file (shared/catalogue.toml by default).

Deadlines, required documents and labels are configuration: set LAMADI_CATALOGUE_PATH to
use another file."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.lifecycle import Status

DEFAULT_PATH = Path(__file__).with_name("catalogue.toml")
LAW_55_19_MAX_DAYS = 60  # processing cap; silence past it counts as acceptance


class Labels(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fr: str
    ar: str


UNTYPED_DOCUMENT = Labels(fr="Autre pièce", ar="وثيقة أخرى")  # a document sent without a type


class DeadlineRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    days: int = Field(gt=0, le=LAW_55_19_MAX_DAYS)
    unit: Literal["working_days", "calendar_days"]
    met_when: list[Status]
    applies_if: dict[str, Any] = {}

    def applies_to(self, details: dict[str, Any]) -> bool:
        return all(details.get(field) == value for field, value in self.applies_if.items())


class Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fr: str
    ar: str
    filed_by: str
    review_path: Literal["reviewer", "committee", "finance"]
    required_documents: list[str]
    optional_documents: list[str] = []
    outcomes: list[str]
    deadlines: list[DeadlineRule]

    @property
    def labels(self) -> Labels:
        return Labels(fr=self.fr, ar=self.ar)

    def label(self, language: str) -> str:
        return self.ar if language == "ar" else self.fr

    def deadlines_for(self, details: dict[str, Any]) -> list[DeadlineRule]:
        return [rule for rule in self.deadlines if rule.applies_to(details)]


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: dict[str, Labels]
    kinds: dict[str, Kind]

    @model_validator(mode="after")
    def _documents_are_known(self) -> "Catalogue":
        for name, kind in self.kinds.items():
            unknown = set(kind.required_documents + kind.optional_documents) - set(self.documents)
            if unknown:
                raise ValueError(f"kind {name} names unknown document types: {', '.join(sorted(unknown))}")
        return self

    def kind(self, name: str) -> Kind:
        try:
            return self.kinds[name]
        except KeyError:
            raise KeyError(f"unknown kind {name!r}; the catalogue has {', '.join(self.kinds)}") from None

    def kind_name(self, kind: str, language: str) -> str:
        """The kind in the given language; an unknown kind is shown as it is."""
        known = self.kinds.get(kind)
        return known.label(language) if known is not None else kind.replace("_", " ")

    def document_name(self, document_type: str | None, language: str) -> str:
        """A document type in the given language; a document sent without a type is "another
        document", an unknown type is shown as it is."""
        if document_type is None:
            return UNTYPED_DOCUMENT.ar if language == "ar" else UNTYPED_DOCUMENT.fr
        labels = self.documents.get(document_type)
        if labels is None:
            return document_type.replace("_", " ")
        return labels.ar if language == "ar" else labels.fr


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    path = Path(path or os.environ.get("LAMADI_CATALOGUE_PATH") or DEFAULT_PATH)
    with path.open("rb") as file:
        return Catalogue.model_validate(tomllib.load(file))


@cache
def default_catalogue() -> Catalogue:
    return load_catalogue()
