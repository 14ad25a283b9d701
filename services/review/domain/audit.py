"""What review writes into a task's history (its audit trail): one code per kind of entry.

The lifecycle's own actions keep their names (shared/lifecycle.py ``Action``); the others are
what changes a task without a transition (assignment, a member's opinion, publication) or
only records something (a download, an applicant's message that changed nothing)."""

from __future__ import annotations

from enum import StrEnum

from shared.lifecycle import Action


class AuditAction(StrEnum):
    ENQUEUE = Action.ENQUEUE.value
    CLAIM = Action.CLAIM.value
    ISSUE_OBSERVATIONS = Action.ISSUE_OBSERVATIONS.value
    RESUBMIT = Action.RESUBMIT.value
    REFER_TO_COMMITTEE = Action.REFER_TO_COMMITTEE.value
    DECIDE = Action.DECIDE.value
    WITHDRAW = Action.WITHDRAW.value
    RECORD_STEP = Action.RECORD_STEP.value
    CONTEST = Action.CONTEST.value
    ASSIGN = "assign"  # a supervisor gives the task to a colleague
    RECORD_OPINION = "record_opinion"  # a committee member's opinion
    PUBLISH_OPINION = "publish_opinion"  # the round's aggregate, published (decides or adjourns)
    DOWNLOAD_DOCUMENT = "download_document"  # a staff member downloaded one of its documents
    APPLICANT_MESSAGE = "applicant_message"  # the applicant wrote while review was not waiting for them


# Entries that only record that something was seen or sent: the rest changed the task.
RECORDS_ONLY = frozenset({AuditAction.DOWNLOAD_DOCUMENT, AuditAction.APPLICANT_MESSAGE})


def changed_the_task(action: str) -> bool:
    """True for a history entry of the task's timeline (a change of state, assignee,
    opinions or steps), False for a download or a message that changed nothing."""
    return action not in RECORDS_ONLY
