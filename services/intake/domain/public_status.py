"""The applicant's view of a filing, kept current from review and notification events.

Review events carry the task's version; only a newer version moves the public status, so
events taken out of order never move a filing backwards. Withdrawn and closed are final."""

from __future__ import annotations

from shared.lifecycle import Status

FINAL = frozenset({Status.WITHDRAWN, Status.CLOSED})


def status_after_review_event(current: Status, known_version: int, event_status: Status, event_version: int,
                              decision_emailed: bool) -> Status | None:
    """New public status after a review event, or None to keep the current one."""
    if current in FINAL or event_version <= known_version:
        return None
    if event_status == Status.DECIDED and decision_emailed:
        return Status.CLOSED  # the decision email went out before this event was applied
    return event_status


def status_after_decision_email(current: Status) -> Status | None:
    """The applicant has been told: a decided filing is closed."""
    return Status.CLOSED if current == Status.DECIDED else None
