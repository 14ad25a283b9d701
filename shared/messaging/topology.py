"""The whole broker topology, from one table (pure data: ``broker.py`` declares it).

Every service declares all of it at start-up (declaring is idempotent), so an event published
before its consuming service ever ran still waits in that service's queue.

Per work queue ``lamadi.<service>.<purpose>``:
- ``….retry.<n>``: a failed message waits there for its delay (per-message TTL), then the
  dead-letter exchange (the default one) routes it back to the work queue;
- ``….parked``: where a message lands after its last retry, for operators to replay or drop.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.envelope import EventData
from shared.events import (
    ALL_EVENTS,
    CommitteeOpinionPublished,
    CommitteeOpinionRecorded,
    DraftSaved,
    NotificationFailed,
    NotificationSent,
    ReportDailyPublished,
    ReviewClaimed,
    ReviewDeadlineApproaching,
    ReviewDeadlineBreached,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewReferredToCommittee,
    ReviewStepRecorded,
    ReviewTaskQueued,
    SubmissionContested,
    SubmissionReceived,
    SubmissionResubmitted,
    SubmissionWithdrawn,
)

QUEUE_PREFIX = "lamadi"
MAX_RETRY_LEVELS = 5  # retry queues declared per work queue; settings choose how many are used


@dataclass(frozen=True)
class QueueSpec:
    service: str
    purpose: str
    routing_keys: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{QUEUE_PREFIX}.{self.service}.{self.purpose}"

    @property
    def parked(self) -> str:
        return f"{self.name}.parked"

    def retry(self, level: int) -> str:
        return f"{self.name}.retry.{level}"


# Events only their addressee may read: a draft's resume link holds its secret.
PRIVATE_EVENTS = (DraftSaved,)


def _keys(*events: type[EventData]) -> tuple[str, ...]:
    return tuple(event.TYPE for event in events)


# Each queue's bindings are exactly the event types its service's handler table takes
# (tests/unit/test_topology.py fails when the two disagree).
TOPOLOGY: tuple[QueueSpec, ...] = (
    QueueSpec("review", "submissions",
              _keys(SubmissionReceived, SubmissionResubmitted, SubmissionWithdrawn, SubmissionContested)),
    QueueSpec("intake", "public-status",
              _keys(ReviewTaskQueued, ReviewClaimed, ReviewObservationsIssued, ReviewDecided,
                    ReviewReferredToCommittee, ReviewStepRecorded, CommitteeOpinionRecorded,
                    CommitteeOpinionPublished, NotificationSent, NotificationFailed)),
    QueueSpec("notifier", "applicant-emails",
              _keys(SubmissionReceived, SubmissionWithdrawn, ReviewObservationsIssued, ReviewDecided,
                    ReviewStepRecorded, CommitteeOpinionPublished, SubmissionContested, DraftSaved)),
    QueueSpec("notifier", "staff-alerts", _keys(ReviewDeadlineApproaching, ReviewDeadlineBreached,
                                                ReportDailyPublished)),
    # Every event leaves a (non-personal) trace, but those carrying a secret never reach it.
    QueueSpec("reporting", "entries", _keys(*(event for event in ALL_EVENTS if event not in PRIVATE_EVENTS))),
)


def queues_of(service: str) -> tuple[QueueSpec, ...]:
    return tuple(spec for spec in TOPOLOGY if spec.service == service)


def matches(routing_key: str, binding: str) -> bool:
    """AMQP topic matching: ``*`` is one word, ``#`` zero or more."""
    def match(keys: list[str], pattern: list[str]) -> bool:
        if not pattern:
            return not keys
        if pattern[0] == "#":
            return any(match(keys[i:], pattern[1:]) for i in range(len(keys) + 1))
        return bool(keys) and pattern[0] in ("*", keys[0]) and match(keys[1:], pattern[1:])

    return match(routing_key.split("."), binding.split("."))


def bound_types(spec: QueueSpec, known_types: list[str]) -> set[str]:
    """The known event types a queue receives."""
    return {t for t in known_types if any(matches(t, key) for key in spec.routing_keys)}
