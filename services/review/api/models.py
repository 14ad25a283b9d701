"""Request and answer bodies of the staff API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from services.review.domain.committee import Opinion
from services.review.domain.decision import Outcome
from services.review.domain.finance import Step
from shared.lifecycle import Status

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class DeadlineOut(BaseModel):
    name: str = Field(description="The catalogue rule's name: decision, to_committee…")
    unit: str
    days: int
    due_at: datetime = Field(description="End of the agency's local day the deadline falls on.")
    days_used: int
    days_left: int = Field(description="Negative once overdue.")
    paused: bool = Field(description="True while the agency waits for the applicant.")
    paused_days: int
    met_at: datetime | None
    overdue: bool


class TaskOut(BaseModel):
    id: UUID
    tracking_number: str
    kind: str
    review_path: str
    status: Status
    version: int
    assignee: str | None
    applicant: dict[str, Any]
    details: dict[str, Any] = Field(description=(
        "The filing's own fields as filed (per kind: intake's GET /api/v1/catalogue), with `location` "
        "({lat, long} in WGS 84 and/or address_string) when it names a place, e.g. a complaint's building site."))
    documents: list[dict[str, Any]]
    messages: list[dict[str, Any]] = Field(description="What the applicant sent back, oldest first.")
    observations: list[dict[str, Any]] = Field(description="Observations issued, oldest first: at, by, text.")
    decision: dict[str, Any] | None = Field(
        description="outcome, text, by, at (+ note, preliminary_observations or committee_opinion); null until decided.")
    received_at: datetime | None
    deadlines: list[DeadlineOut]
    previous: dict[str, Any] | None = Field(
        description="A pre-study filed again: tracking_number, decision and preliminary_observations of the earlier one.")
    steps: list[dict[str, Any]] = Field(description="Finance steps recorded: step, note, by, at.")
    committee_round: int
    session_id: UUID | None
    contested: bool
    contest: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime


class HistoryEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    tracking_number: str | None
    from_status: str | None
    to_status: str
    note: str | None


class TaskDetail(TaskOut):
    history: list[HistoryEntry]


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int
    limit: int
    offset: int


class AssignIn(BaseModel):
    assignee: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                               pattern=r"^[^\r\n]+$")] = Field(
        description="The colleague's staff identifier (the `sub` of their token).")


class ObservationsIn(BaseModel):
    observations: Text


class NoteIn(BaseModel):
    zoning: Text
    allowed_height_m: float = Field(gt=0)
    setbacks: Text
    servitudes: Text
    remarks: str | None = None


class DecisionIn(BaseModel):
    outcome: Outcome
    text: Text
    note: NoteIn | None = Field(None, description="Required with note_issued (information note).")
    preliminary_observations: list[Text] | None = Field(None, description="Required with observations_issued (pre-study).")


class StepIn(BaseModel):
    step: Step
    note: str | None = None


class SessionIn(BaseModel):
    session_date: date


class SessionOut(BaseModel):
    id: UUID
    session_date: date
    created_by: str
    created_at: datetime


class ReferIn(BaseModel):
    session_id: UUID | None = None


class OpinionIn(BaseModel):
    opinion: Opinion
    motive: Text


class OpinionOut(BaseModel):
    round: int
    member: str
    opinion: Opinion
    motive: str
    at: datetime
