"""The whole broker topology, from one table (pure data: ``broker.py`` declares it).

Every service declares all of it at start-up (declaring is idempotent), so an event published
before its consuming service ever ran still waits in that service's queue.

Per work queue ``lamadi.<service>.<purpose>``:
- ``….retry.<n>``: a failed message waits there for its delay (per-message TTL), then the
  dead-letter exchange (the default one) routes it back to the work queue;
- ``….parked``: where a message lands after its last retry, for operators to replay or drop.

``QueueArguments`` says how each is declared: classic queues (one node, the default) or quorum
queues (replicated across a RabbitMQ cluster, ``LAMADI_QUEUE_TYPE=quorum``).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.envelope import EventData
from shared.events import (
    ALL_EVENTS,
    CommitteeOpinionPublished,
    CommitteeOpinionRecorded,
    DocumentIssued,
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
MAX_RETRY_LEVELS = 5  # at most this many retry queues per work queue (LAMADI_RETRY_DELAYS chooses)


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
                    CommitteeOpinionPublished, NotificationSent, NotificationFailed, DocumentIssued)),
    QueueSpec("notifier", "applicant-emails",
              _keys(SubmissionReceived, SubmissionWithdrawn, ReviewObservationsIssued, ReviewDecided,
                    ReviewStepRecorded, CommitteeOpinionPublished, SubmissionContested, DraftSaved)),
    QueueSpec("notifier", "staff-alerts", _keys(ReviewDeadlineApproaching, ReviewDeadlineBreached,
                                                ReportDailyPublished)),
    # Every event leaves a (non-personal) trace, but those carrying a secret never reach it.
    QueueSpec("reporting", "entries", _keys(*(event for event in ALL_EVENTS if event not in PRIVATE_EVENTS))),
)


QUEUE_TYPES = ("classic", "quorum")
PARKED_DELIVERY_LIMIT = 1_000_000


@dataclass(frozen=True)
class QueueArguments:
    """The declaration arguments of the work, retry and parked queues. Classic queues keep the
    arguments they always had, so existing queues stay equivalent. Quorum work queues get an
    explicit delivery limit and dead-letter to ``.parked`` once it is reached (without a target,
    RabbitMQ 4 drops a message after 20 failed deliveries, and up to 4.2 the consumer's
    ``nack(requeue=True)`` fallback counts as one); the retry queues keep their TTL and
    dead-letter route back to the work queue. ``at-least-once`` dead-lettering (it needs ``reject-publish``) keeps a message
    in its queue until the target has it."""

    queue_type: str = "classic"
    delivery_limit: int = 20
    # Retry queues declared per work queue: as many as the service's LAMADI_RETRY_DELAYS. The
    # queue's owner declares those its consumer uses; a service with fewer delays declares fewer,
    # never removes any (declaring a queue costs the broker more than any other start-up step).
    retry_levels: int = MAX_RETRY_LEVELS

    def __post_init__(self) -> None:
        if self.queue_type not in QUEUE_TYPES:
            raise ValueError(f"queue type {self.queue_type!r}: one of {QUEUE_TYPES}")
        if not 1 <= self.retry_levels <= MAX_RETRY_LEVELS:
            raise ValueError(f"retry levels {self.retry_levels}: from 1 to {MAX_RETRY_LEVELS}")

    @property
    def quorum(self) -> bool:
        return self.queue_type == "quorum"

    def _dead_letter_to(self, queue: str) -> dict[str, object]:
        arguments: dict[str, object] = {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue}
        if self.quorum:
            arguments.update({"x-queue-type": "quorum", "x-dead-letter-strategy": "at-least-once",
                              "x-overflow": "reject-publish"})
        return arguments

    def for_work(self, spec: QueueSpec) -> dict[str, object]:
        if not self.quorum:
            return {}
        return {**self._dead_letter_to(spec.parked), "x-delivery-limit": self.delivery_limit}

    def for_retry(self, spec: QueueSpec) -> dict[str, object]:
        return self._dead_letter_to(spec.name)

    def for_parked(self) -> dict[str, object]:
        # Operators look at parked messages by taking and returning them: without a limit of
        # its own, RabbitMQ 4.0-4.2 would drop one after 20 looks (-1, "none" on 4.x, drops at
        # once on 3.x).
        return {"x-queue-type": "quorum", "x-delivery-limit": PARKED_DELIVERY_LIMIT} if self.quorum else {}


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
