"""The filing lifecycle (docs/architecture.md#the-lifecycle): states and the one table of legal transitions."""

from __future__ import annotations

from enum import StrEnum

from shared.errors import Conflict


class Status(StrEnum):
    RECEIVED = "received"
    QUEUED = "queued"
    IN_REVIEW = "in_review"
    AWAITING_APPLICANT = "awaiting_applicant"
    IN_COMMITTEE = "in_committee"
    DECIDED = "decided"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    ENQUEUE = "enqueue"
    CLAIM = "claim"
    ISSUE_OBSERVATIONS = "issue_observations"
    RESUBMIT = "resubmit"
    REFER_TO_COMMITTEE = "refer_to_committee"
    DECIDE = "decide"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    RECORD_STEP = "record_step"  # a finance step (verified, approved for payment) short of the decision
    ADJOURN = "adjourn"  # the committee postpones: the file waits for its next session
    CONTEST = "contest"  # the applicant contests an unfavourable committee decision (once)


OPEN_STATES = frozenset(
    {Status.RECEIVED, Status.QUEUED, Status.IN_REVIEW, Status.AWAITING_APPLICANT, Status.IN_COMMITTEE}
)

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.RECEIVED, Action.ENQUEUE): Status.QUEUED,
    (Status.QUEUED, Action.CLAIM): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.ISSUE_OBSERVATIONS): Status.AWAITING_APPLICANT,
    (Status.AWAITING_APPLICANT, Action.RESUBMIT): Status.QUEUED,
    (Status.IN_REVIEW, Action.REFER_TO_COMMITTEE): Status.IN_COMMITTEE,
    (Status.IN_REVIEW, Action.DECIDE): Status.DECIDED,
    (Status.IN_COMMITTEE, Action.DECIDE): Status.DECIDED,
    (Status.IN_REVIEW, Action.RECORD_STEP): Status.IN_REVIEW,
    (Status.IN_COMMITTEE, Action.ADJOURN): Status.IN_COMMITTEE,
    (Status.DECIDED, Action.CLOSE): Status.CLOSED,
    (Status.DECIDED, Action.CONTEST): Status.QUEUED,
    (Status.CLOSED, Action.CONTEST): Status.QUEUED,
    **{(state, Action.WITHDRAW): Status.WITHDRAWN for state in OPEN_STATES},
}


class IllegalTransition(Conflict):
    title = "Illegal transition"

    def __init__(self, status: Status, action: Action):
        self.status, self.action = status, action
        super().__init__(f"cannot {action.value.replace('_', ' ')} a filing that is {status.value}")


def next_status(status: Status, action: Action) -> Status:
    try:
        return TRANSITIONS[(Status(status), action)]
    except KeyError:
        raise IllegalTransition(Status(status), action) from None
