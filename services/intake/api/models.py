"""Answer bodies of the public API: every answer intake gives has its model here, so the
OpenAPI document tells the truth and every timestamp is ISO 8601 with its time zone."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.lifecycle import Status


class SubmissionAccepted(BaseModel):
    tracking_number: str
    access_token: str = Field(description="Keep it: with the tracking number, it opens the filing. Shown once.")
    status: Status
    location: str
    replayed: bool = Field(False, description="True when this repeats the answer to an earlier request with the "
                                              "same Idempotency-Key.")


class StatusChange(BaseModel):
    tracking_number: str
    status: Status


class Decision(BaseModel):
    model_config = ConfigDict(extra="allow")  # the kind's extras: note, preliminary_observations, committee_opinion
    outcome: str
    text: str
    at: AwareDatetime


class Contest(BaseModel):
    at: AwareDatetime
    motive: str
    contested_decision: Decision | None


class Observation(BaseModel):
    at: AwareDatetime
    text: str


class DocumentOut(BaseModel):
    name: str
    type: str | None
    content_type: str
    size: int
    sha256: str
    added_at: AwareDatetime


class IssuedDocumentOut(BaseModel):
    code: str = Field(description="Its verification code: <portal>/verify/<code> says whether it is authentic.")
    document: Literal["receipt", "information_note", "decision_letter"]
    language: Literal["ar", "fr"]
    sha256: str
    filename: str
    issued_at: AwareDatetime
    replaces: str | None = Field(description="The code of the document this one corrects.")


class TimelineStep(BaseModel):
    at: AwareDatetime
    step: str
    status: Status | None
    detail: dict[str, Any]


class LegalDeadlineOut(BaseModel):
    name: str = Field(description="The catalogue rule's name: decision, to_committee…")
    days: int
    unit: Literal["working_days", "calendar_days"]
    due_on: date = Field(description="Counted from the agency-local day of receipt, before any pause: as the "
                                     "receipt states it.")


class FilingView(BaseModel):
    tracking_number: str
    kind: str
    status: Status
    received_at: AwareDatetime
    updated_at: AwareDatetime
    previous_tracking_number: str | None
    due_at: AwareDatetime | None = Field(None, description="The nearest legal deadline as review last set it (it "
                                                           "moves by the days the agency waited for you); null "
                                                           "before review has queued the filing.")
    observations: list[Observation]
    decision: Decision | None
    contest: Contest | None
    documents: list[DocumentOut]
    issued_documents: list[IssuedDocumentOut] = Field(description=(
        "What the agency issued for the filing (sealed PDFs), oldest first: GET .../issued-documents/{code}."))
    timeline: list[TimelineStep]
    legal_deadlines: list[LegalDeadlineOut] = Field(description=(
        "The legal deadlines of this filing exactly as its receipt states them (the catalogue's rules for its "
        "details, from the day of receipt); `due_at` is where review's clock stands now."))
    allowed_actions: list[Literal["answer", "withdraw", "contest"]] = Field(description=(
        "What the applicant may do next: answer observations (while the agency waits for them), withdraw (an "
        "open filing), contest (a rejected committee decision, once)."))


class PublishedOpinion(BaseModel):
    reference: str = Field(description="The filing's tracking number")
    kind: str
    commune: str | None
    project: str | None
    opinion: str
    motive: str
    session_date: date | None
    published_at: AwareDatetime


class OpinionPage(BaseModel):
    items: list[PublishedOpinion]
    total: int
    limit: int
    offset: int


class Labels(BaseModel):
    fr: str
    ar: str


class DocumentType(Labels):
    code: str


class CatalogueEntry(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    kind: str
    labels: Labels
    filed_by: str
    review_path: str
    fields: dict[str, Any] = Field(description="JSON Schema of each field of the filing")
    required: list[str]
    defs: dict[str, Any] = Field(alias="$defs")
    required_documents: list[DocumentType]
    optional_documents: list[DocumentType]
    deadlines: list[dict[str, Any]]
    outcomes: list[str]


class DraftCreated(BaseModel):
    id: UUID
    resume_token: str = Field(description="Keep it: with the id, it opens the draft (X-Draft-Token). It is also "
                                          "in the link emailed to the applicant.")
    expires_at: AwareDatetime


class DraftDocument(BaseModel):
    type: str | None
    name: str
    content_type: str
    size: int
    sha256: str
    added_at: AwareDatetime


class DraftView(BaseModel):
    id: UUID
    kind: str
    language: str
    email: str
    data: dict[str, Any] = Field(description="The filing's answers so far")
    documents: list[DraftDocument]
    expires_at: AwareDatetime
    filed_tracking_number: str | None
