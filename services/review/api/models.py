"""Request and answer bodies of the staff API."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from services.review.domain.committee import Opinion
from services.review.domain.decision import Outcome
from services.review.domain.finance import Stage, Step
from shared.lifecycle import Status

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _calendar_day(value: object) -> object:
    """A day as the contract writes it, YYYY-MM-DD: not a number (pydantic would read 0 as 1970-01-01)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DAY.match(value):
        raise PydanticCustomError("date_format", "must be a date written YYYY-MM-DD, e.g. 2026-12-31")
    return value


Day = Annotated[date, BeforeValidator(_calendar_day)]


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


class InputFieldOut(BaseModel):
    name: str = Field(description="The JSON body's field; `note.zoning` is `zoning` inside `note`.")
    type: Literal["choice", "text", "number", "lines"] = Field(description=(
        "choice: one of the action's outcomes, steps or opinions (assignee: a colleague holding one of "
        "assignable_roles; session_id: a committee session); text; number; lines: a list of texts."))
    required: bool
    outcome: str | None = Field(description="Required (and taken) only when deciding with this outcome.")


class AllowedActionOut(BaseModel):
    action: Literal["claim", "assign", "observe", "decide", "refer", "record_step", "record_opinion", "publish"] = (
        Field(description="The policy's task action (shared/policy.toml)."))
    path: str = Field(description="Where to POST it.")
    outcomes: list[str] = Field(description=(
        "decide: the kind's outcomes the task may take now (an invoice is paid once approved); publish: the "
        "outcome publishing decides (empty: the aggregate adjourns to the next round)."))
    steps: list[Step] = Field(description="record_step: the next legal finance step.")
    opinions: list[Opinion] = Field(description="record_opinion: the opinions, from least to most severe.")
    assignable_roles: list[str] = Field(description="assign: the roles a colleague must hold to be given the task.")
    fields: list[InputFieldOut] = Field(description="The body's fields, in the order a form asks them.")


class OpinionOut(BaseModel):
    round: int
    member: str
    opinion: Opinion
    motive: str
    at: datetime


class CommitteeRoundOut(BaseModel):
    round: int = Field(description="The task's current committee round (1, then one more per adjournment).")
    opinions: list[OpinionOut] = Field(description="The members' opinions given in this round, in order.")
    aggregate: Opinion | None = Field(description="The most severe of them (what publishing would publish).")
    severity: list[Opinion] = Field(description="Every opinion, from least to most severe.")


DeadlineState = Literal["on_time", "approaching", "overdue", "paused", "met"]


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
    deadline_state: DeadlineState = Field(description=(
        "overdue: an open deadline is past its end; paused: every open one waits for the applicant; "
        "approaching: one falls within the deadline alerts' margin (LAMADI_DEADLINE_MARGIN_DAYS); on_time; "
        "met: no open deadline, or the task is decided, closed or withdrawn."))
    due_at: datetime | None = Field(description="End of the nearest open deadline; null once the task is not open.")
    allowed_actions: list[AllowedActionOut] = Field(description=(
        "What the caller may do on this task now: granted by the policy on its kind, allowed by the task's "
        "state, and theirs to do (the assignee, or a role that acts for others)."))
    finance_stage: Stage | None = Field(description=(
        "Supplier invoices: what the invoice waits for (to_verify, to_approve, to_pay) or paid; null for other "
        "kinds, and for a rejected or withdrawn invoice."))
    committee: CommitteeRoundOut | None = Field(description=(
        "Committee kinds: the current round (its opinions, their aggregate, the severity order); null otherwise."))


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
    timeline: list[HistoryEntry] = Field(description=(
        "The history entries that changed the task (lifecycle, assignment, opinions, steps), oldest first; "
        "downloads and messages that changed nothing are only in `history`."))


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
