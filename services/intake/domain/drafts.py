"""Drafts: a filing saved to finish later. Pure rules: what a draft may hold, how long it lives,
which of its documents a new one replaces."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from services.intake.domain.catalogue import EXTRA_DOCUMENTS
from services.intake.domain.documents import CheckedDocument


class DraftIn(BaseModel):
    """A draft as the portal saves it: the filing's answers so far, unchecked until it is filed."""

    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=64)
    language: Literal["ar", "fr"] = "fr"
    email: EmailStr = Field(description="Where the link that resumes the draft is sent")
    data: dict[str, Any] = Field(default_factory=dict, description="The filing's answers so far (its JSON)")


class DraftUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: dict[str, Any]


def expires_at(now: datetime, days: int) -> datetime:
    """A draft lives ``days`` days from its last save."""
    return now + timedelta(days=days)


def replaced_types(existing: list[str | None], added: list[CheckedDocument]) -> set[str]:
    """The document types a new upload replaces: one file per type code; extras accumulate."""
    return {d.type for d in added if d.type is not None and d.type != EXTRA_DOCUMENTS and d.type in existing}
