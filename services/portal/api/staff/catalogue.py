"""Intake's catalogue (``GET /api/v1/catalogue``, the one the public pages read) as the staff
pages name things in it: kinds and document types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class StaffCatalogue:
    kinds: Mapping[str, Mapping[str, str]]  # kind → its name in each language
    documents: Mapping[str, Mapping[str, str]]  # document type → its name in each language

    @classmethod
    def of(cls, entries: Iterable[Any]) -> StaffCatalogue:
        """From intake's entries (its answer's dicts, or the intake client's models of them)."""
        read = [entry.model_dump(by_alias=True) if isinstance(entry, BaseModel) else entry for entry in entries]
        return cls(
            kinds={entry["kind"]: entry["labels"] for entry in read},
            documents={document["code"]: document for entry in read
                       for document in [*entry["required_documents"], *entry["optional_documents"]]},
        )

    def kind_name(self, code: str, language: str) -> str:
        return self.kinds[code][language] if code in self.kinds else code

    def document_name(self, code: str, language: str) -> str:
        return self.documents[code][language] if code in self.documents else code
