"""Intake's catalogue (``GET /api/v1/catalogue``, the one the public pages read) as the staff
pages name things in it: kinds and document types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.portal.adapters.intake_models import CatalogueEntry, Labels


@dataclass(frozen=True)
class StaffCatalogue:
    kinds: Mapping[str, Labels]  # kind → its names
    documents: Mapping[str, Labels]  # document type → its names

    @classmethod
    def of(cls, entries: Iterable[CatalogueEntry]) -> StaffCatalogue:
        entries = list(entries)
        return cls(kinds={entry.kind: entry.labels for entry in entries},
                   documents={document.code: document for entry in entries
                              for document in [*entry.required_documents, *entry.optional_documents]})

    def kind_name(self, code: str, language: str) -> str:
        return _in(self.kinds.get(code), language) or code

    def document_name(self, code: str, language: str) -> str:
        return _in(self.documents.get(code), language) or code


def _in(labels: Labels | None, language: str) -> str | None:
    if labels is None:
        return None
    return labels.ar if language == "ar" else labels.fr
