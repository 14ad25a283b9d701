"""What the portal uses of intake's answers (services/intake/api/models.py is intake's whole
answer): each answer is read into one of these by ``IntakeClient``, fields the pages do not use
are ignored, and an answer missing one the pages need is intake's fault (shown as unavailable).
Codes (status, outcome, opinion, deadline name) stay strings: the portal names them through the
vocabulary and compares none of them; what the applicant may do is intake's ``allowed_actions``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel


class IntakeAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


# -- the catalogue (GET /api/v1/catalogue): what can be filed, and each kind's form


class Labels(IntakeAnswer):
    ar: str
    fr: str


class DocumentType(Labels):
    code: str


class DeadlineRule(IntakeAnswer):
    """A kind's legal deadline as the catalogue states it (the home page lists them)."""

    name: str
    days: int
    unit: str
    applies_if: dict[str, Any] = Field(default_factory=dict)


class CatalogueEntry(IntakeAnswer):
    """One kind: its names, who files it, its review path, and its form (domain/forms.py builds it
    from ``fields``, ``required`` and ``defs``: the kind's JSON Schema)."""

    model_config = ConfigDict(populate_by_name=True)
    kind: str
    labels: Labels
    filed_by: str
    review_path: str
    fields: dict[str, dict[str, Any]]
    required: list[str]
    defs: dict[str, dict[str, Any]] = Field(alias="$defs")
    required_documents: list[DocumentType]
    optional_documents: list[DocumentType]
    deadlines: list[DeadlineRule]


class Catalogue(RootModel[list[CatalogueEntry]]):
    pass


# -- a filing (POST /api/v1/submissions, GET /api/v1/submissions/{tn})


class FilingAccepted(IntakeAnswer):
    tracking_number: str
    access_token: str


class Observation(IntakeAnswer):
    at: datetime
    text: str


class Decision(IntakeAnswer):
    outcome: str
    text: str


class FiledDocument(IntakeAnswer):
    name: str


class TimelineStep(IntakeAnswer):
    step: str
    at: datetime


class LegalDeadline(IntakeAnswer):
    """A legal deadline of this filing exactly as its receipt states it."""

    name: str
    days: int
    unit: str
    due_on: date


class FilingView(IntakeAnswer):
    """The applicant's view of a filing, with intake's rules applied: its legal deadlines and what
    the applicant may do next (``answer``, ``withdraw``, ``contest``: the page offers exactly these)."""

    tracking_number: str
    kind: str
    status: str
    received_at: datetime
    due_at: datetime | None = None
    observations: list[Observation]
    decision: Decision | None
    documents: list[FiledDocument]
    timeline: list[TimelineStep]
    legal_deadlines: list[LegalDeadline]
    allowed_actions: list[str]


# -- published committee opinions (GET /api/v1/opinions)


class PublishedOpinion(IntakeAnswer):
    reference: str
    kind: str
    commune: str | None
    project: str | None
    opinion: str
    motive: str
    published_at: datetime


class OpinionPage(IntakeAnswer):
    items: list[PublishedOpinion]
    total: int


# -- drafts (POST/GET/PUT /api/v1/drafts…)


class DraftCreated(IntakeAnswer):
    id: str
    resume_token: str
    expires_at: datetime


class DraftDocument(IntakeAnswer):
    type: str | None
    name: str


class Draft(IntakeAnswer):
    id: str
    kind: str
    language: str
    data: dict[str, Any]
    documents: list[DraftDocument]
    expires_at: datetime
